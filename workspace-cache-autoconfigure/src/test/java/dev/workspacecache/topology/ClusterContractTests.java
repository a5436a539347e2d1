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
import java.util.stream.Collectors;

import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.autoconfigure.WorkspaceCacheAutoConfiguration;
import dev.workspacecache.valkey.ValkeyCache;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static dev.workspacecache.testsupport.WorkspaceFixtures.added;
import static dev.workspacecache.testsupport.WorkspaceFixtures.deleted;
import static dev.workspacecache.testsupport.WorkspaceFixtures.modified;
import static dev.workspacecache.testsupport.WorkspaceFixtures.snapshot;
import static dev.workspacecache.testsupport.WorkspaceFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole contract against a real cluster of three masters and three replicas, with the
 * cache made by the auto-configuration from {@code spring.data.redis.cluster.nodes} only; plus
 * what is special about a cluster: every operation is one command on the master of the
 * workspace's slot, workspaces spread over every master, scripts survive an empty script cache,
 * a live workspace's slot can be resharded under load, and the starter's topology refresh
 * defaults yield to the application's settings.
 */
class ClusterContractTests extends AutoConfiguredContractTests {

	/** The commands a cache operation may send; script bodies' commands are counted too. */
	private static final Set<String> DATA_COMMANDS = Set.of("get", "hget", "hkeys", "hgetall", "unlink", "evalsha",
			"eval", "set", "hset", "pexpire", "del", "exists", "expire");

	private static final Set<String> TOP_LEVEL_COMMANDS = Set.of("get", "hget", "hkeys", "hgetall", "unlink",
			"evalsha", "eval");

	private static TestCluster cluster;

	private static BootRedisApplication application;

