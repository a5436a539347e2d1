package dev.workspacecache.autoconfigure;

import java.time.Duration;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Connection factories that test configurations declare as their own beans.
 */
final class TestConnectionFactories {

	private TestConnectionFactories() {
	}

	/**
	 * Return a connection factory for a server on the local host. Creating it does not
	 * connect.
	 * @param port the port of the server
	 * @return a new connection factory
	 */
	static LettuceConnectionFactory local(int port) {
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.commandTimeout(Duration.ofSeconds(5))
			.build();
		return new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port), client);
	}

}
