package dev.workspacecache.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.valkey.ValkeyCache;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import dev.workspacecache.testsupport.TestCluster;

import static dev.workspacecache.WorkspaceFixtures.modified;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills the master that serves a workspace while several threads work on the cache, in an
 * application that configured nothing but {@code spring.data.redis.cluster.nodes} and the
 * command timeout: the starter's topology refresh must bring the cache back within 15 s,
 * without a restart, and nothing may go wrong meanwhile.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClusterFailoverIntegrationTests {

	static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);

	/** Scheduling slack on a loaded two-core machine, on top of the command timeout. */
	static final Duration LATENCY_MARGIN = Duration.ofSeconds(1);

	static final Duration RECOVERY_LIMIT = Duration.ofSeconds(15);

	/** The starter's periodic refresh. */
	private static final long REFRESH_PERIOD_MILLIS = 10_000;

	/** Promotion takes 3 to 5 s with a node timeout of 2 s. */
	private static final long REFRESH_BEFORE_PROMOTION_MILLIS = 2_500;

	private static final String REFRESH_LOG_LINE = "Workspace cache: enabled Redis Cluster topology refresh";

	@Test
	void killingTheMasterOfAWorkspaceUnderLoadRecoversWithinFifteenSeconds(CapturedOutput output) throws Exception {
		try (TestCluster cluster = TestCluster.start();
				BootRedisApplication application = BootRedisApplication.run(Map.of("spring.data.redis.cluster.nodes",
						cluster.nodesProperty(), "spring.data.redis.timeout", COMMAND_TIMEOUT.toMillis() + "ms"))) {
			WorkspaceCache cache = application.workspaceCache();
			assertThat(cache).isInstanceOf(ValkeyCache.class);

			List<UUID> ids = new ArrayList<>();
			for (int i = 0; i < 30; i++) {
				ids.add(UUID.randomUUID());
			}
			Map<UUID, MixedLoad.Workspace> fixed = MixedLoad.writeFixedWorkspaces(cache, ids);
			// The starter logged, once, that it turned topology refresh on.
			assertThat(countOccurrences(output.toString(), REFRESH_LOG_LINE)).as("refresh log lines").isOne();

			String prefix = ((ValkeyCache) cache).getKeyPrefix();
			UUID victimWorkspace = ids.get(0);
			TestCluster.Node victim = cluster.masterOfKey(prefix + "{" + victimWorkspace + "}");
			List<UUID> onVictim = ids.stream()
				.filter((id) -> cluster.masterOfKey(prefix + "{" + id + "}") == victim)
				.toList();
			cluster.awaitReplicated(Duration.ofSeconds(10));
			// Probes the victim's slot without touching the data written before the kill.
			UUID probe = TestCluster.workspaceInSlot(prefix, SlotHash.getSlot(prefix + "{" + victimWorkspace + "}"));

			try (MixedLoad load = new MixedLoad(cache, fixed, 4)) {
				load.start();
				Thread.sleep(1000);
				long callsBeforeKill = load.calls();
				assertThat(load.failures()).as("failures before the kill").isEmpty();

				TestCluster.Node replica = cluster.replicasOf(victim).get(0);
				awaitWorstMoment(cluster, victim);
				cluster.kill(victim);
				long killed = System.nanoTime();
				CompletableFuture<Long> promoted = CompletableFuture.supplyAsync(() -> awaitPromotion(replica));
				long recovered = awaitServing(cache, probe, killed);
				Duration recovery = Duration.ofNanos(recovered - killed);
				Duration promotion = Duration.ofNanos(promoted.get(30, TimeUnit.SECONDS) - killed);
				System.out.printf(Locale.ROOT,
						"FAILOVER cluster recovered in %.1f s (replica promoted after %.1f s; "
								+ "master %s killed, %d of %d workspaces on it; %d calls failed meanwhile)%n",
						recovery.toMillis() / 1000.0, promotion.toMillis() / 1000.0, victim, onVictim.size(),
						ids.size(), load.failures().size());

				Thread.sleep(3000);
				load.stop();
				long steadyAgain = recovered + Duration.ofSeconds(2).toNanos();
				MixedLoad.Call slowest = load.slowest();
				System.out.printf(Locale.ROOT, "FAILOVER cluster load: %d calls, %d failed, slowest %s%n", load.calls(),
						load.failures().size(), slowest);

				assertThat(recovery).as("time from the kill until the cache served the workspace again")
					.isLessThan(RECOVERY_LIMIT);
				assertThat(recovery.minus(promotion))
					.as("time from the promotion until the cache served again: it must follow the promotion, "
							+ "not wait for the next periodic refresh")
					.isLessThan(Duration.ofMillis(REFRESH_PERIOD_MILLIS - 3000));
				assertThat(load.unexpectedErrors()).as("errors other than WorkspaceCacheException").isEmpty();
				assertThat(load.wrongData()).as("reads that returned wrong data").isEmpty();
				assertThat(slowest.latency()).as("slowest call: %s", slowest)
					.isLessThan(COMMAND_TIMEOUT.plus(LATENCY_MARGIN));
				assertThat(load.failuresStartedAfter(steadyAgain)).as("failures 2 s after the recovery").isEmpty();
				assertThat(load.successesPerThreadAfter(steadyAgain))
					.as("successful calls of each load thread after the recovery")
					.allSatisfy((thread, count) -> assertThat(count).isPositive());
				assertThat(load.calls()).isGreaterThan(callsBeforeKill);

				// Written before the kill: every read is exact or a miss; off the victim,
				// nothing is lost.
				fixed.values().forEach((workspace) -> {
					UUID id = workspace.id();
					boolean lost = onVictim.contains(id);
					cache.getWorkspace(id)
						.ifPresentOrElse((s) -> assertThat(s).isEqualTo(workspace.snapshot()),
								() -> assertThat(lost).as("snapshot of %s lost", id).isTrue());
					Map<String, ?> files = cache.getFiles(id);
					if (!files.isEmpty() || !lost) {
						assertThat(files).isEqualTo(workspace.files());
					}
				});
			}
		}
	}

	private static long awaitServing(WorkspaceCache cache, UUID workspace, long since) throws InterruptedException {
		long deadline = since + Duration.ofSeconds(60).toNanos();
		for (int attempt = 0;; attempt++) {
			try {
				cache.cacheFile(workspace, "probe.txt", modified("probe " + attempt));
				if (cache.getFile(workspace, "probe.txt").filter(modified("probe " + attempt)::equals).isPresent()) {
					return System.nanoTime();
				}
			}
			catch (RuntimeException ex) {
				if (System.nanoTime() - deadline > 0) {
					throw new AssertionError("The cache did not serve workspace " + workspace + " within 60 s", ex);
				}
			}
			Thread.sleep(100);
		}
	}

	/**
	 * Wait for the moment to kill that is worst for the client: a periodic topology
	 * refresh (seen as a {@code CLUSTER NODES} on a node that only Lettuce asks) falls
	 * {@value #REFRESH_BEFORE_PROMOTION_MILLIS} ms after the kill, before the replica can
	 * be promoted, so that the next one is a whole period later.
	 */
	private static void awaitWorstMoment(TestCluster cluster, TestCluster.Node victim) throws InterruptedException {
		TestCluster.Node watched = cluster.running()
			.stream()
			.filter((node) -> !cluster.masters().contains(node) && !cluster.replicasOf(victim).contains(node))
			.findFirst()
			.orElseThrow();
		long before = watched.commandCalls().getOrDefault("cluster|nodes", 0L);
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (watched.commandCalls().getOrDefault("cluster|nodes", 0L) == before) {
			assertThat(System.nanoTime() - deadline).as("periodic topology refresh seen").isNegative();
			Thread.sleep(20);
		}
		Thread.sleep(REFRESH_PERIOD_MILLIS - REFRESH_BEFORE_PROMOTION_MILLIS);
	}

	/**
	 * Poll the replica until it reports itself a master.
	 * @return {@link System#nanoTime()} when it did
	 */
	private static long awaitPromotion(TestCluster.Node replica) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (System.nanoTime() - deadline < 0) {
			try {
				if (replica.commands().info("replication").contains("role:master")) {
					return System.nanoTime();
				}
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			catch (RuntimeException ex) {
				// Keep polling.
			}
		}
		throw new IllegalStateException("The replica " + replica + " was not promoted within 30 s");
	}

	static int countOccurrences(String text, String line) {
		Matcher matcher = Pattern.compile(Pattern.quote(line)).matcher(text);
		int count = 0;
		while (matcher.find()) {
			count++;
		}
		return count;
	}

}
