package dev.workspacecache.valkey;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheContractTests;
import dev.workspacecache.testsupport.RedisConnections;
import dev.workspacecache.testsupport.RedisServer;

/**
 * {@link WorkspaceCacheContractTests} for {@link ValkeyCache} against a real server.
 */
class ValkeyCacheContractTests extends WorkspaceCacheContractTests {

	private static LettuceConnectionFactory connectionFactory;

	@BeforeAll
	static void connect() {
		connectionFactory = RedisConnections.connectionFactory(RedisServer.shared());
	}

	@AfterAll
	static void disconnect() {
		if (connectionFactory != null) {
			connectionFactory.destroy();
		}
	}

	@Override
	protected WorkspaceCache createCache(Duration ttl, long maxEntrySize) {
		// A prefix per cache isolates caches, and this class from other users of the shared server.
		return new ValkeyCache(connectionFactory, RedisConnections.randomKeyPrefix(), ttl, maxEntrySize);
	}

	@Override
	protected List<Duration> remainingTtls(WorkspaceCache cache, UUID workspaceId) {
		String prefix = ((ValkeyCache) cache).getKeyPrefix();
		List<Duration> ttls = new ArrayList<>();
		try (RedisConnection connection = connectionFactory.getConnection()) {
			for (String suffix : List.of(":meta", ":graph", ":files")) {
				byte[] key = (prefix + "{" + workspaceId + "}" + suffix).getBytes(StandardCharsets.UTF_8);
				Long millis = connection.keyCommands().pTtl(key);
				// -2: no such key; -1: a key without expiry, reported as such.
				if (millis != null && millis != -2) {
					ttls.add(Duration.ofMillis(millis));
				}
			}
		}
		return ttls;
	}

}
