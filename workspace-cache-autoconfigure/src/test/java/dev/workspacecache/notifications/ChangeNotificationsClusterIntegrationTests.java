package dev.workspacecache.notifications;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import dev.workspacecache.ConditionalWriteResult;
import dev.workspacecache.WorkspaceWrite;
import dev.workspacecache.testsupport.TestCluster;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.wholeWorkspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Change notifications on a cluster of three masters and three replicas, with the
 * workspaces of each test spread over every master, and what the failover of a master
 * does to the watchers of its workspaces: they resynchronize, and their subscriptions
 * follow the workspaces to the promoted replica.
 */
class ChangeNotificationsClusterIntegrationTests extends AbstractChangeNotificationsIntegrationTests {

	private static TestCluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = TestCluster.start();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	/**
	 * A cluster connection with the topology refresh the starter turns on (adaptive, and
	 * every 10 s), so that the connections follow a failover.
	 */
	@Override
	protected LettuceConnectionFactory connectionFactory() {
		RedisClusterConfiguration configuration = new RedisClusterConfiguration(
				Arrays.asList(cluster.nodesProperty().split(",")));
		ClusterClientOptions options = ClusterClientOptions.builder()
			.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
				.enableAllAdaptiveRefreshTriggers()
				.adaptiveRefreshTriggersTimeout(Duration.ofSeconds(2))
				.enablePeriodicRefresh(Duration.ofSeconds(10))
				.build())
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration,
				LettuceClientConfiguration.builder()
					.commandTimeout(Duration.ofSeconds(2))
					.clientOptions(options)
					.build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/**
	 * Return workspaces on every master in turn.
	 */
	@Override
	protected List<UUID> workspaces(int count) {
		List<TestCluster.Node> masters = cluster.masters();
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			TestCluster.Node master = masters.get(i % masters.size());
			int slot;
			do {
				slot = ThreadLocalRandom.current().nextInt(SlotHash.SLOT_COUNT);
			}
			while (cluster.masterOf(slot) != master);
			ids.add(TestCluster.workspaceInSlot(this.prefix, slot));
		}
		Set<TestCluster.Node> owners = ids.stream()
			.map((id) -> cluster.masterOfKey(this.prefix + "{" + id + "}"))
			.collect(Collectors.toSet());
		assertThat(owners).as("masters of the workspaces").hasSize(Math.min(count, masters.size()));
		return ids;
	}

	@Test
	@Order(LAST - 1)
	void movingTheSlotOfAWatchedWorkspaceResynchronizesListenersAndTheSubscriptionFollowsIt() throws Exception {
		UUID id = workspaces(1).get(0);
		int slot = SlotHash.getSlot(this.prefix + "{" + id + "}");
		this.a.notifications().watch(id);
		this.b.cache().cacheAll(id, wholeWorkspace(id, "before the move"));
		this.a.heard().await(id, 1);
		TestCluster.Node source = cluster.masterOf(slot);
		TestCluster.Node target = cluster.masters().stream().filter((m) -> m != source).findFirst().orElseThrow();

		int heardBefore = this.a.heard().resynchronizations().size();
		long moving = System.nanoTime();
		// The source unsubscribes the slot's channels once it no longer serves the slot.
		cluster.moveSlot(slot, target, Duration.ofMillis(200));
		Resubscription resubscription = Resubscription.awaitRestored(this.a, heardBefore, moving);
		this.b.cache().cacheFile(id, "after-move.txt", modified("after"));
		resubscription.assertHeardAfterRestore(this.b, id, 2);
		System.out.println(
				resubscription.describe("RESYNC cluster slot " + slot + " moved from " + source + " to " + target));
	}

	@Test
	@Order(LAST)
	void aMasterFailoverResynchronizesListenersAndTheSubscriptionFollowsTheWorkspace() {
		List<UUID> ids = workspaces(TestCluster.MASTERS);
		UUID moving = ids.get(0);
		TestCluster.Node victim = cluster.masterOfKey(this.prefix + "{" + moving + "}");
		ids.forEach(this.a.notifications()::watch);
		ids.forEach((id) -> this.b.cache().cacheAll(id, wholeWorkspace(id, "before the failover")));
		ids.forEach((id) -> this.a.heard().await(id, 1));
		cluster.awaitReplicated(Duration.ofSeconds(10));

		int heardBefore = this.a.heard().resynchronizations().size();
		long killed = System.nanoTime();
		cluster.kill(victim);
		Resubscription resubscription = Resubscription.awaitRestored(this.a, heardBefore, killed);
		// B's cache serves the workspace again once the client saw the promotion; a write
		// that timed out may have been applied, and its retry is then refused.
		ConditionalWriteResult written = await("B writes the workspace of the killed master")
			.atMost(Resubscription.RESTORE_TIMEOUT)
			.ignoreExceptions()
			.until(() -> this.b.cache()
				.writeIfVersion(moving, 1, WorkspaceWrite.file("after-failover.txt", modified("after"))), (r) -> true);
		assertThat(written.version()).isEqualTo(2);
		resubscription.assertHeardAfterRestore(this.b, moving, 2);
		// The workspaces of the masters that kept running are heard as before.
		for (UUID id : ids.subList(1, ids.size())) {
			this.b.cache().cacheFile(id, "after-failover.txt", modified("after"));
			resubscription.assertHeardAfterRestore(this.b, id, 2);
		}
		System.out.println(resubscription.describe("RESYNC cluster master failover (master " + victim + " killed)"));
	}

}
