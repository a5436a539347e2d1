package dev.workspacecache.autoconfigure;

import java.util.Locale;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceChangeNotifications;
import dev.workspacecache.autoconfigure.WorkspaceCacheProperties.Mode;
import dev.workspacecache.observation.WorkspaceCacheObservationConvention;
import dev.workspacecache.valkey.ContentCompression;
import dev.workspacecache.valkey.ServerAvailability;
import dev.workspacecache.valkey.ValkeyCache;
import dev.workspacecache.valkey.ValkeyWorkspaceChangeNotifications;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The {@code valkey} mode, every bean of it in one place: the {@link ValkeyCache} over
 * the application's Redis connection, its metrics when Micrometer is there, and topology
 * refresh for a Redis Cluster connection. Without Spring Data Redis or Jackson's CBOR
 * format on the classpath, none of it applies and {@link WorkspaceCacheValidator} says
 * what is missing.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWorkspaceCacheMode(Mode.VALKEY)
@ConditionalOnClass(name = { ValkeyCacheConfiguration.REDIS_CONNECTION_FACTORY, ValkeyCacheConfiguration.CBOR_MAPPER })
class ValkeyCacheConfiguration implements BeanClassLoaderAware {

	static final String REDIS_CONNECTION_FACTORY = "org.springframework.data.redis.connection.RedisConnectionFactory";

	static final String CBOR_MAPPER = "tools.jackson.dataformat.cbor.CBORMapper";

	private @Nullable ClassLoader classLoader;

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Bean
	@ConditionalOnMissingBean(WorkspaceCache.class)
	ValkeyCache workspaceCache(WorkspaceCacheProperties properties,
			@WorkspaceCacheConnectionFactory ObjectProvider<RedisConnectionFactory> cacheConnectionFactory,
			ObjectProvider<RedisConnectionFactory> connectionFactory, ObjectProvider<ServerAvailability> availability,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<WorkspaceCacheObservationConvention> observationConvention,
			ObjectProvider<WorkspaceChangeNotifications> notifications) {
		ValkeyCache cache = new ValkeyCache(cacheConnectionFactory(cacheConnectionFactory, connectionFactory),
				properties.getKeyPrefix(), properties.getTtl(), properties.getMaxEntrySize().toBytes(),
				availability.getIfUnique(), contentCompression(properties, this.classLoader));
		CacheObservationSettings.applyTo(cache, observationRegistry, observationConvention);
		notifications.ifUnique(cache::setChangeNotifications);
		return cache;
	}

	// The one qualified with @WorkspaceCacheConnectionFactory, else the only (or primary)
	// one: for the blocking and the reactive cache alike.
	static <F> F cacheConnectionFactory(ObjectProvider<F> qualified, ObjectProvider<F> any) {
		F factory = qualified.getIfAvailable(any::getIfUnique);
		if (factory == null) {
			throw noConnectionFactory(any.stream().count());
		}
		return factory;
	}

	static ContentCompression contentCompression(WorkspaceCacheProperties properties,
			@Nullable ClassLoader classLoader) {
		ContentCompression.Algorithm algorithm = properties.getCompression();
		if (algorithm == ContentCompression.Algorithm.NONE) {
			return ContentCompression.none();
		}
		String reason;
		// The application's class loader decides what is on its classpath.
		if (classLoader != null && !algorithm.isPresent(classLoader)) {
			reason = "com.github.luben:zstd-jni is not on the classpath";
		}
		else {
			try {
				return new ContentCompression(algorithm, properties.getCompressionThreshold().toBytes());
			}
			catch (IllegalStateException ex) {
				reason = ex.getMessage();
			}
		}
		throw new WorkspaceCacheConfigurationException(
				"workspace.cache.compression is '" + algorithm.name().toLowerCase(Locale.ROOT)
						+ "' but it cannot be used here: " + reason + ".",
				"Depend on dev.workspacecache:workspace-cache-starter (it brings com.github.luben:zstd-jni), or add "
						+ "com.github.luben:zstd-jni, on a platform it has a native library for; or set "
						+ "workspace.cache.compression to 'none'.");
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

	/**
	 * Fail fast while the server is unavailable: the circuit breaker of the cache, and
	 * the Lettuce settings that let it detect an outage and the end of one quickly.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "workspace.cache.fail-fast.enabled", matchIfMissing = true)
	static class FailFastConfiguration {

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = "io.github.resilience4j.circuitbreaker.CircuitBreaker")
		static class CircuitBreakerConfiguration {

			// Only for the cache this configuration builds, and so for its reactive side
			// (ReactiveWorkspaceCacheAutoConfiguration): a cache of the application's own
			// decides for itself.
			@Bean
			@ConditionalOnMissingBean({ ServerAvailability.class, WorkspaceCache.class })
			ServerAvailability workspaceCacheServerAvailability(WorkspaceCacheProperties properties) {
				WorkspaceCacheProperties.FailFast failFast = properties.getFailFast();
				return new ServerAvailability(failFast.getConsecutiveFailures(), failFast.getProbeInterval());
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = { "io.lettuce.core.ClientOptions",
				"org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer" })
		static class LettuceConfiguration {

			@Bean
			@ConditionalOnMissingBean(name = "workspaceCacheFailFastLettuceCustomizer")
			FailFastLettuceCustomizer workspaceCacheFailFastLettuceCustomizer(WorkspaceCacheProperties properties) {
				WorkspaceCacheProperties.FailFast failFast = properties.getFailFast();
				return new FailFastLettuceCustomizer(failFast.isRejectCommandsWhileDisconnected(),
						failFast.getMaxReconnectDelay());
			}

		}

	}

	/**
	 * Change notifications over the server's sharded Pub/Sub, on the cache's own
	 * connection factory, which must be Lettuce's (the starter's client). An application
	 * without a Lettuce connection factory gets no notifications bean.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "workspace.cache.notifications.enabled", matchIfMissing = true)
	@ConditionalOnClass(name = "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory")
	@ConditionalOnBean(type = "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory")
	static class ChangeNotificationsConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean(WorkspaceChangeNotifications.class)
		ValkeyWorkspaceChangeNotifications workspaceChangeNotifications(WorkspaceCacheProperties properties,
				@WorkspaceCacheConnectionFactory ObjectProvider<RedisConnectionFactory> cacheConnectionFactory,
				ObjectProvider<RedisConnectionFactory> connectionFactory) {
			RedisConnectionFactory factory = cacheConnectionFactory(cacheConnectionFactory, connectionFactory);
			if (!(factory instanceof LettuceConnectionFactory lettuce)) {
				throw new WorkspaceCacheConfigurationException(
						"workspace.cache.notifications.enabled is true but the cache's RedisConnectionFactory is a "
								+ factory.getClass().getName() + ", not Lettuce's.",
						"Use Lettuce, the client the starter brings, or set "
								+ "workspace.cache.notifications.enabled to false.");
			}
			return new ValkeyWorkspaceChangeNotifications(lettuce, properties.getKeyPrefix(), InstanceId.of(properties),
					properties.getNotifications().getRetryInterval());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ValkeyCacheMetrics valkeyCacheMetrics(ObjectProvider<ValkeyCache> caches) {
			return new ValkeyCacheMetrics(caches);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "io.lettuce.core.cluster.ClusterClientOptions",
			"org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer" })
	static class LettuceClusterConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "workspaceCacheClusterTopologyRefreshCustomizer")
		ClusterTopologyRefreshCustomizer workspaceCacheClusterTopologyRefreshCustomizer(Environment environment) {
			return new ClusterTopologyRefreshCustomizer(environment);
		}

	}

}