	@BeforeAll
	static void startCluster() {
		cluster = TestCluster.start();
		application = BootRedisApplication.run(Map.of("spring.data.redis.cluster.nodes", cluster.nodesProperty(),
				"spring.data.redis.timeout", "2s"));
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
		List<String> keys = List.of(prefix + "{" + workspace + "}:meta", prefix + "{" + workspace + "}:graph",
				prefix + "{" + workspace + "}:files");
		Set<Integer> slots = keys.stream()
			.map((key) -> SlotHash.getSlot(key.getBytes(StandardCharsets.UTF_8)))
			.collect(Collectors.toSet());
		assertThat(slots).as("hash slots of the keys of one workspace").hasSize(1);
		int slot = slots.iterator().next();
		for (TestCluster.Node master : cluster.masters()) {
			for (String key : keys) {
				assertThat(master.commands().clusterKeyslot(key)).as("CLUSTER KEYSLOT %s", key).isEqualTo(slot);
			}
		}
		TestCluster.Node owner = cluster.masterOf(slot);
		// Loads the script on the owner, so that every write below is a single EVALSHA.
		cache.touch(workspace);
		List<Map.Entry<String, Consumer<WorkspaceCache>>> operations = List.of(
				Map.entry("evalsha", (c) -> c.cacheWorkspace(workspace, snapshot(workspace))),
				Map.entry("get", (c) -> c.getWorkspace(workspace)),
				Map.entry("evalsha", (c) -> c.cacheFile(workspace, "src/lib.rs", modified("fn foo() {}"))),
				Map.entry("hget", (c) -> c.getFile(workspace, "src/lib.rs")),
				Map.entry("hkeys", (c) -> c.listFiles(workspace)),
				Map.entry("evalsha",
						(c) -> c.cacheFiles(workspace,
								Map.of("a.txt", added("a"), "b.txt", modified("b"), "c.txt", deleted()))),
				Map.entry("hgetall", (c) -> c.getFiles(workspace)),
				Map.entry("evalsha", (c) -> c.cacheGraph(workspace, utf8("graph"))),
				Map.entry("get", (c) -> c.getGraph(workspace)),
				Map.entry("evalsha", (c) -> c.touch(workspace)),
				Map.entry("unlink", (c) -> c.evict(workspace)));
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
					assertThat(sent).as("commands of %s on the master of slot %d", description, slot)
						.containsExactly(Map.entry(expected, 1L));
				}
				else {
					assertThat(sent).as("commands of %s on %s, which does not serve slot %d", description, master,
							slot)
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
			String tag = prefix + "{" + id + "}";
			TestCluster.Node owner = cluster.masterOfKey(tag + ":meta");
			// Asked of the owner alone: a key of another slot would be refused with MOVED.
			assertThat(owner.commands().exists(tag + ":meta", tag + ":graph", tag + ":files"))
				.as("keys of workspace %s on %s", id, owner)
				.isEqualTo(3);
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
		// EVALSHA answered NOSCRIPT, then EVAL ran the script (and loaded it) on the owner.
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
	void reshardingTheSlotOfALiveWorkspaceKeepsEveryOperationSucceeding() throws Exception {
		WorkspaceCache cache = application.workspaceCache();
		String prefix = ((ValkeyCache) cache).getKeyPrefix();
		UUID workspace = UUID.randomUUID();
		int slot = SlotHash.getSlot((prefix + "{" + workspace + "}").getBytes(StandardCharsets.UTF_8));
		UUID neighbour = TestCluster.workspaceInSlot(prefix, slot);
		WorkspaceSnapshot snapshot = snapshot(workspace);
		cache.cacheWorkspace(workspace, snapshot);
		Map<String, CachedOverlayEntry> files = new LinkedHashMap<>();
		for (int i = 0; i < 20; i++) {
			files.put("src/file-" + i + ".rs", modified("content " + i));
		}
		cache.cacheFiles(workspace, files);
		// No graph: a workspace with an absent key is the hard case for a multi-key command
		// during a migration (the server cannot tell whether the absent key already moved).
		TestCluster.Node source = cluster.masterOf(slot);
		TestCluster.Node target = cluster.masters().stream().filter((m) -> m != source).findFirst().orElseThrow();

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
						cache.cacheFile(workspace, path, added(path));
						check(cache.getFile(workspace, path).orElse(null), added(path), "getFile " + path, failures);
						check(cache.getWorkspace(workspace).orElse(null), snapshot, "getWorkspace", failures);
						check(cache.getFile(workspace, "src/file-3.rs").orElse(null), modified("content 3"),
								"getFile src/file-3.rs", failures);
						Map<String, CachedOverlayEntry> all = cache.getFiles(workspace);
						check(all.get(path), added(path), "getFiles " + path, failures);
						if (!cache.listFiles(workspace).contains(path)) {
							failures.add("listFiles misses " + path);
						}
						cache.touch(workspace);
						if (thread == 0) {
							cache.evict(neighbour);
							cache.cacheFiles(neighbour, Map.of("n.txt", modified("n" + i)));
							check(cache.getFile(neighbour, "n.txt").orElse(null), modified("n" + i), "neighbour",
									failures);
						}
						operations.addAndGet(thread == 0 ? 11 : 8);
					}
					catch (RuntimeException ex) {
						failures.add(ex.toString());
					}
				}
				return null;
			}));
		}
		try {
			Thread.sleep(300);
			cluster.moveSlot(slot, target, Duration.ofMillis(200));
			Thread.sleep(500);
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
		assertThat(operations.get()).isGreaterThan(50);
		assertThat(cluster.masterOf(slot)).isSameAs(target);
		assertThat(target.commands().exists(prefix + "{" + workspace + "}:meta", prefix + "{" + workspace + "}:files"))
			.isEqualTo(2);
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
		contextRunner().withPropertyValues("spring.data.redis.lettuce.cluster.refresh.period=42s")
			.run((context) -> {
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
					cache.cacheWorkspace(workspace, snapshot(workspace));
					cache.cacheFiles(workspace, Map.of("a.txt", added("a")));
					cache.cacheGraph(workspace, utf8("graph"));
					cache.touch(workspace);
					assertThat(cache.getWorkspace(workspace)).isPresent();
					assertThat(cache.getFiles(workspace)).containsOnlyKeys("a.txt");
					assertThat(cache.listFiles(workspace)).containsExactly("a.txt");
					assertThat(cache.getFile(workspace, "a.txt")).isPresent();
					assertThat(cache.getGraph(workspace)).isPresent();
					cache.evict(workspace);
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
					assertThat(ex.getOperation()).isEqualTo("getWorkspace");
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
