package dev.workspacecache.testsupport;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Builds Spring Data Redis connection factories for a {@link RedisServer}.
 */
public final class RedisConnections {

	/**
	 * Command timeout of the factories built here: long enough for a loaded CI machine,
	 * short enough that a hung server fails the test rather than the build.
	 */
	public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

	private RedisConnections() {
	}

	/**
	 * Build and start a connection factory for the given server.
	 * @param server the server to connect to
	 * @return a started factory; the caller must
	 * {@link LettuceConnectionFactory#destroy() destroy} it
	 */
	public static LettuceConnectionFactory connectionFactory(RedisServer server) {
		return connectionFactory(server, (configuration) -> {
		});
	}

	/**
	 * Build and start a connection factory for the given server, customizing the
	 * standalone configuration first, for example to set a password.
	 * @param server the server to connect to
	 * @param customizer customizes the configuration, which already has the server's host
	 * and port
	 * @return a started factory; the caller must
	 * {@link LettuceConnectionFactory#destroy() destroy} it
	 */
	public static LettuceConnectionFactory connectionFactory(RedisServer server,
			Consumer<RedisStandaloneConfiguration> customizer) {
		return connectionFactory(server, COMMAND_TIMEOUT, customizer);
	}

	/**
	 * Build and start a connection factory for the given server with a command timeout of
	 * its own, for example a short one for tests of a failing or hung server, customizing
	 * the standalone configuration first.
	 * @param server the server to connect to
	 * @param commandTimeout how long a command may take before it fails
	 * @param customizer customizes the configuration, which already has the server's host
	 * and port
	 * @return a started factory; the caller must
	 * {@link LettuceConnectionFactory#destroy() destroy} it
	 */
	public static LettuceConnectionFactory connectionFactory(RedisServer server, Duration commandTimeout,
			Consumer<RedisStandaloneConfiguration> customizer) {
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(server.host(), server.port());
		customizer.accept(configuration);
		LettuceClientConfiguration clientConfiguration = LettuceClientConfiguration.builder()
			.commandTimeout(commandTimeout)
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration, clientConfiguration);
		factory.afterPropertiesSet();
		// Spring Data Redis 4 factories are SmartLifecycle beans: outside a context
		// nobody else starts them, and an unstarted factory refuses to hand out
		// connections.
		factory.start();
		return factory;
	}

	/**
	 * Return a key prefix no other test uses, so that tests can share a server.
	 * @return for example {@code "test:3f2a...:"}
	 */
	public static String randomKeyPrefix() {
		return "test:" + UUID.randomUUID() + ":";
	}

}
