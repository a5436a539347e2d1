package dev.workspacecache.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.valkey.ValkeyCache;
import dev.workspacecache.testsupport.TestSentinels;

import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole contract against a master and a replica watched by three Sentinels, with the
 * cache made by the auto-configuration from {@code spring.data.redis.sentinel.*} only.
 */
class SentinelContractIntegrationTests extends AutoConfiguredContractTests {

	private static TestSentinels sentinels;

	private static BootRedisApplication application;

	@BeforeAll
	static void startSentinels() {
		sentinels = TestSentinels.start();
		application = BootRedisApplication.run(Map.of("spring.data.redis.sentinel.master", TestSentinels.MASTER_NAME,
				"spring.data.redis.sentinel.nodes", sentinels.nodesProperty(), "spring.data.redis.timeout", "2s"));
	}

	@AfterAll
	static void stopSentinels() {
		if (application != null) {
			application.close();
		}
		if (sentinels != null) {
			sentinels.close();
		}
	}

	@Override
	protected BootRedisApplication application() {
		return application;
	}

	@Test
	void theCacheWritesToTheMasterTheSentinelsNameAndItReplicates() {
		assertThat(application.connectionFactory().getSentinelConfiguration()).isNotNull();
		WorkspaceCache cache = application.workspaceCache();
		assertThat(cache).isInstanceOf(ValkeyCache.class);
		UUID workspace = UUID.randomUUID();
		cache.cacheWorkspace(workspace, snapshot(workspace));
		cache.cacheFile(workspace, "a.txt", modified("a"));
		String key = ((ValkeyCache) cache).getKeyPrefix() + "{" + workspace + "}:workspace";
		// The field of an overlay entry: the tag "f", then the path.
		byte[] field = "fa.txt".getBytes(StandardCharsets.UTF_8);
		RedisClient client = RedisClient.create();
		try (StatefulRedisConnection<byte[], byte[]> master = client.connect(ByteArrayCodec.INSTANCE,
				RedisURI.create(sentinels.master().host(), sentinels.master().port()));
				StatefulRedisConnection<byte[], byte[]> replica = client.connect(ByteArrayCodec.INSTANCE,
						RedisURI.create(sentinels.replica().host(), sentinels.replica().port()))) {
			byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
			assertThat(master.sync().hexists(keyBytes, field)).isTrue();
			await().atMost(Duration.ofSeconds(5)).until(() -> replica.sync().hexists(keyBytes, field));
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
		cache.evict(workspace);
	}

}
