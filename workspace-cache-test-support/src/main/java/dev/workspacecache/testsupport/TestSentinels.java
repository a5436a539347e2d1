package dev.workspacecache.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import org.jspecify.annotations.Nullable;

import static org.awaitility.Awaitility.await;

/**
 * A master and its replica, watched by three Sentinels, all real processes on free
 * loopback ports. {@link #start()} returns once every Sentinel knows the replica and the
 * other two Sentinels. Sentinels declare the master down after
 * {@value #DOWN_AFTER_MILLIS} ms.
 */
public final class TestSentinels implements AutoCloseable {

	/**
	 * The name under which the Sentinels monitor the master.
	 */
	public static final String MASTER_NAME = "workspace-cache-master";

	/**
	 * How long the master must be unreachable before the Sentinels declare it down, in
	 * milliseconds.
	 */
	public static final int DOWN_AFTER_MILLIS = 1000;

	private static final int FAILOVER_TIMEOUT_MILLIS = 5000;

	private final RedisServer master;

	private final RedisServer replica;

	private final List<RedisServer> sentinels;

	private final RedisClient client;

	private final List<StatefulRedisSentinelConnection<String, String>> sentinelConnections = new ArrayList<>();

	private TestSentinels(RedisServer master, RedisServer replica, List<RedisServer> sentinels) {
		this.master = master;
		this.replica = replica;
		this.sentinels = sentinels;
		this.client = RedisClient.create();
	}

	public static TestSentinels start() {
		RedisServer master = RedisServer.builder().arg("--repl-diskless-sync-delay", "0").start();
		@Nullable RedisServer replica = null;
		List<CompletableFuture<RedisServer>> starting = new ArrayList<>();
		try {
			replica = RedisServer.builder()
				.arg("--replicaof", master.host(), Integer.toString(master.port()), "--repl-diskless-sync-delay", "0")
				.start();
			for (int i = 1; i <= 3; i++) {
				starting.add(CompletableFuture
					.supplyAsync(() -> RedisServer.builder().sentinel(sentinelDirectives(master)).start()));
			}
			List<RedisServer> sentinels = new ArrayList<>();
			for (CompletableFuture<RedisServer> future : starting) {
				sentinels.add(future.join());
			}
			TestSentinels topology = new TestSentinels(master, replica, sentinels);
			try {
				topology.awaitReady();
			}
			catch (RuntimeException | Error ex) {
				topology.close();
				throw ex;
			}
			return topology;
		}
		catch (RuntimeException ex) {
			starting.forEach((future) -> future.thenAccept(RedisServer::close));
			master.close();
			if (replica != null) {
				replica.close();
			}
			throw ex;
		}
	}

	/**
	 * The Sentinels are the servers' own binary in Sentinel mode ({@code redis-server
	 * --sentinel} or {@code valkey-server --sentinel}), always the family of the master.
	 * @param master the master to monitor
	 * @return the Sentinel directives
	 */
	private static List<String> sentinelDirectives(RedisServer master) {
		return List.of("sentinel monitor " + MASTER_NAME + " " + master.host() + " " + master.port() + " 2",
				"sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MILLIS,
				"sentinel failover-timeout " + MASTER_NAME + " " + FAILOVER_TIMEOUT_MILLIS,
				"sentinel parallel-syncs " + MASTER_NAME + " 1");
	}

	private void awaitReady() {
		for (RedisServer sentinel : this.sentinels) {
			this.sentinelConnections.add(this.client.connectSentinel(uri(sentinel.host(), sentinel.port())));
		}
		try (StatefulRedisConnection<String, String> connection = this.client
			.connect(uri(this.replica.host(), this.replica.port()))) {
			await("replica in sync").atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> connection.sync().info("replication").contains("master_link_status:up"));
		}
		await("every Sentinel knows the replica and the other Sentinels").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptions()
			.until(() -> this.sentinelConnections.stream().allMatch((connection) -> {
				Map<String, String> state = connection.sync().master(MASTER_NAME);
				return "master".equals(state.get("flags")) && "1".equals(state.get("num-slaves"))
						&& "2".equals(state.get("num-other-sentinels"));
			}));
	}

	public RedisServer master() {
		return this.master;
	}

	public RedisServer replica() {
		return this.replica;
	}

	/**
	 * Return {@code spring.data.redis.sentinel.nodes} for the three Sentinels.
	 * @return the comma-separated {@code host:port} of every Sentinel
	 */
	public String nodesProperty() {
		return this.sentinels.stream().map((s) -> s.host() + ":" + s.port()).collect(Collectors.joining(","));
	}

	/**
	 * Return the port of the master that the first Sentinel that answers names.
	 * @return the port of the current master
	 */
	public int currentMasterPort() {
		RuntimeException failure = null;
		for (StatefulRedisSentinelConnection<String, String> connection : this.sentinelConnections) {
			try {
				return ((java.net.InetSocketAddress) connection.sync().getMasterAddrByName(MASTER_NAME)).getPort();
			}
			catch (RuntimeException ex) {
				failure = ex;
			}
		}
		throw (failure != null) ? failure : new IllegalStateException("No Sentinel");
	}

	/**
	 * Wait until the replica has received everything the master wrote so far.
	 * @param timeout how long to wait
	 */
	public void awaitReplicated(Duration timeout) {
		try (StatefulRedisConnection<String, String> toMaster = this.client
			.connect(uri(this.master.host(), this.master.port()));
				StatefulRedisConnection<String, String> toReplica = this.client
					.connect(uri(this.replica.host(), this.replica.port()))) {
			long written = offset(toMaster.sync().info("replication"), "master_repl_offset");
			await("replica caught up").atMost(timeout)
				.pollInterval(Duration.ofMillis(50))
				.until(() -> offset(toReplica.sync().info("replication"), "slave_repl_offset") >= written);
		}
	}

	private static long offset(String info, String field) {
		return info.lines()
			.filter((line) -> line.startsWith(field + ":"))
			.mapToLong((line) -> Long.parseLong(line.substring(field.length() + 1).trim()))
			.findFirst()
			.orElse(-1);
	}

	public String describe() {
		return this.sentinels.stream().map(RedisServer::output).collect(Collectors.joining("\n"));
	}

	@Override
	public void close() {
		this.sentinelConnections.forEach((connection) -> {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				// Best effort.
			}
		});
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		this.sentinels.forEach(RedisServer::close);
		this.replica.close();
		this.master.close();
	}

	private static RedisURI uri(String host, int port) {
		return RedisURI.builder().withHost(host).withPort(port).withTimeout(Duration.ofSeconds(5)).build();
	}

}
