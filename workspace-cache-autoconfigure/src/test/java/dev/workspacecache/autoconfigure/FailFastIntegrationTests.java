package dev.workspacecache.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceCacheUnavailableException;
import dev.workspacecache.WriteOutcome;
import dev.workspacecache.testsupport.RedisServer;
import dev.workspacecache.valkey.ServerAvailability;
import dev.workspacecache.valkey.ValkeyCache;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests of fail-fast against a real server that goes away: killed and
 * restarted empty on its port, or stopped ({@code SIGSTOP}) and continued. The cache is
 * the one {@link WorkspaceCacheAutoConfiguration} builds over Spring Boot's Lettuce
 * client, with its default fail-fast settings.
 */
class FailFastIntegrationTests {

	/** The command timeout; a stopped server is detected after one. */
	private static final Duration TIMEOUT = Duration.ofMillis(500);

	private static final Duration BACK_WITHIN = Duration.ofSeconds(10);

	private RedisServer server;

	private final UUID id = UUID.randomUUID();

	@BeforeEach
	void startServer() {
		this.server = RedisServer.start();
	}

	@AfterEach
	void stopServer() {
		if (this.server.isRunning()) {
			// A suspended process ignores SIGTERM until it runs again.
			this.server.resume();
		}
		this.server.close();
	}

	@Test
	void aKilledServerMakesCallsFailFastAndARestartedOneServesAgain() {
		run((cache, availability) -> {
			int port = this.server.port();
			this.server.kill();
			awaitFailingFast(cache, availability);
			this.server.close();
			this.server = RedisServer.builder().port(port).start();
			await("the cache serving again").atMost(BACK_WITHIN).until(availability::isAvailable);
			// Restarted empty: the cache says so, and the pod that holds the session
			// writes it back.
			assertThat(cache.cacheFile(this.id, "src/b.rs", modified("b"))).isEqualTo(WriteOutcome.MISSING);
			assertThat(availability.getUnavailableSince()).isEmpty();
		});
	}

	@Test
	void aStoppedServerMakesCallsFailFastAfterOneTimeoutAndServesAgainOnceContinued() {
		run((cache, availability) -> {
			this.server.suspend();
			// The first call waits for its timeout: a silent server looks like a slow one
			// until then.
			assertThatExceptionOfType(WorkspaceCacheException.class)
				.isThrownBy(() -> cache.getFile(this.id, "src/a.rs"))
				.isNotInstanceOf(WorkspaceCacheUnavailableException.class);
			assertFailingFast(cache, availability);
			this.server.resume();
			await("the cache serving again").atMost(BACK_WITHIN).until(availability::isAvailable);
			// Nothing was lost: the server kept its data.
			assertThat(cache.recover(this.id))
				.hasValueSatisfying((workspace) -> assertThat(workspace.files()).containsOnlyKeys("src/a.rs"));
			assertThat(cache.cacheFile(this.id, "src/b.rs", modified("b"))).isEqualTo(WriteOutcome.PRESENT);
		});
	}

	private void awaitFailingFast(WorkspaceCache cache, ServerAvailability availability) {
		// The first calls after the kill may still fail one by one while Lettuce notices
		// the lost connection; from then on they fail fast.
		await("calls failing fast").atMost(TIMEOUT.multipliedBy(4)).until(() -> {
			try {
				cache.getFile(this.id, "src/a.rs");
				return false;
			}
			catch (WorkspaceCacheUnavailableException ex) {
				return true;
			}
			catch (WorkspaceCacheException ex) {
				return false;
			}
		});
		assertFailingFast(cache, availability);
	}

	private void assertFailingFast(WorkspaceCache cache, ServerAvailability availability) {
		assertThat(availability.isAvailable()).isFalse();
		assertThat(availability.getUnavailableSince()).isPresent();
		for (int i = 0; i < 100; i++) {
			assertThatExceptionOfType(WorkspaceCacheUnavailableException.class)
				.isThrownBy(() -> cache.cacheFile(this.id, "src/c.rs", modified("c")))
				.withMessageContaining("unavailable since " + availability.getUnavailableSince().orElseThrow());
		}
	}

	private void run(OutageScenario scenario) {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataRedisAutoConfiguration.class, WorkspaceCacheAutoConfiguration.class))
			.withPropertyValues("workspace.cache.mode=valkey", "spring.data.redis.host=" + this.server.host(),
					"spring.data.redis.port=" + this.server.port(), "spring.data.redis.timeout=" + TIMEOUT.toMillis())
			.run((context) -> runIn(context, scenario));
	}

	private void runIn(AssertableApplicationContext context, OutageScenario scenario) {
		assertThat(context).hasNotFailed();
		ValkeyCache cache = context.getBean(ValkeyCache.class);
		ServerAvailability availability = cache.getServerAvailability().orElseThrow();
		CachedWorkspace workspace = CachedWorkspace.of(snapshot(this.id), Map.of("src/a.rs", modified("a")), null);
		assertThat(cache.cacheAll(this.id, workspace)).isEqualTo(WriteOutcome.MISSING);
		scenario.run(cache, availability);
	}

	@FunctionalInterface
	private interface OutageScenario {

		void run(ValkeyCache cache, ServerAvailability availability);

	}

}
