package dev.workspacecache.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheOperation;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.WriteOutcome;
import dev.workspacecache.autoconfigure.WorkspaceCacheAutoConfiguration;
import dev.workspacecache.valkey.ValkeyCache;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import dev.workspacecache.testsupport.TestCluster;

import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.deleted;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static dev.workspacecache.WorkspaceFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole contract against a real cluster of three masters and three replicas, with the
 * cache made by the auto-configuration from {@code spring.data.redis.cluster.nodes} only;
 * plus what is special about a cluster: every operation is one command on the master of
 * the workspace's slot, workspaces spread over every master, scripts survive an empty
 * script cache, a live workspace's slot can be resharded under load without a single
 * retry, and the starter's topology refresh defaults yield to the application's settings.
 */
class ClusterContractIntegrationTests extends AutoConfiguredContractTests {

	/**
	 * The commands a cache operation may send, or that the previous layout sent; script
	 * bodies' commands are counted too.
	 */
	private static final Set<String> DATA_COMMANDS = Set.of("get", "hget", "hkeys", "hgetall", "unlink", "evalsha",
			"eval", "set", "hset", "hdel", "hexists", "hincrby", "spublish", "pexpire", "pexpireat", "del", "exists",
			"expire");

	/** The commands a cache operation may send itself: script bodies call the others. */
	private static final Set<String> TOP_LEVEL_COMMANDS = Set.of("get", "hget", "hkeys", "hgetall", "evalsha", "eval");

	private static TestCluster cluster;

	private static BootRedisApplication application;

	@BeforeAll
	static void startCluster() {
		cluster = TestCluster.start();
		application = BootRedisApplication
			.run(Map.of("spring.data.redis.cluster.nodes", cluster.nodesProperty(), "spring.data.redis.timeout", "2s"));
	}

	@AfterAll
	static void stopCluster() {
		if (application != null) {
			application.close();
		}
		if (cluster != null) {
			cluster.close();
		}
	}

	@Override
	protected BootRedisApplication application() {
		return application;
	}

	@Test
	void theAutoConfiguredCacheIsAValkeyCacheOverBootsClusterConnection() {
		assertThat(application.workspaceCache()).isInstanceOf(ValkeyCache.class);
		assertThat(application.connectionFactory().getClusterConfiguration()).isNotNull();
		assertThat(application.connectionFactory().getClusterConfiguration().getClusterNodes()).hasSize(6);
	}

