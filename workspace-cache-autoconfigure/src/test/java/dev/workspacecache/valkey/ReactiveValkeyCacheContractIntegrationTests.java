package dev.workspacecache.valkey;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.workspacecache.ReactiveWorkspaceCacheBlockingAdapter;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheContractTests;
import dev.workspacecache.testsupport.RedisConnections;
import dev.workspacecache.testsupport.RedisServer;
import dev.workspacecache.testsupport.WorkspaceTtls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WorkspaceCacheContractTests} for {@link ReactiveValkeyCache} against a real
 * server, each operation run on a non-blocking thread watched by BlockHound.
 */
class ReactiveValkeyCacheContractIntegrationTests extends WorkspaceCacheContractTests {

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
		return new ReactiveWorkspaceCacheBlockingAdapter(new ReactiveValkeyCache(connectionFactory,
				RedisConnections.randomKeyPrefix(), ttl, maxEntrySize, compression()));
	}

	/**
	 * How the caches under test store file content.
	 * @return raw, unless a subclass says otherwise
	 */
	protected ContentCompression compression() {
		return ContentCompression.none();
	}

	@Override
	public List<Duration> remainingTtls(WorkspaceCache cache, UUID workspaceId) {
		ReactiveValkeyCache reactive = (ReactiveValkeyCache) ((ReactiveWorkspaceCacheBlockingAdapter) cache).reactive();
		try (RedisConnection connection = connectionFactory.getConnection()) {
			return WorkspaceTtls.remainingTtls(connection, reactive.getKeyPrefix(), workspaceId);
		}
	}

	@AfterEach
	void noReactorThreadBlocked() {
		assertThat(ReactiveWorkspaceCacheBlockingAdapter.blockingCalls()).isEmpty();
	}

}
