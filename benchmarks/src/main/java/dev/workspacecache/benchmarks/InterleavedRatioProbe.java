package dev.workspacecache.benchmarks;

import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

import io.lettuce.core.api.sync.RedisCommands;

import dev.workspacecache.testsupport.RedisServer;
import dev.workspacecache.valkey.ValkeyCache;

/**
 * A cross-check of the JMH goals stated as a ratio to one raw command, not part of the
 * report: ours and the raw command are called alternately, call by call, and the ratio of
 * their median latencies is reported. On a shared 2-core machine the speed of the machine
 * drifts during a JMH run, which measures ours and the baseline one after the other; here
 * both see the same drift, so the ratio holds still where the JMH ratio moves by 2-3x
 * from one run to the next. Starts its own server, like {@link BenchmarkSuite}.
 * <p>
 * Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.workspacecache.benchmarks.InterleavedRatioProbe
 * [/usr/bin/valkey-server]} (by default the server the tests would use). Each line gives
 * ours' median time over the raw command's: for {@code recover} the goal is at most 1.3,
 * for {@code getFile}/{@code cacheFile} (a throughput of at least 0.9x raw) at most 1.11.
 */
public final class InterleavedRatioProbe {

	private InterleavedRatioProbe() {
	}

	public static void main(String[] args) {
		try (RedisServer server = BenchmarkConnection.startServer(args);
				BenchmarkConnection connection = BenchmarkConnection.open(server.host(), server.port())) {
			ValkeyCache cache = connection.cache();
			RedisCommands<byte[], byte[]> raw = connection.raw();
			ServerView view = new ServerView(connection);
			System.out.println("Ours and raw called alternately against " + server + "; median (p90) per call");
			for (int files : new int[] { 10, 100, 1000 }) {
				UUID workspace = UUID.randomUUID();
				cache.cacheAll(workspace, Workloads.workspace(files));
				byte[] key = view.keyOf(workspace);
				compare("recover " + files + " x 1 KiB vs raw HGETALL", (files > 100) ? 3_000 : 10_000,
						() -> cache.recover(workspace), () -> raw.hgetall(key));
			}
			for (int size : new int[] { 4096, 262144 }) {
				StoredFile file = StoredFile.store(connection, size, 1);
				int calls = (size > 10_000) ? 3_000 : 20_000;
				compare("getFile " + size + " B vs raw GET", calls, () -> cache.getFile(file.workspace(), file.path()),
						() -> raw.get(file.rawKey()));
				compare("cacheFile " + size + " B vs raw SET", calls,
						() -> cache.cacheFile(file.workspace(), file.path(), file.entry()),
						() -> raw.set(file.rawKey(), file.storedValue(), file.rawSetArgs()));
				file.remove(connection);
			}
		}
	}

	/**
	 * Call two operations alternately and print the ratio of their median times.
	 * @param name what is compared
	 * @param calls how many times each is timed, after half as many warm-up calls
	 * @param ours the operation measured
	 * @param raw its baseline
	 */
	static void compare(String name, int calls, Runnable ours, Runnable raw) {
		// Warm-up, then alternate: each pair of calls meets the same state of the
		// machine.
		for (int i = 0; i < calls / 2; i++) {
			ours.run();
			raw.run();
		}
		long[] oursNanos = new long[calls];
		long[] rawNanos = new long[calls];
		for (int i = 0; i < calls; i++) {
			boolean oursFirst = (i % 2 == 0);
			long start = System.nanoTime();
			(oursFirst ? ours : raw).run();
			long middle = System.nanoTime();
			(oursFirst ? raw : ours).run();
			long end = System.nanoTime();
			oursNanos[i] = oursFirst ? middle - start : end - middle;
			rawNanos[i] = oursFirst ? end - middle : middle - start;
		}
		Arrays.sort(oursNanos);
		Arrays.sort(rawNanos);
		long oursMedian = oursNanos[calls / 2];
		long rawMedian = rawNanos[calls / 2];
		System.out.println(String.format(Locale.ROOT, "%-38s ours %8.1f us (%8.1f)   raw %8.1f us (%8.1f)   %.2fx",
				name, oursMedian / 1e3, oursNanos[calls * 9 / 10] / 1e3, rawMedian / 1e3,
				rawNanos[calls * 9 / 10] / 1e3, (double) oursMedian / rawMedian));
	}

}