	@Test
	void everyOperationOnAWorkspaceIsOneCommandOnTheMasterOfItsSlot() {
		WorkspaceCache cache = application.workspaceCache();
		UUID workspace = UUID.randomUUID();
		String prefix = ((ValkeyCache) cache).getKeyPrefix();
		// Was: the three keys of a workspace share one slot. A workspace is one key now,
		// whose slot is that of its hash tag, the workspace id, for the client and every
		// server alike.
		String key = prefix + "{" + workspace + "}:workspace";
		int slot = SlotHash.getSlot(key.getBytes(StandardCharsets.UTF_8));
		assertThat(slot).as("hash slot of %s", key).isEqualTo(SlotHash.getSlot(workspace.toString()));
		for (TestCluster.Node master : cluster.masters()) {
			assertThat(master.commands().clusterKeyslot(key)).as("CLUSTER KEYSLOT %s", key).isEqualTo(slot);
		}
		TestCluster.Node owner = cluster.masterOf(slot);
		// Loads the three scripts (write, replace, evict) on the owner, so that every
		// write below is a single EVALSHA; on a workspace of the same slot, not to evict
		// this one.
		UUID warmUp = TestCluster.workspaceInSlot(prefix, slot);
		cache.touch(warmUp);
		cache.cacheAll(warmUp, CachedWorkspace.of(snapshot(warmUp), Map.of(), null));
		cache.evict(warmUp);
		List<Map.Entry<String, Consumer<WorkspaceCache>>> operations = List.of(
				Map.entry("evalsha", (c) -> c.cacheWorkspace(workspace, snapshot(workspace))),
				Map.entry("hget", (c) -> c.getWorkspace(workspace)),
				Map.entry("evalsha", (c) -> c.cacheFile(workspace, "src/lib.rs", modified("fn foo() {}"))),
				Map.entry("hget", (c) -> c.getFile(workspace, "src/lib.rs")),
				Map.entry("hkeys", (c) -> c.listFiles(workspace)),
				Map.entry("evalsha",
						(c) -> c.cacheFiles(workspace,
								Map.of("a.txt", added("a"), "b.txt", modified("b"), "c.txt", deleted()))),
				Map.entry("hgetall", (c) -> c.getFiles(workspace)),
				Map.entry("evalsha", (c) -> c.cacheGraph(workspace, utf8("graph"))),
				Map.entry("hget", (c) -> c.getGraph(workspace)), Map.entry("evalsha", (c) -> c.touch(workspace)),
				Map.entry("hgetall", (c) -> c.recover(workspace)),
				Map.entry("evalsha",
						(c) -> c.cacheAll(workspace,
								CachedWorkspace.of(snapshot(workspace), Map.of("d.txt", added("d")), utf8("graph")))),
				Map.entry("evalsha", (c) -> c.evict(workspace)));
		for (int index = 0; index < operations.size(); index++) {
			String expected = operations.get(index).getKey();
			String description = "operation #" + index + " (" + expected + ")";
			Consumer<WorkspaceCache> operation = operations.get(index).getValue();
			List<TestCluster.Node> masters = cluster.masters();
			Map<TestCluster.Node, Map<String, Long>> before = new HashMap<>();
			masters.forEach((master) -> before.put(master, master.commandCalls()));
			operation.accept(cache);
			for (TestCluster.Node master : masters) {
				Map<String, Long> sent = difference(before.get(master), master.commandCalls());
				sent.keySet().retainAll(DATA_COMMANDS);
				if (master == owner) {
					sent.keySet().retainAll(TOP_LEVEL_COMMANDS);
					if (expected.equals("evalsha")) {
						// cacheAll's script reads the fields it replaces, every write
						// script the version and the evict marker; a script's commands
						// count too.
						sent.remove("hkeys");
						sent.remove("hget");
					}
					assertThat(sent).as("commands of %s on the master of slot %d", description, slot)
						.containsExactly(Map.entry(expected, 1L));
				}
				else {
					assertThat(sent).as("commands of %s on %s, which does not serve slot %d", description, master, slot)
						.isEmpty();
				}
			}
		}
	}

