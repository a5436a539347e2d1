package dev.workspacecache.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.workspacecache.AbstractWorkspaceCache;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.memory.InMemoryWorkspaceCache;
import dev.workspacecache.observation.WorkspaceCacheObservationConvention;
import dev.workspacecache.observation.DefaultWorkspaceCacheObservationConvention;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.ReactiveWorkspaceCache;
import dev.workspacecache.observation.WorkspaceCacheBytesObservationHandler;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.workspacecache.WorkspaceFixtures.added;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the observation wiring: the caches of every mode get Spring Boot's
 * {@link ObservationRegistry}, Spring Boot's meter handler and ours turn their
 * observations into timers and byte summaries, and a cache of the application's own is
 * left alone. No server: creating a {@link dev.workspacecache.valkey.ValkeyCache} does
 * not connect.
 */
class WorkspaceCacheObservationAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				DataRedisAutoConfiguration.class, WorkspaceCacheAutoConfiguration.class,
				WorkspaceCacheObservationAutoConfiguration.class));

	@ParameterizedTest
	@ValueSource(strings = { "noop", "memory", "valkey" })
	void theCacheOfEveryModeIsObservedThroughBootsRegistry(String mode) {
		this.contextRunner.withPropertyValues("workspace.cache.mode=" + mode).run((context) -> {
			assertThat(context).hasSingleBean(WorkspaceCacheBytesObservationHandler.class);
			AbstractWorkspaceCache cache = context.getBean(AbstractWorkspaceCache.class);
			assertThat(cache.getObservationRegistry()).isSameAs(context.getBean(ObservationRegistry.class));
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "noop", "memory", "valkey" })
	void aConventionBeanNamesTheObservationsOfEveryCacheBlockingAndReactive(String mode) {
		// Port 1: nothing listens, so valkey calls fail at once, and are observed all the
		// same.
		this.contextRunner.withConfiguration(AutoConfigurations.of(ReactiveWorkspaceCacheAutoConfiguration.class))
			.withPropertyValues("workspace.cache.mode=" + mode, "spring.data.redis.port=1",
					"workspace.cache.fail-fast.enabled=false")
			.withBean(WorkspaceCacheObservationConvention.class, RenamingConvention::new)
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				UUID id = UUID.randomUUID();
				try {
					context.getBean(WorkspaceCache.class).getWorkspace(id);
				}
				catch (WorkspaceCacheException ex) {
					// valkey mode without a server: the observation is what counts.
				}
				assertThat(calls(meters, "renamed.cache.operations")).isOne();
				context.getBean(ReactiveWorkspaceCache.class)
					.getWorkspace(id)
					.onErrorComplete(WorkspaceCacheException.class)
					.block(Duration.ofSeconds(30));
				assertThat(calls(meters, "renamed.cache.operations")).isEqualTo(2);
				assertThat(calls(meters, DefaultWorkspaceCacheObservationConvention.NAME)).isZero();
			});
	}

	private static long calls(MeterRegistry meters, String name) {
		return meters.find(name).timers().stream().mapToLong(Timer::count).sum();
	}

	/**
	 * The default convention under another name.
	 */
	static final class RenamingConvention extends DefaultWorkspaceCacheObservationConvention {

		@Override
		public String getName() {
			return "renamed.cache.operations";
		}

	}

	@Test
	void bootRecordsTheTimerAndOurHandlerTheByteSummaries() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=memory").run((context) -> {
			WorkspaceCache cache = context.getBean(WorkspaceCache.class);
			UUID id = UUID.randomUUID();
			cache.cacheAll(id,
					CachedWorkspace.of(WorkspaceFixtures.snapshot(id), Map.of("a.txt", added("hello")), new byte[3]));
			cache.recover(id);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("workspace.cache.operations")
				.tags("operation", "cacheAll", "mode", "memory", "result", "success", "write.outcome", "missing",
						"error", "none")
				.timer()
				.count()).isOne();
			assertThat(meters.get("workspace.cache.operations")
				.tags("operation", "recover", "mode", "memory", "result", "hit", "write.outcome", "none", "error",
						"none")
				.timer()
				.count()).isOne();
			assertThat(meters.get("workspace.cache.bytes.written").tag("operation", "cacheAll").summary().totalAmount())
				.isEqualTo(8);
			assertThat(meters.get("workspace.cache.bytes.read").tag("operation", "recover").summary().totalAmount())
				.isEqualTo(8);
		});
	}

	@Test
	void theObservationCanBeTurnedOffWithBootsProperty() {
		this.contextRunner
			.withPropertyValues("workspace.cache.mode=memory", "management.observations.enable.workspace.cache=false")
			.run((context) -> {
				WorkspaceCache cache = context.getBean(WorkspaceCache.class);
				UUID id = UUID.randomUUID();
				cache.cacheFile(id, "a.txt", added("hello"));
				assertThat(cache.getFile(id, "a.txt")).isPresent();
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.find("workspace.cache.operations").meters()).isEmpty();
				assertThat(meters.find("workspace.cache.bytes.read").meters()).isEmpty();
			});
	}

	@Test
	void aCacheOfTheApplicationsOwnIsNotTouched() {
		this.contextRunner.withUserConfiguration(OwnCacheConfiguration.class)
			.withPropertyValues("workspace.cache.mode=memory")
			.run((context) -> {
				assertThat(context).hasSingleBean(WorkspaceCache.class);
				InMemoryWorkspaceCache cache = context.getBean(InMemoryWorkspaceCache.class);
				assertThat(cache).isSameAs(context.getBean(OwnCacheConfiguration.class).cache);
				assertThat(cache.getObservationRegistry()).isSameAs(ObservationRegistry.NOOP);
			});
	}

	@Test
	void withoutAnObservationRegistryTheCacheIsNotObserved() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
					WorkspaceCacheAutoConfiguration.class, WorkspaceCacheObservationAutoConfiguration.class))
			.withPropertyValues("workspace.cache.mode=memory")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(WorkspaceCacheBytesObservationHandler.class);
				AbstractWorkspaceCache cache = context.getBean(AbstractWorkspaceCache.class);
				assertThat(cache.getObservationRegistry()).isSameAs(ObservationRegistry.NOOP);
				cache.touch(UUID.randomUUID());
			});
	}

	@Test
	void withoutMicrometerMetricsSpansStillWorkButNoBytesAreRecorded() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
					WorkspaceCacheAutoConfiguration.class, WorkspaceCacheObservationAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.withPropertyValues("workspace.cache.mode=memory")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(WorkspaceCacheBytesObservationHandler.class);
				AbstractWorkspaceCache cache = context.getBean(AbstractWorkspaceCache.class);
				assertThat(cache.getObservationRegistry()).isSameAs(context.getBean(ObservationRegistry.class));
			});
	}

	@Test
	void anApplicationsOwnBytesHandlerReplacesOurs() {
		this.contextRunner.withUserConfiguration(OwnHandlerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(WorkspaceCacheBytesObservationHandler.class);
			assertThat(context.getBean(WorkspaceCacheBytesObservationHandler.class))
				.isSameAs(context.getBean(OwnHandlerConfiguration.class).handler);
		});
	}

	@Test
	void autoConfigurationIsRegisteredInImportsFileAfterTheRegistriesItNeeds() {
		List<String> candidates = ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader())
			.getCandidates();
		assertThat(candidates).contains(WorkspaceCacheObservationAutoConfiguration.class.getName());
		AutoConfiguration annotation = WorkspaceCacheObservationAutoConfiguration.class
			.getAnnotation(AutoConfiguration.class);
		assertThat(annotation).isNotNull();
		assertThat(annotation.afterName()).contains(ObservationAutoConfiguration.class.getName(),
				CompositeMeterRegistryAutoConfiguration.class.getName());
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnCacheConfiguration {

		final InMemoryWorkspaceCache cache = new InMemoryWorkspaceCache(Duration.ofMinutes(1), 1024);

		@Bean
		InMemoryWorkspaceCache myCache() {
			return this.cache;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnHandlerConfiguration {

		final WorkspaceCacheBytesObservationHandler handler = new WorkspaceCacheBytesObservationHandler(
				new SimpleMeterRegistry());

		@Bean
		WorkspaceCacheBytesObservationHandler myHandler() {
			return this.handler;
		}

	}

}
