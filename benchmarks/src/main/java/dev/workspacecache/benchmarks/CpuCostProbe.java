package dev.workspacecache.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.UUID;

import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.testsupport.RedisServer;
import dev.workspacecache.valkey.ValkeyCache;
import io.lettuce.core.api.sync.RedisCommands;

import org.springframework.session.data.redis.RedisSessionRepository;

/**
 * A profiling aid, not part of the report: what one call costs in CPU, ours against raw
 * Lettuce, on the calling thread ({@link ThreadMXBean#getCurrentThreadCpuTime()}) and on
 * the server ({@code INFO cpu}). Unlike throughput, CPU time per call barely moves when
 * other processes share the machine, so it tells where a gap comes from (our code, or the
 * server) when wall-clock numbers are noisy. Starts its own server, like
 * {@link BenchmarkSuite}.
 * <p>
 * Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.workspacecache.benchmarks.CpuCostProbe
 * [/usr/bin/valkey-server]} (by default the server the tests would use).
 */
public final class CpuCostProbe {

	private static final int ROUNDS = 3;

	private final RedisCommands<byte[], byte[]> raw;

	private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private CpuCostProbe(RedisCommands<byte[], byte[]> raw) {
		this.raw = raw;
	}

	public static void main(String[] args) {
		try (RedisServer server = BenchmarkConnection.startServer(args);
				BenchmarkConnection connection = BenchmarkConnection.open(server.host(), server.port())) {
			CpuCostProbe probe = new CpuCostProbe(connection.raw());
			ValkeyCache cache = connection.cache();
			RedisCommands<byte[], byte[]> raw = connection.raw();
			ServerView view = new ServerView(connection);
			System.out
				.println("Per call, last of " + ROUNDS + " rounds: wall time, CPU of the calling thread, server CPU");
			for (int size : new int[] { 4096, 262144 }) {
				StoredFile file = StoredFile.store(connection, size, 1);
				int calls = (size > 10_000) ? 3_000 : 20_000;
				probe.measure("getFile " + size, calls, () -> cache.getFile(file.workspace(), file.path()));
				probe.measure("raw GET " + size, calls, () -> raw.get(file.rawKey()));
				probe.measure("cacheFile " + size, calls,
						() -> cache.cacheFile(file.workspace(), file.path(), file.entry()));
				probe.measure("raw SET " + size, calls,
						() -> raw.set(file.rawKey(), file.storedValue(), file.rawSetArgs()));
			}
			UUID workspace = UUID.randomUUID();
			CachedWorkspace whole = Workloads.workspace(1000);
			cache.cacheAll(workspace, whole);
			byte[] key = view.keyOf(workspace);
			probe.measure("recover 1000 x 1 KiB", 300, () -> cache.recover(workspace));
			probe.measure("raw HGETALL same key", 300, () -> raw.hgetall(key));
			probe.measure("cacheAll 1000 x 1 KiB", 300, () -> cache.cacheAll(workspace, whole));
			// The same fields written without a script: one HSET of every field, then
			// PEXPIRE.
			Map<byte[], byte[]> fields = raw.hgetall(key);
			byte[] rawWorkspace = Workloads.utf8("bench:probe:hash:" + workspace);
			probe.measure("raw HSET same fields", 300, () -> {
				raw.hset(rawWorkspace, fields);
				raw.pexpire(rawWorkspace, BenchmarkConnection.TTL.toMillis());
			});
			for (SpringSessionStore.Serializer serializer : SpringSessionStore.Serializer.values()) {
				RedisSessionRepository repository = SpringSessionStore.repository(connection.factory(), serializer);
				// One session id for every save, as in SpringSessionBenchmark: each save
				// overwrites it.
				String id = UUID.randomUUID().toString();
				repository.setSessionIdGenerator(() -> id);
				Map<String, Object> attributes = SpringSessionStore.attributes(whole);
				SpringSessionStore.save(repository, attributes);
				probe.measure("Spring save " + serializer, 300, () -> SpringSessionStore.save(repository, attributes));
				probe.measure("Spring load " + serializer, 300,
						() -> SpringSessionStore.load(repository, id, (name, value) -> {
						}));
			}
		}
	}

	private void measure(String name, int calls, Runnable call) {
		for (int i = 0; i < calls / 2; i++) {
			call.run();
		}
		String line = "";
		for (int round = 0; round < ROUNDS; round++) {
			double serverBefore = serverCpuSeconds();
			long threadBefore = this.threads.getCurrentThreadCpuTime();
			long wallBefore = System.nanoTime();
			for (int i = 0; i < calls; i++) {
				call.run();
			}
			long wall = System.nanoTime() - wallBefore;
			long thread = this.threads.getCurrentThreadCpuTime() - threadBefore;
			double server = serverCpuSeconds() - serverBefore;
			line = String.format("%-24s wall %8.1f us   caller CPU %7.1f us   server CPU %7.1f us", name,
					wall / 1e3 / calls, thread / 1e3 / calls, server * 1e6 / calls);
		}
		System.out.println(line);
	}

	private double serverCpuSeconds() {
		double seconds = 0;
		for (String line : this.raw.info("cpu").split("\r\n")) {
			if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
				seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1));
			}
		}
		return seconds;
	}

}