	@Test
	void workspacesSpreadOverEveryMaster() {
		WorkspaceCache cache = application.workspaceCache();
		String prefix = ((ValkeyCache) cache).getKeyPrefix();
		int workspaces = 150;
		Map<String, Integer> perMaster = new HashMap<>();
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < workspaces; i++) {
			UUID id = UUID.randomUUID();
			ids.add(id);
			cache.cacheWorkspace(id, snapshot(id));
			cache.cacheFile(id, "file.txt", modified("content " + i));
			cache.cacheGraph(id, utf8("graph " + i));
		}
		for (UUID id : ids) {
			String key = prefix + "{" + id + "}:workspace";
			TestCluster.Node owner = cluster.masterOfKey(key);
			// Asked of the owner alone: a key of another slot would be refused with
			// MOVED.
			assertThat(owner.commands().hkeys(key)).as("parts of workspace %s on %s", id, owner)
				.containsExactlyInAnyOrder("m", "g", "ffile.txt", "v");
			perMaster.merge(owner.id(), 1, Integer::sum);
		}
		assertThat(perMaster).as("workspaces per master").hasSize(TestCluster.MASTERS);
		assertThat(perMaster.values()).allSatisfy((count) -> assertThat(count).isGreaterThan(workspaces / 6));
		ids.forEach(cache::evict);
	}

	@Test
	void writesRecoverFromAnEmptyScriptCacheOnEveryMaster() {
		WorkspaceCache cache = application.workspaceCache();
		UUID workspace = UUID.randomUUID();
		cache.cacheWorkspace(workspace, snapshot(workspace));
		cluster.masters().forEach((master) -> master.commands().scriptFlush());
		TestCluster.Node owner = cluster.masterOfKey("{" + workspace + "}");
		Map<String, Long> before = owner.commandCalls();
		cache.cacheFile(workspace, "a.txt", modified("a"));
		Map<String, Long> sent = difference(before, owner.commandCalls());
		// EVALSHA answered NOSCRIPT, then EVAL ran the script (and loaded it) on the
		// owner.
		assertThat(sent).containsEntry("evalsha", 1L).containsEntry("eval", 1L);
		before = owner.commandCalls();
		cache.cacheFile(workspace, "b.txt", modified("b"));
		sent = difference(before, owner.commandCalls());
		assertThat(sent).containsEntry("evalsha", 1L).doesNotContainKey("eval");
		assertThat(cache.getFiles(workspace)).containsOnlyKeys("a.txt", "b.txt");
		assertThat(cache.getWorkspace(workspace)).isPresent();
		cache.evict(workspace);
	}

	@Test
	void reshardingTheSlotOfALiveWorkspaceKeepsEveryOperationSucceedingWithoutARetry() throws Exception {
		WorkspaceCache cache = application.workspaceCache();
		String prefix = ((ValkeyCache) cache).getKeyPrefix();
		UUID workspace = UUID.randomUUID();
		int slot = SlotHash.getSlot((prefix + "{" + workspace + "}").getBytes(StandardCharsets.UTF_8));
		// Two more workspaces in the slot: one replaced whole again and again, one
		// evicted again and again, so that the slot holds keys that appear, change and
		// get replaced mid-move.
		UUID neighbour = TestCluster.workspaceInSlot(prefix, slot);
		UUID evicted = TestCluster.workspaceInSlot(prefix, slot);
		WorkspaceSnapshot snapshot = snapshot(workspace);
		cache.cacheWorkspace(workspace, snapshot);
		Map<String, CachedOverlayEntry> files = new LinkedHashMap<>();
		for (int i = 0; i < 20; i++) {
			files.put("src/file-" + i + ".rs", modified("content " + i));
		}
		cache.cacheFiles(workspace, files);
		TestCluster.Node source = cluster.masterOf(slot);
		TestCluster.Node target = cluster.masters().stream().filter((m) -> m != source).findFirst().orElseThrow();
		// The cache no longer retries on TRYAGAIN: a command or script on one key never
		// gets it, so no master may have answered it once while the slot moved.
		Map<TestCluster.Node, Long> tryAgainBefore = new HashMap<>();
		cluster.masters().forEach((master) -> tryAgainBefore.put(master, errorCount(master, "TRYAGAIN")));

		ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
		AtomicLong operations = new AtomicLong();
		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService executor = Executors.newFixedThreadPool(3);
		List<Future<?>> workers = new ArrayList<>();
		for (int t = 0; t < 3; t++) {
			int thread = t;
			workers.add(executor.submit(() -> {
				for (int i = 0; running.get(); i++) {
					String path = "worker-" + thread + "/file-" + i;
					try {
						check(cache.cacheFile(workspace, path, added(path)), WriteOutcome.PRESENT, "cacheFile " + path,
								failures);
						check(cache.getFile(workspace, path).orElse(null), added(path), "getFile " + path, failures);
						check(cache.getWorkspace(workspace).orElse(null), snapshot, "getWorkspace", failures);
						check(cache.getFile(workspace, "src/file-3.rs").orElse(null), modified("content 3"),
								"getFile src/file-3.rs", failures);
						Map<String, CachedOverlayEntry> all = cache.getFiles(workspace);
						check(all.get(path), added(path), "getFiles " + path, failures);
						if (!cache.listFiles(workspace).contains(path)) {
							failures.add("listFiles misses " + path);
						}
						check(cache.touch(workspace), WriteOutcome.PRESENT, "touch", failures);
						check(cache.recover(workspace).map((whole) -> whole.files().get(path)).orElse(null),
								added(path), "recover " + path, failures);
						if (thread == 0) {
							CachedWorkspace replaced = CachedWorkspace.of(snapshot(neighbour, "generation " + i),
									Map.of("n.txt", modified("n" + i)), utf8("graph " + i));
							cache.cacheAll(neighbour, replaced);
							check(cache.recover(neighbour).orElse(null), replaced, "recover neighbour", failures);
							cache.evict(evicted);
							check(cache.cacheFile(evicted, "late.txt", added("late")), WriteOutcome.EVICTED,
									"cacheFile after evict", failures);
							if (cache.recover(evicted).isPresent()) {
								failures.add("recover of an evicted workspace");
							}
						}
						operations.addAndGet((thread == 0) ? 15 : 9);
					}
					catch (RuntimeException ex) {
						failures.add(ex.toString());
					}
				}
				return null;
			}));
		}
		long moving;
		long moved;
		try {
			// Every worker runs a while on the source before the move, and on the target
			// after it.
			await().atMost(Duration.ofSeconds(30)).until(() -> operations.get() > 100);
			moving = operations.get();
			cluster.moveSlot(slot, target, Duration.ofMillis(200));
			moved = operations.get();
			await().atMost(Duration.ofSeconds(30)).until(() -> operations.get() > moved + 100);
		}
		finally {
			running.set(false);
			for (Future<?> worker : workers) {
				worker.get(30, TimeUnit.SECONDS);
			}
			executor.shutdown();
		}
		System.out.println("RESHARD slot " + slot + " moved from " + source + " to " + target + " under "
				+ operations.get() + " operations, " + failures.size() + " failed");
		assertThat(failures).as("failed operations while the slot moved").isEmpty();
		assertThat(moved - moving).as("operations while the slot was migrating").isPositive();
		assertThat(cluster.masterOf(slot)).isSameAs(target);
		tryAgainBefore
			.forEach((master, before) -> assertThat(errorCount(master, "TRYAGAIN")).as("TRYAGAIN replies of %s", master)
				.isEqualTo(before));
		String key = prefix + "{" + workspace + "}:workspace";
		assertThat(target.commands().hkeys(key)).contains("m", "fsrc/file-3.rs", "fworker-0/file-0");
		assertThat(target.commands().hkeys(prefix + "{" + evicted + "}:workspace")).containsExactly("x");
		assertThat(cache.getWorkspace(workspace)).contains(snapshot);
		assertThat(cache.getFiles(workspace)).containsAllEntriesOf(files);
		cache.evict(workspace);
		cache.evict(neighbour);
	}

	@Test
	void theStarterTurnsOnTopologyRefreshWhenTheApplicationDidNotConfigureIt() {
		ClusterTopologyRefreshOptions refresh = refreshOptions(application.connectionFactory());
		assertThat(refresh.getAdaptiveRefreshTriggers()).containsExactlyInAnyOrder(RefreshTrigger.values());
		assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
		assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(10));
		assertThat(refresh.getAdaptiveRefreshTimeout()).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void anExplicitAdaptiveFalseWins() {
		contextRunner().withPropertyValues("spring.data.redis.lettuce.cluster.refresh.adaptive=false")
			.run((context) -> {
				ClusterTopologyRefreshOptions refresh = refreshOptions(context.getBean(LettuceConnectionFactory.class));
				assertThat(refresh.getAdaptiveRefreshTriggers()).isEmpty();
				assertThat(refresh.isPeriodicRefreshEnabled()).isFalse();
			});
	}

	@Test
	void anExplicitPeriodWinsAndLeavesAdaptiveRefreshToTheApplication() {
		contextRunner().withPropertyValues("spring.data.redis.lettuce.cluster.refresh.period=42s").run((context) -> {
			ClusterTopologyRefreshOptions refresh = refreshOptions(context.getBean(LettuceConnectionFactory.class));
			assertThat(refresh.getAdaptiveRefreshTriggers()).isEmpty();
			assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
			assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(42));
		});
	}

	@Test
	void explicitAdaptiveTrueAndPeriodAreTakenAsGiven() {
		contextRunner()
			.withPropertyValues("spring.data.redis.lettuce.cluster.refresh.adaptive=true",
					"spring.data.redis.lettuce.cluster.refresh.period=5m")
			.run((context) -> {
				ClusterTopologyRefreshOptions refresh = refreshOptions(context.getBean(LettuceConnectionFactory.class));
				assertThat(refresh.getAdaptiveRefreshTriggers()).isNotEmpty();
				assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofMinutes(5));
				// The cache still works over the application's own refresh settings.
				WorkspaceCache cache = context.getBean(WorkspaceCache.class);
				UUID workspace = UUID.randomUUID();
				cache.cacheFile(workspace, "a.txt", modified("a"));
				assertThat(cache.getFile(workspace, "a.txt")).contains(modified("a"));
				cache.evict(workspace);
			});
	}

	@Test
	void theMinimalAclRuleWithClusterNodesRunsTheCacheOnTheCluster() {
		String password = "cluster-acl-" + UUID.randomUUID();
		List<String> commands = new ArrayList<>(AclRules.COMMANDS);
		commands.addAll(AclRules.CLUSTER_COMMANDS);
		// ACL users are per node: a cluster does not propagate them.
		cluster.running().forEach((node) -> {
			AclRules.setUser(node.commands(), "cluster-cache", AclRules.tokens(password, commands));
			AclRules.setUser(node.commands(), "no-topology", AclRules.tokens(password, AclRules.COMMANDS));
		});
		contextRunner()
			.withPropertyValues("spring.data.redis.username=cluster-cache", "spring.data.redis.password=" + password,
					"workspace.cache.key-prefix=" + AclRules.KEY_PREFIX)
			.run((context) -> {
				WorkspaceCache cache = context.getBean(WorkspaceCache.class);
				for (int i = 0; i < 10; i++) {
					UUID workspace = UUID.randomUUID();
					CachedWorkspace whole = CachedWorkspace.of(snapshot(workspace), Map.of("z.txt", deleted()), null);
					assertThat(cache.cacheAll(workspace, whole)).isEqualTo(WriteOutcome.MISSING);
					assertThat(cache.recover(workspace)).contains(whole);
					cache.cacheWorkspace(workspace, snapshot(workspace));
					cache.cacheFiles(workspace, Map.of("a.txt", added("a")));
					cache.cacheGraph(workspace, utf8("graph"));
					assertThat(cache.touch(workspace)).isEqualTo(WriteOutcome.PRESENT);
					assertThat(cache.getWorkspace(workspace)).isPresent();
					assertThat(cache.getFiles(workspace)).containsOnlyKeys("a.txt", "z.txt");
					assertThat(cache.listFiles(workspace)).containsExactly("a.txt", "z.txt");
					assertThat(cache.getFile(workspace, "a.txt")).isPresent();
					assertThat(cache.getGraph(workspace)).isPresent();
					cache.evict(workspace);
					assertThat(cache.touch(workspace)).isEqualTo(WriteOutcome.EVICTED);
				}
			});
		contextRunner()
			.withPropertyValues("spring.data.redis.username=no-topology", "spring.data.redis.password=" + password,
					"workspace.cache.key-prefix=" + AclRules.KEY_PREFIX)
			.run((context) -> {
				WorkspaceCache cache = context.getBean(WorkspaceCache.class);
				UUID workspace = UUID.randomUUID();
				try {
					cache.getWorkspace(workspace);
					throw new AssertionError("A cluster client read without CLUSTER NODES permission");
				}
				catch (WorkspaceCacheException ex) {
					assertThat(ex.getOperation()).isEqualTo(WorkspaceCacheOperation.GET_WORKSPACE);
					assertThat(ex.getMessage()).doesNotContain(password);
					System.out.println("ACL cluster user without cluster|nodes: " + ex.getMessage());
				}
			});
	}

	private static ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataRedisAutoConfiguration.class, WorkspaceCacheAutoConfiguration.class))
			.withPropertyValues("workspace.cache.mode=valkey",
					"spring.data.redis.cluster.nodes=" + cluster.nodesProperty(),
					"workspace.cache.key-prefix=" + "refresh-test:");
	}

	private static ClusterTopologyRefreshOptions refreshOptions(LettuceConnectionFactory factory) {
		ClusterClientOptions options = (ClusterClientOptions) factory.getClientConfiguration()
			.getClientOptions()
			.orElseThrow();
		return options.getTopologyRefreshOptions();
	}

	/**
	 * Return how many errors with the given code the node has replied since it started,
	 * from {@code INFO errorstats}.
	 */
	private static long errorCount(TestCluster.Node node, String code) {
		String prefix = "errorstat_" + code + ":count=";
		return node.commands()
			.info("errorstats")
			.lines()
			.filter((line) -> line.startsWith(prefix))
			.mapToLong((line) -> Long.parseLong(line.substring(prefix.length()).trim()))
			.sum();
	}

	private static <T> void check(T actual, T expected, String what, ConcurrentLinkedQueue<String> failures) {
		if (actual == null) {
			failures.add(what + ": miss");
		}
		else if (!actual.equals(expected)) {
			failures.add(what + ": wrong value " + actual);
		}
	}

	private static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
		Map<String, Long> difference = new HashMap<>();
		after.forEach((command, calls) -> {
			long delta = calls - before.getOrDefault(command, 0L);
			if (delta != 0) {
				difference.put(command, delta);
			}
		});
		return difference;
	}

}
