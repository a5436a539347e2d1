package dev.workspacecache.sample.session;

import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.workspacecache.NoOpCache;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.autoconfigure.WorkspaceCacheAutoConfiguration;
import dev.workspacecache.valkey.ValkeyCache;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Exactly one {@link SessionRecovery} exists in every cache mode, and it says at startup
 * what it does.
 */
@ExtendWith(OutputCaptureExtension.class)
class SessionRecoveryConditionsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WorkspaceCacheAutoConfiguration.class))
		// Stands in for the cache of every mode: what is tested is which recovery runs
		// over it.
		.withBean(WorkspaceCache.class, NoOpCache::new)
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withUserConfiguration(CacheFailures.class, SharedSessionRecovery.class, LocalOnlySessions.class);

	@Test
	void valkeyModeRecoversSessionsFromTheSharedCache(CapturedOutput output) {
		// Without a Redis connection factory here, valkey mode's change notifications
		// could not be built; they are not what is tested.
		this.runner.withPropertyValues("workspace.cache.mode=valkey", "workspace.cache.notifications.enabled=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(SessionRecovery.class).hasSingleBean(SharedSessionRecovery.class);
				assertThat(output).contains("Sessions are shared between pods: a session unknown to this pod is "
						+ "recovered from NoOpCache");
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "noop", "memory" })
	void unsharedModesAnswerUnknownSessions(String mode, CapturedOutput output) {
		this.runner.withPropertyValues("workspace.cache.mode=" + mode).run((context) -> {
			assertThat(context).hasSingleBean(SessionRecovery.class).hasSingleBean(LocalOnlySessions.class);
			assertThat(output).contains("Sessions are not shared between pods (workspace.cache.mode=" + mode
					+ "): a session unknown to this pod is answered with 404");
			UUID id = UUID.randomUUID();
			assertThatExceptionOfType(UnknownSessionException.class)
				.isThrownBy(() -> context.getBean(SessionRecovery.class).recover(id))
				.withMessageContaining("unknown on this pod")
				.withMessageContaining("workspace.cache.mode=" + mode);
		});
	}

	/**
	 * The library binds the mode, so every spelling the binder accepts must select the
	 * same recovery as the cache it builds: {@code Val_Key} once built a
	 * {@code ValkeyCache} under a sample that answered 404 for every session of another
	 * pod.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "valkey", "VALKEY", "Valkey", "Val_Key", "val-key" })
	void everySpellingOfValkeySelectsTheSharedRecoveryAndTheValkeyCacheTogether(String mode) {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataRedisAutoConfiguration.class, WorkspaceCacheAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withUserConfiguration(CacheFailures.class, SharedSessionRecovery.class, LocalOnlySessions.class)
			// Creating the connection factory does not connect: no server is needed to
			// see the beans.
			.withPropertyValues("workspace.cache.mode=" + mode, "spring.data.redis.port=1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(ValkeyCache.class);
				assertThat(context).hasSingleBean(SessionRecovery.class).hasSingleBean(SharedSessionRecovery.class);
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "NOOP", "No_Op", "MEMORY", "Memory" })
	void everySpellingOfAnUnsharedModeSelectsTheLocalRecovery(String mode) {
		this.runner.withPropertyValues("workspace.cache.mode=" + mode)
			.run((context) -> assertThat(context).hasSingleBean(SessionRecovery.class)
				.hasSingleBean(LocalOnlySessions.class));
	}

	@Test
	void defaultModeAnswersUnknownSessions() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(SessionRecovery.class)
			.hasSingleBean(LocalOnlySessions.class));
	}

}
