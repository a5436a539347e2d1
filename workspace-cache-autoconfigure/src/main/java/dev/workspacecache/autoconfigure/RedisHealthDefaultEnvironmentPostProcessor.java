package dev.workspacecache.autoconfigure;

import dev.workspacecache.autoconfigure.WorkspaceCacheProperties.Mode;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;

/**
 * Turns Spring Boot's Redis health indicator off by default in the {@code noop} and
 * {@code memory} modes, which need no Redis: the starter brings Spring Data Redis, so
 * Boot would otherwise configure a Redis health check that connects to
 * {@code localhost:6379} and reports the whole application DOWN when no Redis is there.
 * <p>
 * It adds the lowest-precedence default {@code management.health.redis.enabled=false},
 * the property Boot's own condition reads, rather than removing or replacing Boot's
 * indicator: whatever the user sets wins, wherever it is set (a configuration file, the
 * command line, an environment variable, {@code SpringApplication}'s default properties),
 * so {@code management.health.redis.enabled=true} turns the check back on in any mode;
 * and the conditions report says why the check is off
 * ({@code management.health.redis.enabled is false}). In {@code valkey} mode the default
 * is absent and Boot's check runs as usual.
 * <p>
 * The value is decided when it is read, not when this runs: the mode may come from a
 * property source added after environment post-processing (a test's
 * {@code @DynamicPropertySource}, an application context initializer), and the default
 * must follow the mode the cache is built for.
 */
class RedisHealthDefaultEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "workspaceCacheRedisHealthDefault";

	static final String REDIS_HEALTH_ENABLED = "management.health.redis.enabled";

	private static final String REDIS_HEALTH_INDICATOR = "org.springframework.boot.data.redis.health.DataRedisHealthIndicator";

	/**
	 * The name of {@code SpringApplication}'s default properties, which Boot moves below
	 * every other source once post-processing is done, below this one too.
	 */
	private static final String DEFAULT_PROPERTIES = "defaultProperties";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (ClassUtils.isPresent(REDIS_HEALTH_INDICATOR, application.getClassLoader())
				&& !environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
			environment.getPropertySources().addLast(new RedisHealthDefault(environment));
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	/**
	 * Answers {@code false} for {@code management.health.redis.enabled} while the mode is
	 * {@code noop} or {@code memory} and nothing below it sets the property; nothing
	 * otherwise. Not enumerable: it holds no fixed set of properties, and listing them
	 * would mean binding the mode while the binder lists them.
	 */
	static final class RedisHealthDefault extends PropertySource<String> {

		private final ConfigurableEnvironment environment;

		// Not the environment as the source: Boot reads a property source whose source
		// is an environment as that environment's sources, which include this one.
		RedisHealthDefault(ConfigurableEnvironment environment) {
			super(PROPERTY_SOURCE_NAME, REDIS_HEALTH_ENABLED);
			this.environment = environment;
		}

		@Override
		public @Nullable Object getProperty(String name) {
			if (!REDIS_HEALTH_ENABLED.equals(name)) {
				return null;
			}
			PropertySource<?> defaults = this.environment.getPropertySources().get(DEFAULT_PROPERTIES);
			if (defaults != null && defaults.containsProperty(name)) {
				return null;
			}
			try {
				return (Mode.of(this.environment) != Mode.VALKEY) ? "false" : null;
			}
			catch (BindException ex) {
				// Not a mode: binding the properties fails startup and explains it.
				return null;
			}
		}

	}

}
