package dev.workspacecache.topology;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.autoconfigure.WorkspaceCacheAutoConfiguration;
import dev.workspacecache.testsupport.WorkspaceTtls;
import dev.workspacecache.valkey.ValkeyCache;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A Spring Boot application configured only through properties, the way a user configures
 * the starter: Boot's SSL, Redis and workspace cache auto-configurations,
 * {@code spring.data.redis.*} for the topology and {@code workspace.cache.mode=valkey}.
 * <p>
 * {@link #createCache(Duration, long)} gives each test a cache of its own, again made by
 * {@link WorkspaceCacheAutoConfiguration} from {@code workspace.cache.*} properties (a
 * random key prefix under the application's own, the test's time-to-live and maximum
 * entry size), over this application's Redis connection.
 */
final class BootRedisApplication implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private BootRedisApplication(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Start the application.
	 * @param properties {@code spring.data.redis.*}, {@code spring.ssl.*} and any other
	 * properties; {@code workspace.cache.mode=valkey} is added
	 * @return the running application
	 */
	static BootRedisApplication run(Map<String, ?> properties) {
		SpringApplication application = new SpringApplication(RedisApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put("workspace.cache.mode", "valkey");
		defaults.putAll(properties);
		application.setDefaultProperties(defaults);
		return new BootRedisApplication(application.run());
	}

	ConfigurableApplicationContext context() {
		return this.context;
	}

	/**
	 * Return the workspace cache bean of the application.
	 */
	WorkspaceCache workspaceCache() {
		return this.context.getBean(WorkspaceCache.class);
	}

	/**
	 * Return Boot's auto-configured connection factory.
	 */
	LettuceConnectionFactory connectionFactory() {
		return this.context.getBean(LettuceConnectionFactory.class);
	}

	/**
	 * Create another cache through {@link WorkspaceCacheAutoConfiguration}, in a context
	 * of its own that sees this application's connection factory, with a random key
	 * prefix.
	 * @param ttl {@code workspace.cache.ttl}
	 * @param maxEntrySize {@code workspace.cache.max-entry-size}, in bytes
	 * @return the cache
	 */
	ValkeyCache createCache(Duration ttl, long maxEntrySize) {
		String prefix = this.context.getEnvironment().getProperty("workspace.cache.key-prefix", "workspace-cache:")
				+ UUID.randomUUID() + ":";
		return createCache(Map.of("workspace.cache.ttl", ttl.toMillis() + "ms", "workspace.cache.max-entry-size",
				maxEntrySize + "B", "workspace.cache.key-prefix", prefix));
	}

	/**
	 * Create another cache through {@link WorkspaceCacheAutoConfiguration} with the given
	 * {@code workspace.cache.*} properties, over this application's connection factory.
	 * @param properties the cache properties; {@code workspace.cache.mode=valkey} is
	 * added
	 * @return the cache
	 */
	ValkeyCache createCache(Map<String, String> properties) {
		try (AnnotationConfigApplicationContext child = new AnnotationConfigApplicationContext()) {
			Map<String, Object> values = new LinkedHashMap<>(properties);
			values.put("workspace.cache.mode", "valkey");
			child.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", values));
			// The application's factory, behind its interface only: the child context
			// must neither stop nor destroy it when it closes.
			RedisConnectionFactory shared = unmanaged(connectionFactory());
			child.registerBean("redisConnectionFactory", RedisConnectionFactory.class, () -> shared);
			child.register(WorkspaceCacheAutoConfiguration.class);
			child.refresh();
			return child.getBean(ValkeyCache.class);
		}
	}

	/**
	 * Return the remaining time-to-live of a workspace: the expiry of its one key, unless
	 * the key is absent or holds only the evict marker.
	 * @param connectionFactory a connection allowed to run {@code EVAL} with
	 * {@code TYPE}, {@code HLEN}, {@code HEXISTS} and {@code PTTL}
	 * @param cache the cache
	 * @param workspaceId the workspace
	 * @return one element when the key holds workspace data, else none
	 */
	static List<Duration> remainingTtls(RedisConnectionFactory connectionFactory, WorkspaceCache cache,
			UUID workspaceId) {
		try (RedisConnection connection = connectionFactory.getConnection()) {
			return WorkspaceTtls.remainingTtls(connection, ((ValkeyCache) cache).getKeyPrefix(), workspaceId);
		}
	}

	private static RedisConnectionFactory unmanaged(RedisConnectionFactory factory) {
		InvocationHandler handler = (proxy, method, args) -> {
			if (method.getDeclaringClass() == Object.class) {
				return switch (method.getName()) {
					case "equals" -> proxy == args[0];
					case "hashCode" -> System.identityHashCode(proxy);
					default -> "unmanaged " + factory;
				};
			}
			try {
				return method.invoke(factory, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
		};
		return (RedisConnectionFactory) Proxy.newProxyInstance(BootRedisApplication.class.getClassLoader(),
				new Class<?>[] { RedisConnectionFactory.class }, handler);
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ SslAutoConfiguration.class, DataRedisAutoConfiguration.class,
			WorkspaceCacheAutoConfiguration.class })
	static class RedisApplication {

	}

}
