package dev.workspacecache.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.lettuce.core.MigrateArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;

import static org.awaitility.Awaitility.await;

/**
 * A real Redis/Valkey Cluster of three masters with one replica each, built from
 * {@link RedisServer} processes on free loopback ports with Lettuce only (CLUSTER MEET,
 * ADDSLOTS, REPLICATE): no {@code redis-cli}/{@code valkey-cli} needed. {@link #start()}
 * returns once every node reports {@code cluster_state:ok}, agrees on the slot map and
 * every replica is in sync.
 * <p>
 * Nodes use a short {@code cluster-node-timeout} ({@value #NODE_TIMEOUT_MILLIS} ms) so
 * that a failover takes seconds, and replicas always qualify for promotion.
 */
public final class TestCluster implements AutoCloseable {

	/**
	 * The {@code cluster-node-timeout} of every node, in milliseconds.
	 */
	public static final int NODE_TIMEOUT_MILLIS = 2000;

	/**
	 * The number of masters, each with one replica.
	 */
	public static final int MASTERS = 3;

	private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);

	private final List<Node> nodes;

	private final RedisClient adminClient;

	private TestCluster(List<Node> nodes, RedisClient adminClient) {
		this.nodes = nodes;
		this.adminClient = adminClient;
	}

	/**
	 * Start six nodes in parallel and join them into a cluster of three masters and three
	 * replicas.
	 * @return the healthy cluster
	 */
	public static TestCluster start() {
		ExecutorService executor = Executors.newFixedThreadPool(6);
		List<CompletableFuture<RedisServer>> starting = new ArrayList<>();
		for (int i = 0; i < 2 * MASTERS; i++) {
			starting.add(CompletableFuture.supplyAsync(() -> RedisServer.builder()
				.arg("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout",
						Integer.toString(NODE_TIMEOUT_MILLIS), "--cluster-replica-validity-factor", "0",
						"--repl-diskless-sync-delay", "0", "--repl-ping-replica-period", "1")
				.start(), executor));
		}
		List<RedisServer> servers = new ArrayList<>();
		try {
			for (CompletableFuture<RedisServer> future : starting) {
				servers.add(future.join());
			}
		}
		catch (RuntimeException ex) {
			starting.forEach((future) -> future.thenAccept(RedisServer::close));
			throw ex;
		}
		finally {
			executor.shutdown();
		}
		RedisClient client = RedisClient.create();
		List<Node> nodes = new ArrayList<>();
		TestCluster cluster = new TestCluster(nodes, client);
		try {
			for (RedisServer server : servers) {
				nodes.add(new Node(server, client.connect(uri(server.host(), server.port()))));
			}
			cluster.join();
			return cluster;
		}
		catch (RuntimeException | Error ex) {
			servers.forEach(RedisServer::close);
			cluster.close();
			throw ex;
		}
	}

	private void join() {
		// Distinct epochs up front spare the masters the epoch collision resolution.
		for (int i = 0; i < this.nodes.size(); i++) {
			this.nodes.get(i).commands().clusterSetConfigEpoch(i + 1);
		}
		Node first = this.nodes.get(0);
		for (Node node : this.nodes.subList(1, this.nodes.size())) {
			first.commands().clusterMeet(node.server().host(), node.port());
		}
		int slotsPerMaster = SlotHash.SLOT_COUNT / MASTERS;
		for (int m = 0; m < MASTERS; m++) {
			int from = m * slotsPerMaster;
			int to = (m == MASTERS - 1) ? SlotHash.SLOT_COUNT : from + slotsPerMaster;
			this.nodes.get(m).commands().clusterAddSlots(IntStream.range(from, to).toArray());
		}
		awaitState("every node knows every other node", Duration.ofSeconds(30), (node) -> {
			Partitions partitions = partitions(node);
			return partitions.size() == this.nodes.size() && partitions.stream()
				.noneMatch((n) -> n.is(RedisClusterNode.NodeFlag.HANDSHAKE) || n.is(RedisClusterNode.NodeFlag.NOADDR));
		});
		for (int r = 0; r < MASTERS; r++) {
			this.nodes.get(MASTERS + r).commands().clusterReplicate(this.nodes.get(r).id());
		}
		awaitHealthy(Duration.ofSeconds(60));
	}

	/**
	 * Wait until every running node reports {@code cluster_state:ok}, all of them agree
	 * on which node serves each slot, every slot is served by a running master and every
	 * running replica is in sync with its master.
	 * @param timeout how long to wait
	 */
	public void awaitHealthy(Duration timeout) {
		awaitState("the cluster is healthy", timeout, (node) -> {
			if (!node.commands().clusterInfo().contains("cluster_state:ok")) {
				return false;
			}
			Partitions partitions = partitions(node);
			for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot += 97) {
				RedisClusterNode owner = partitions.getPartitionBySlot(slot);
				if (owner == null || nodeById(owner.getNodeId()).filter(Node::isRunning).isEmpty()) {
					return false;
				}
			}
			if (!slotMapOf(node).equals(slotMapOf(firstRunning()))) {
				return false;
			}
			String replication = node.commands().info("replication");
			return !replication.contains("role:slave") || replication.contains("master_link_status:up");
		});
	}

	private void awaitState(String description, Duration timeout, Predicate<Node> condition) {
		await(description).atMost(timeout)
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptions()
			.until(() -> running().stream().allMatch(condition));
	}

	private Map<Integer, String> slotMapOf(Node node) {
		Partitions partitions = partitions(node);
		Map<Integer, String> map = new HashMap<>();
		for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot += 97) {
			RedisClusterNode owner = partitions.getPartitionBySlot(slot);
			map.put(slot, (owner != null) ? owner.getNodeId() : "");
		}
		return map;
	}

	private static Partitions partitions(Node node) {
		return ClusterPartitionParser.parse(node.commands().clusterNodes());
	}

	/**
	 * Return the nodes still running.
	 * @return the running nodes
	 */
	public List<Node> running() {
		return this.nodes.stream().filter(Node::isRunning).collect(Collectors.toList());
	}

	private Node firstRunning() {
		return running().get(0);
	}

	public Optional<Node> nodeById(String id) {
		return this.nodes.stream().filter((node) -> node.id().equals(id)).findFirst();
	}

	/**
	 * Return the running masters that serve slots, as the first running node sees them.
	 * @return the running masters
	 */
	public List<Node> masters() {
		Partitions partitions = partitions(firstRunning());
		return partitions.stream()
			.filter((n) -> n.is(RedisClusterNode.NodeFlag.UPSTREAM) && !n.getSlots().isEmpty()
					&& !n.is(RedisClusterNode.NodeFlag.FAIL))
			.map((n) -> nodeById(n.getNodeId()).orElseThrow())
			.filter(Node::isRunning)
			.collect(Collectors.toList());
	}

	/**
	 * Return the node that serves the given slot, as the first running node sees it.
	 * @param slot the slot
	 * @return the node that serves the slot
	 */
	public Node masterOf(int slot) {
		RedisClusterNode owner = partitions(firstRunning()).getPartitionBySlot(slot);
		return nodeById(Objects.requireNonNull(owner, "no node serves slot " + slot).getNodeId()).orElseThrow();
	}

	/**
	 * Return the node that serves the given key.
	 * @param key the key
	 * @return the node that serves the key
	 */
	public Node masterOfKey(String key) {
		return masterOf(SlotHash.getSlot(key.getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * Return a random workspace id whose keys fall in the given slot.
	 * @param prefix the prefix of the keys, before the hash tag
	 * @param slot the slot the keys must fall in
	 * @return a workspace id whose keys fall in the slot
	 */
	public static UUID workspaceInSlot(String prefix, int slot) {
		while (true) {
			UUID candidate = UUID.randomUUID();
			if (SlotHash.getSlot((prefix + "{" + candidate + "}").getBytes(StandardCharsets.UTF_8)) == slot) {
				return candidate;
			}
		}
	}

	/**
	 * Return the replicas of a master, as the first running node sees them.
	 * @param master the master
	 * @return the replicas of the master
	 */
	public List<Node> replicasOf(Node master) {
		return partitions(firstRunning()).stream()
			.filter((n) -> master.id().equals(n.getSlaveOf()))
			.map((n) -> nodeById(n.getNodeId()).orElseThrow())
			.collect(Collectors.toList());
	}

	/**
	 * Wait until every replica has received everything its master wrote so far.
	 * @param timeout how long to wait
	 */
	public void awaitReplicated(Duration timeout) {
		Map<Node, Long> written = new HashMap<>();
		for (Node master : masters()) {
			written.put(master, Long.parseLong(field(master.commands().info("replication"), "master_repl_offset")));
		}
		await("replicas caught up").atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
			for (Map.Entry<Node, Long> entry : written.entrySet()) {
				boolean caughtUp = entry.getKey()
					.commands()
					.info("replication")
					.lines()
					.filter((line) -> line.startsWith("slave") && line.contains("state=online"))
					.map((line) -> Long.parseLong(line.replaceAll(".*,offset=(\\d+).*", "$1")))
					.anyMatch((offset) -> offset >= entry.getValue());
				if (!caughtUp) {
					return false;
				}
			}
			return true;
		});
	}

	private static String field(String info, String name) {
		return info.lines()
			.filter((line) -> line.startsWith(name + ":"))
			.map((line) -> line.substring(name.length() + 1).trim())
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no " + name + " in " + info));
	}

	/**
	 * Move a slot with its keys from the master that serves it to another master, the way
	 * {@code redis-cli --cluster reshard} does: IMPORTING on the target, MIGRATING on the
	 * source, MIGRATE of every key, then SETSLOT NODE everywhere. Pauses of {@code pause}
	 * between the steps keep the slot in its migrating state while clients work on it.
	 * @param slot the slot to move
	 * @param target the master that serves it afterwards
	 * @param pause how long to hold each intermediate state
	 */
	public void moveSlot(int slot, Node target, Duration pause) throws InterruptedException {
		Node source = masterOf(slot);
		target.commands().clusterSetSlotImporting(slot, source.id());
		source.commands().clusterSetSlotMigrating(slot, target.id());
		Thread.sleep(pause.toMillis());
		while (true) {
			List<String> keys = source.commands().clusterGetKeysInSlot(slot, 100);
			if (keys.isEmpty()) {
				break;
			}
			source.commands().migrate(target.server().host(), target.port(), 0, 5000, MigrateArgs.Builder.keys(keys));
		}
		Thread.sleep(pause.toMillis());
		target.commands().clusterSetSlotNode(slot, target.id());
		source.commands().clusterSetSlotNode(slot, target.id());
		for (Node node : masters()) {
			if (node != source && node != target) {
				node.commands().clusterSetSlotNode(slot, target.id());
			}
		}
	}

	/**
	 * Return {@code spring.data.redis.cluster.nodes} for this cluster: every node.
	 * @return the comma-separated {@code host:port} of every node
	 */
	public String nodesProperty() {
		return this.nodes.stream()
			.map((node) -> node.server().host() + ":" + node.port())
			.collect(Collectors.joining(","));
	}

	/**
	 * Kill a node as a crash would.
	 * @param node the node to kill
	 */
	public void kill(Node node) {
		node.connection.close();
		node.server().kill();
	}

	public String describe() {
		return this.nodes.stream()
			.filter(Node::isRunning)
			.findFirst()
			.map((node) -> node.commands().clusterNodes())
			.orElse("(no node running)");
	}

	@Override
	public void close() {
		for (Node node : this.nodes) {
			try {
				node.connection.close();
			}
			catch (RuntimeException ex) {
				// Best effort.
			}
			node.server().close();
		}
		this.adminClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
	}

	private static RedisURI uri(String host, int port) {
		return RedisURI.builder().withHost(host).withPort(port).withTimeout(ADMIN_TIMEOUT).build();
	}

	/**
	 * One server of the cluster, with an administration connection straight to it.
	 */
	public static final class Node {

		private final RedisServer server;

		private final StatefulRedisConnection<String, String> connection;

		private final String id;

		Node(RedisServer server, StatefulRedisConnection<String, String> connection) {
			this.server = server;
			this.connection = connection;
			this.id = connection.sync().clusterMyId();
		}

		public RedisServer server() {
			return this.server;
		}

		public int port() {
			return this.server.port();
		}

		public String id() {
			return this.id;
		}

		/**
		 * Commands sent to this node only (no redirection is followed).
		 * @return the synchronous commands of this node's connection
		 */
		public RedisCommands<String, String> commands() {
			return this.connection.sync();
		}

		public boolean isRunning() {
			return this.server.isRunning();
		}

		/**
		 * Return the number of calls of each command since the node started, from
		 * {@code INFO commandstats}, for example {@code get -> 12}.
		 * @return the number of calls by command name
		 */
		public Map<String, Long> commandCalls() {
			Map<String, Long> calls = new HashMap<>();
			for (String line : commands().info("commandstats").split("\r?\n")) {
				if (line.startsWith("cmdstat_")) {
					String name = line.substring("cmdstat_".length(), line.indexOf(':'));
					String stats = line.substring(line.indexOf(':') + 1);
					for (String stat : stats.split(",")) {
						if (stat.startsWith("calls=")) {
							calls.put(name, Long.parseLong(stat.substring("calls=".length())));
						}
					}
				}
			}
			return calls;
		}

		@Override
		public String toString() {
			return "node " + this.id.substring(0, 8) + " on port " + port();
		}

	}

}
