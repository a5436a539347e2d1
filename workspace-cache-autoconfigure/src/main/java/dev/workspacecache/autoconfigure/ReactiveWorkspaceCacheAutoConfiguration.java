package dev.workspacecache.autoconfigure;

import dev.workspacecache.InProcessReactiveWorkspaceCache;
import dev.workspacecache.NoOpCache;
import dev.workspacecache.ReactiveWorkspaceCache;
import dev.workspacecache.ReactiveWorkspaceChangeNotifications;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceChangeNotifications;
import dev.workspacecache.autoconfigure.WorkspaceCacheProperties.Mode;
import dev.workspacecache.memory.InMemoryWorkspaceCache;
import dev.workspacecache.observation.WorkspaceCacheObservationConvention;
import dev.workspacecache.valkey.ReactiveValkeyCache;
import dev.workspacecache.valkey.ValkeyCache;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

/**
 * Auto-configuration of the {@link ReactiveWorkspaceCache} bean when Reactor is on the
 * classpath, beside the {@link WorkspaceCache} bean of
 * {@link WorkspaceCacheAutoConfiguration} and selected by the same
 * {@code workspace.cache.mode}:
 * <ul>
 * <li>{@code noop} and {@code memory}: an {@link InProcessReactiveWorkspaceCache} over
 * the mode's {@link NoOpCache} or {@link InMemoryWorkspaceCache} bean, the same instance,
 * so that both APIs of one application see the same workspaces;</li>
 * <li>{@code valkey}: the reactive side of the mode's {@link ValkeyCache} bean
 * ({@link ReactiveValkeyCache#of(ValkeyCache)}): over its connection factory, with its
 * settings and change announcements, failing fast with its {@code ServerAvailability}
 * (one circuit for both), observed through the same registry and closed with the context;
 * only with a reactive connection factory (Lettuce's).</li>
 * </ul>
 * A {@link ReactiveWorkspaceCache} bean of the application's own always wins. An
 * application that replaced the {@link WorkspaceCache} gets no reactive cache from here,
 * in any mode, unless its cache is one of the mode's own kind ({@link NoOpCache},
 * {@link InMemoryWorkspaceCache}, {@link ValkeyCache}), which the reactive cache is then
 * made of: one over another store, or over the same server with other settings, would not
 * be coherent with it. The health contributor, the endpoint and the metrics stay those of
 * the {@link WorkspaceCache}: in {@code valkey} mode they report the server and circuit
 * that the reactive cache shares, so a WebFlux application that never calls the blocking
 * cache still has them.
 * <p>
 * Beside the cache, {@link ReactiveWorkspaceChangeNotifications} over the application's
 * {@link WorkspaceChangeNotifications} bean, when it has one: the same notifications (the
 * same instance, watched workspaces and changes), with {@code watch} as a {@code Mono}
 * that never blocks a Reactor thread and changes as a {@code Flux}.
 */
@AutoConfiguration(after = WorkspaceCacheAutoConfiguration.class)
@ConditionalOnClass(name = "reactor.core.publisher.Mono")
public final class ReactiveWorkspaceCacheAutoConfiguration {

	private ReactiveWorkspaceCacheAutoConfiguration() {
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnSingleCandidate(WorkspaceChangeNotifications.class)
	static class ChangeNotificationsConfiguration {

		@Bean
		@ConditionalOnMissingBean(ReactiveWorkspaceChangeNotifications.class)
		ReactiveWorkspaceChangeNotifications reactiveWorkspaceChangeNotifications(
				WorkspaceChangeNotifications notifications) {
			return ReactiveWorkspaceChangeNotifications.of(notifications);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWorkspaceCacheMode(Mode.NOOP)
	static class NoOpConfiguration {

		@Bean
		@ConditionalOnMissingBean(ReactiveWorkspaceCache.class)
		@ConditionalOnSingleCandidate(NoOpCache.class)
		InProcessReactiveWorkspaceCache reactiveWorkspaceCache(NoOpCache cache) {
			return InProcessReactiveWorkspaceCache.of(cache);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWorkspaceCacheMode(Mode.MEMORY)
	static class InMemoryConfiguration {

		@Bean
		@ConditionalOnMissingBean(ReactiveWorkspaceCache.class)
		@ConditionalOnSingleCandidate(InMemoryWorkspaceCache.class)
		InProcessReactiveWorkspaceCache reactiveWorkspaceCache(InMemoryWorkspaceCache cache) {
			return InProcessReactiveWorkspaceCache.of(cache);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWorkspaceCacheMode(Mode.VALKEY)
	@ConditionalOnClass(name = { "org.springframework.data.redis.connection.ReactiveRedisConnectionFactory",
			ValkeyCacheConfiguration.CBOR_MAPPER })
	@ConditionalOnBean(type = "org.springframework.data.redis.connection.ReactiveRedisConnectionFactory")
	static class ValkeyConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean(ReactiveWorkspaceCache.class)
		@ConditionalOnSingleCandidate(ValkeyCache.class)
		ReactiveValkeyCache reactiveWorkspaceCache(ValkeyCache cache,
				ObjectProvider<ObservationRegistry> observationRegistry,
				ObjectProvider<WorkspaceCacheObservationConvention> observationConvention) {
			if (!(cache.getConnectionFactory() instanceof ReactiveRedisConnectionFactory)) {
				throw new WorkspaceCacheConfigurationException(
						"The workspace cache's RedisConnectionFactory is a "
								+ cache.getConnectionFactory().getClass().getName()
								+ ", which has no reactive API, so no ReactiveWorkspaceCache can share its server.",
						"Use Lettuce, the client the starter brings, for the cache's connection factory, or "
								+ "define a ReactiveWorkspaceCache bean yourself.");
			}
			// The reactive side of the blocking cache: its connection, settings, change
			// announcements and fail-fast circuit (one server, one application).
			return CacheObservationSettings.applyTo(ReactiveValkeyCache.of(cache), observationRegistry,
					observationConvention);
		}

	}

}
