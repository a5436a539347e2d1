package dev.workspacecache.autoconfigure;

import dev.workspacecache.InProcessReactiveWorkspaceCache;
import dev.workspacecache.NoOpCache;
import dev.workspacecache.ReactiveWorkspaceCache;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceChangeNotifications;
import dev.workspacecache.autoconfigure.WorkspaceCacheProperties.Mode;
import dev.workspacecache.memory.InMemoryWorkspaceCache;
import dev.workspacecache.valkey.ReactiveValkeyCache;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
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
 * <li>{@code valkey}: a {@link ReactiveValkeyCache} with the blocking cache's settings,
 * over the same connection factory (the one qualified with
 * {@link WorkspaceCacheConnectionFactory}, else the only one), announcing its changes as
 * the same instance; only with a reactive connection factory (Lettuce's).</li>
 * </ul>
 * A {@link ReactiveWorkspaceCache} bean of the application's own always wins. An
 * application that replaced the {@link WorkspaceCache} in {@code noop} or {@code memory}
 * mode gets no reactive cache from here: one over another store would not be coherent
 * with its own.
 */
@AutoConfiguration(after = WorkspaceCacheAutoConfiguration.class)
@ConditionalOnClass(name = "reactor.core.publisher.Mono")
public final class ReactiveWorkspaceCacheAutoConfiguration {

	private ReactiveWorkspaceCacheAutoConfiguration() {
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
	static class ValkeyConfiguration implements BeanClassLoaderAware {

		private @Nullable ClassLoader classLoader;

		@Override
		public void setBeanClassLoader(ClassLoader classLoader) {
			this.classLoader = classLoader;
		}

		@Bean
		@ConditionalOnMissingBean(ReactiveWorkspaceCache.class)
		ReactiveValkeyCache reactiveWorkspaceCache(WorkspaceCacheProperties properties,
				@WorkspaceCacheConnectionFactory ObjectProvider<ReactiveRedisConnectionFactory> cacheConnectionFactory,
				ObjectProvider<ReactiveRedisConnectionFactory> connectionFactory,
				ObjectProvider<WorkspaceChangeNotifications> notifications) {
			ReactiveValkeyCache cache = new ReactiveValkeyCache(
					ValkeyCacheConfiguration.cacheConnectionFactory(cacheConnectionFactory, connectionFactory),
					properties.getKeyPrefix(), properties.getTtl(), properties.getMaxEntrySize().toBytes(),
					ValkeyCacheConfiguration.contentCompression(properties, this.classLoader));
			// The same instance id as the blocking cache's changes: one application.
			notifications.ifUnique(cache::setChangeNotifications);
			return cache;
		}

	}

}
