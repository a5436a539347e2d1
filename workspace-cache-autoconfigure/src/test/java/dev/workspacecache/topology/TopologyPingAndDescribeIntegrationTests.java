package dev.workspacecache.topology;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.testsupport.TestCluster;
import dev.workspacecache.testsupport.TestSentinels;
import dev.workspacecache.valkey.ServerPing;
import dev.workspacecache.valkey.ValkeyCache;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ValkeyCache#ping()} and {@link ValkeyCache#describe(UUID)} over a Redis Cluster
 * and behind Sentinels, with the cache made by the auto-configuration: the topology the
 * health check reports (over Boot's own connection factory), the server read from every
 * node's {@code INFO}, and the describe script sent to the node that holds each
 * workspace.
 */
class TopologyPingAndDescribeIntegrationTests {

	@Test
	void cluster() {
		try (TestCluster cluster = TestCluster.start();
				BootRedisApplication application = BootRedisApplication.run(Map.of("spring.data.redis.cluster.nodes",
						cluster.nodesProperty(), "spring.data.redis.timeout", "2s"))) {
			assertPingAndDescribe((ValkeyCache) application.workspaceCache(), ServerPing.Topology.CLUSTER);
		}
	}

	@Test
	void sentinel() {
		try (TestSentinels sentinels = TestSentinels.start();
				BootRedisApplication application = BootRedisApplication.run(Map.of("spring.data.redis.sentinel.master",
						TestSentinels.MASTER_NAME, "spring.data.redis.sentinel.nodes", sentinels.nodesProperty(),
						"spring.data.redis.timeout", "2s"))) {
			assertPingAndDescribe((ValkeyCache) application.workspaceCache(), ServerPing.Topology.SENTINEL);
		}
	}

	private static void assertPingAndDescribe(ValkeyCache cache, ServerPing.Topology topology) {
		ServerPing ping = cache.ping();
		assertThat(ping.topology()).isEqualTo(topology);
		assertThat(ping.server()).isIn("redis", "valkey");
		assertThat(ping.version()).matches("\\d+\\.\\d+\\.\\d+.*");
		// Enough workspaces to land on every master of a cluster.
		for (int i = 0; i < 12; i++) {
			UUID id = UUID.randomUUID();
			cache.cacheAll(id, CachedWorkspace.of(WorkspaceFixtures.snapshot(id),
					Map.of("a.txt", WorkspaceFixtures.added("a")), new byte[] { 1 }));
			assertThat(cache.describe(id)).hasValueSatisfying((description) -> {
				assertThat(description.snapshot()).isTrue();
				assertThat(description.graph()).isTrue();
				assertThat(description.files()).isEqualTo(1);
				assertThat(description.timeToLive()).isPositive();
			});
			cache.evict(id);
			assertThat(cache.describe(id)).isEmpty();
		}
	}

}
