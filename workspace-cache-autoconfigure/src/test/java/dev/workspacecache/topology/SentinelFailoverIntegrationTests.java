package dev.workspacecache.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.valkey.ValkeyCache;
import dev.workspacecache.testsupport.TestSentinels;

import static dev.workspacecache.WorkspaceFixtures.modified;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills the master behind the Sentinels while several threads work on the cache: once the
 * Sentinels promote the replica, the cache must serve again within 15 s, without a
 * restart, and nothing may go wrong meanwhile.
 */
class SentinelFailoverIntegrationTests {

	private static final Duration COMMAND_TIMEOUT = ClusterFailoverIntegrationTests.COMMAND_TIMEOUT;

	@Test
	void killingTheMasterUnderLoadRecoversWithinFifteenSecondsOfThePromotion() throws Exception {
		try (TestSentinels sentinels = TestSentinels.start();
				BootRedisApplication application = BootRedisApplication.run(Map.of("spring.data.redis.sentinel.master",
						TestSentinels.MASTER_NAME, "spring.data.redis.sentinel.nodes", sentinels.nodesProperty(),
						"spring.data.redis.timeout", COMMAND_TIMEOUT.toMillis() + "ms"))) {
			WorkspaceCache cache = application.workspaceCache();
			assertThat(cache).isInstanceOf(ValkeyCache.class);
			List<UUID> ids = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				ids.add(UUID.randomUUID());
			}
			Map<UUID, MixedLoad.Workspace> fixed = MixedLoad.writeFixedWorkspaces(cache, ids);
			sentinels.awaitReplicated(Duration.ofSeconds(10));
			int replicaPort = sentinels.replica().port();

			try (MixedLoad load = new MixedLoad(cache, fixed, 4)) {
				load.start();
				Thread.sleep(1000);
				assertThat(load.failures()).as("failures before the kill").isEmpty();

				sentinels.master().kill();
				long killed = System.nanoTime();
				long promoted = awaitPromotion(sentinels, replicaPort, killed);
				long recovered = awaitServing(cache, killed);
				Duration sincePromotion = Duration.ofNanos(Math.max(0, recovered - promoted));
				Duration sinceKill = Duration.ofNanos(recovered - killed);
				System.out.printf(Locale.ROOT,
						"FAILOVER sentinel recovered in %.1f s after the promotion (%.1f s after the kill; "
								+ "replica promoted after %.1f s; %d calls failed meanwhile)%n",
						sincePromotion.toMillis() / 1000.0, sinceKill.toMillis() / 1000.0, (promoted - killed) / 1e9,
						load.failures().size());

				Thread.sleep(3000);
				load.stop();
				long steadyAgain = recovered + Duration.ofSeconds(2).toNanos();
				MixedLoad.Call slowest = load.slowest();
				System.out.printf(Locale.ROOT, "FAILOVER sentinel load: %d calls, %d failed, slowest %s%n",
						load.calls(), load.failures().size(), slowest);

				assertThat(sincePromotion).as("time from the promotion until the cache served again")
					.isLessThan(ClusterFailoverIntegrationTests.RECOVERY_LIMIT);
				assertThat(load.unexpectedErrors()).as("errors other than WorkspaceCacheException").isEmpty();
				assertThat(load.wrongData()).as("reads that returned wrong data").isEmpty();
				assertThat(slowest.latency()).as("slowest call: %s", slowest)
					.isLessThan(COMMAND_TIMEOUT.plus(ClusterFailoverIntegrationTests.LATENCY_MARGIN));
				assertThat(load.failuresStartedAfter(steadyAgain)).as("failures 2 s after the recovery").isEmpty();
				assertThat(load.successesPerThreadAfter(steadyAgain))
					.as("successful calls of each load thread after the recovery")
					.allSatisfy((thread, count) -> assertThat(count).isPositive());
				// Written and replicated before the kill: nothing is lost.
				fixed.values().forEach((workspace) -> {
					assertThat(cache.getWorkspace(workspace.id())).contains(workspace.snapshot());
					assertThat(cache.getFiles(workspace.id())).isEqualTo(workspace.files());
				});
			}
		}
	}

	private static long awaitPromotion(TestSentinels sentinels, int replicaPort, long since)
			throws InterruptedException {
		long deadline = since + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() - deadline < 0) {
			try {
				if (sentinels.currentMasterPort() == replicaPort) {
					return System.nanoTime();
				}
			}
			catch (RuntimeException ex) {
				// Keep asking.
			}
			Thread.sleep(20);
		}
		throw new AssertionError("The Sentinels did not promote the replica within 60 s:\n" + sentinels.describe());
	}

	private static long awaitServing(WorkspaceCache cache, long since) throws InterruptedException {
		UUID probe = UUID.randomUUID();
		long deadline = since + Duration.ofSeconds(60).toNanos();
		for (int attempt = 0;; attempt++) {
			try {
				cache.cacheFile(probe, "probe.txt", modified("probe " + attempt));
				if (cache.getFile(probe, "probe.txt").filter(modified("probe " + attempt)::equals).isPresent()) {
					return System.nanoTime();
				}
			}
			catch (RuntimeException ex) {
				if (System.nanoTime() - deadline > 0) {
					throw new AssertionError("The cache did not serve again within 60 s", ex);
				}
			}
			Thread.sleep(100);
		}
	}

}
