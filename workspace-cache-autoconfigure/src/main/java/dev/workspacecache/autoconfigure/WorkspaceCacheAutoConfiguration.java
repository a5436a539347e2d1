package dev.workspacecache.autoconfigure;

import dev.workspacecache.NoOpCache;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.autoconfigure.WorkspaceCacheProperties.Mode;
import dev.workspacecache.memory.InMemoryWorkspaceCache;
import dev.workspacecache.valkey.ValkeyCache;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Auto-configuration of the {@link WorkspaceCache} bean, selected by
 * {@code workspace.cache.mode}: {@code noop} (the default) gives a {@link NoOpCache},
 * {@code valkey} a {@link ValkeyCache} over the application's Redis connection (or the one
 * qualified with {@link WorkspaceCacheConnectionFactory}), {@code memory} an
 * {@link InMemoryWorkspaceCache}. A {@link WorkspaceCache} bean of the application's own always
 * wins. In {@code valkey} mode, Spring Boot's Redis Cluster connection also gets topology refresh
 * unless the application configured it ({@link ClusterTopologyRefreshCustomizer}).
 */
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@EnableConfigurationProperties(WorkspaceCacheProperties.class)
public final class WorkspaceCacheAutoConfiguration {

	static final String MODE_PROPERTY = "workspace.cache.mode";

	private WorkspaceCacheAutoConfiguration() {
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWorkspaceCacheMode(Mode.NOOP)
	static class NoOpCacheConfiguration {

		@Bean
		@ConditionalOnMissingBean(WorkspaceCache.class)
		NoOpCache workspaceCache(WorkspaceCacheProperties properties) {
			return new NoOpCache(properties.getMaxEntrySize().toBytes());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWorkspaceCacheMode(Mode.MEMORY)
	static class InMemoryCacheConfiguration {

		@Bean
		@ConditionalOnMissingBean(WorkspaceCache.class)
		InMemoryWorkspaceCache workspaceCache(WorkspaceCacheProperties properties) {
			return new InMemoryWorkspaceCache(properties.getTtl(), properties.getMaxEntrySize().toBytes());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWorkspaceCacheMode(Mode.VALKEY)
	@ConditionalOnClass({ RedisConnectionFactory.class, ValkeyCache.class,
			tools.jackson.dataformat.cbor.CBORMapper.class })
	static class ValkeyCacheConfiguration {

		@Bean
		@ConditionalOnMissingBean(WorkspaceCache.class)
		ValkeyCache workspaceCache(WorkspaceCacheProperties properties,
				@WorkspaceCacheConnectionFactory ObjectProvider<RedisConnectionFactory> cacheConnectionFactory,
				ObjectProvider<RedisConnectionFactory> connectionFactory) {
			RedisConnectionFactory factory = cacheConnectionFactory.getIfAvailable(connectionFactory::getIfUnique);
			if (factory == null) {
				throw noConnectionFactory(connectionFactory.stream().count());
			}
			return new ValkeyCache(factory, properties.getKeyPrefix(), properties.getTtl(),
					properties.getMaxEntrySize().toBytes());
		}

		private static WorkspaceCacheConfigurationException noConnectionFactory(long candidates) {
			if (candidates > 1) {
				return new WorkspaceCacheConfigurationException(
						"workspace.cache.mode is 'valkey' but the application has " + candidates
								+ " RedisConnectionFactory beans and none is marked for the workspace cache.",
						"Annotate the RedisConnectionFactory bean the cache should use with "
								+ "@WorkspaceCacheConnectionFactory, or mark one of them @Primary.");
			}
			return new WorkspaceCacheConfigurationException(
					"workspace.cache.mode is 'valkey' but the application has no RedisConnectionFactory bean.",
					"Configure the Redis connection with spring.data.redis.host/port (or spring.data.redis.url, "
							+ "spring.data.redis.sentinel.*, spring.data.redis.cluster.nodes) and keep Spring Boot's "
							+ "Redis auto-configuration enabled, or define a RedisConnectionFactory bean annotated "
							+ "with @WorkspaceCacheConnectionFactory; or set workspace.cache.mode to 'noop' or "
							+ "'memory'.");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWorkspaceCacheMode(Mode.VALKEY)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
	static class ValkeyCacheMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ValkeyCacheMetrics valkeyCacheMetrics(ObjectProvider<ValkeyCache> caches) {
			return new ValkeyCacheMetrics(caches);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWorkspaceCacheMode(Mode.VALKEY)
	@ConditionalOnClass(name = { "io.lettuce.core.cluster.ClusterClientOptions",
			"org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer" })
	static class LettuceClusterConfiguration {

		@Bean
		ClusterTopologyRefreshCustomizer workspaceCacheClusterTopologyRefreshCustomizer(Environment environment) {
			return new ClusterTopologyRefreshCustomizer(environment);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWorkspaceCacheMode(Mode.VALKEY)
	@ConditionalOnMissingClass("org.springframework.data.redis.connection.RedisConnectionFactory")
	static class MissingRedisConfiguration {

		@Bean
		@ConditionalOnMissingBean(WorkspaceCache.class)
		WorkspaceCache workspaceCache() {
			throw new WorkspaceCacheConfigurationException(
					"workspace.cache.mode is 'valkey' but Spring Data Redis is not on the classpath.",
					"Depend on dev.workspacecache:workspace-cache-starter (it brings Spring Data Redis with Lettuce), "
							+ "or add org.springframework.boot:spring-boot-starter-data-redis; or set "
							+ "workspace.cache.mode to 'noop' or 'memory'.");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWorkspaceCacheMode(Mode.VALKEY)
	@ConditionalOnClass(RedisConnectionFactory.class)
	@ConditionalOnMissingClass("tools.jackson.dataformat.cbor.CBORMapper")
	static class MissingCborConfiguration {

		@Bean
		@ConditionalOnMissingBean(WorkspaceCache.class)
		WorkspaceCache workspaceCache() {
			throw new WorkspaceCacheConfigurationException(
					"workspace.cache.mode is 'valkey' but Jackson's CBOR data format is not on the classpath.",
					"Depend on dev.workspacecache:workspace-cache-starter, or add "
							+ "tools.jackson.dataformat:jackson-dataformat-cbor; or set workspace.cache.mode to "
							+ "'noop' or 'memory'.");
		}

	}

}
