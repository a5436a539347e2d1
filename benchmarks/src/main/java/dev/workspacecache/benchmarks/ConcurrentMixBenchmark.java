package dev.workspacecache.benchmarks;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.valkey.ValkeyCache;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scenario 5: 16 threads share one cache and so one connection (Spring Data Redis's
 * shared native connection); each does 80% reads and 20% writes (every fifth operation)
 * of a 4 KiB file of its own cached workspace. Compared, in the report, with the server's
 * own load generator, {@code redis-benchmark} or {@code valkey-benchmark}
 * {@code -c 16 -d 4096 -t get,set}, on the same server (goal: ours at least 0.5x);
 * {@code raw_mixed} is the same mix with raw Lettuce {@code GET}/{@code SET} of the same
 * bytes on the same connection, for reference.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(ConcurrentMixBenchmark.THREADS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class ConcurrentMixBenchmark {

	/** Number of threads, as redis-benchmark's {@code -c 16}. */
	public static final int THREADS = 16;

	/** Content size, as redis-benchmark's {@code -d 4096}. */
	public static final int SIZE = 4096;

	/** One write in every this many operations: 20%. */
	private static final int WRITE_EVERY = 5;

	private static final String PATH = "src/main/java/dev/example/billing/InvoiceService.java";

	/** The cache and connection all threads share. */
	@State(Scope.Benchmark)
	public static class Shared {

		BenchmarkConnection connection;

		ValkeyCache cache;

		RedisCommands<byte[], byte[]> raw;

		@Setup(Level.Trial)
		public void setUp() {
			this.connection = BenchmarkConnection.open();
			this.cache = this.connection.cache();
			this.raw = this.connection.raw();
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.connection.close();
		}

	}

	/**
	 * One thread's workspace, file and operation counter. Its keys are left to the
	 * server, which the suite throws away at the end of the run.
	 */
	@State(Scope.Thread)
	public static class Worker {

		final UUID workspace = UUID.randomUUID();

		CachedOverlayEntry entry;

		byte[] rawKey;

		byte[] storedValue;

		final SetArgs rawSetArgs = SetArgs.Builder.px(BenchmarkConnection.TTL.toMillis());

		int operations;

		@Setup(Level.Trial)
		public void setUp(Shared shared) {
			this.entry = Workloads.file(SIZE, this.workspace.getLeastSignificantBits());
			shared.cache.cacheFile(this.workspace, PATH, this.entry);
			// The one field of the workspace's key is this entry: the raw baseline moves
			// its bytes.
			ServerView view = new ServerView(shared.connection);
			this.storedValue = view.onlyField(view.keyOf(this.workspace)).getValue();
			shared.cache.cacheWorkspace(this.workspace, Workloads.snapshot());
			this.rawKey = Workloads.utf8("bench:raw:{" + this.workspace + "}:file");
			shared.raw.set(this.rawKey, this.storedValue, this.rawSetArgs);
		}

		boolean writeNow() {
			return ++this.operations % WRITE_EVERY == 0;
		}

	}

	@Benchmark
	public Optional<CachedOverlayEntry> ours_mixed(Shared shared, Worker worker) {
		if (worker.writeNow()) {
			shared.cache.cacheFile(worker.workspace, PATH, worker.entry);
			return Optional.empty();
		}
		return shared.cache.getFile(worker.workspace, PATH);
	}

	@Benchmark
	public Object raw_mixed(Shared shared, Worker worker) {
		if (worker.writeNow()) {
			return shared.raw.set(worker.rawKey, worker.storedValue, worker.rawSetArgs);
		}
		return shared.raw.get(worker.rawKey);
	}

}
