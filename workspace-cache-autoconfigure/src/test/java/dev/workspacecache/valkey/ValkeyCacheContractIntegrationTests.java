package dev.workspacecache.valkey;

import java.time.Duration;
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
import dev.workspacecache.testsupport.WorkspaceTtls;

/**
 * {@link WorkspaceCacheContractTests} for {@link ValkeyCache} against a real server.
 */
class ValkeyCacheContractIntegrationTests extends WorkspaceCacheContractTests {

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
	public WorkspaceCache createCache(Duration ttl, long maxEntrySize) {
		// A prefix per cache isolates caches, and this class from other users of the
		// shared server.
		return new ValkeyCache(connectionFactory, RedisConnections.randomKeyPrefix(), ttl, maxEntrySize, null,
				compression());
	}

	/**
	 * How the caches under test store file content.
	 * @return raw, unless a subclass says otherwise
	 */
	protected ContentCompression compression() {
		return ContentCompression.none();
	}

	protected static LettuceConnectionFactory connectionFactory() {
		return connectionFactory;
	}

	@Override
	public List<Duration> remainingTtls(WorkspaceCache cache, UUID workspaceId) {
		// One key per workspace: its PTTL when it holds workspace data; nothing when it
		// is absent or holds only the evict marker, which is no stored part of the
		// workspace.
		try (RedisConnection connection = connectionFactory.getConnection()) {
			return WorkspaceTtls.remainingTtls(connection, ((ValkeyCache) cache).getKeyPrefix(), workspaceId);
		}
	}

}
