package dev.workspacecache.benchmarks;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WriteOutcome;
import dev.workspacecache.valkey.ValkeyCache;
import io.lettuce.core.api.sync.RedisCommands;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scenario 2: recovering a whole workspace (its snapshot, 10, 100 or 1,000 files of 1 KiB
 * and a 4 KiB graph), written with {@link ValkeyCache#cacheAll}.
 * <ul>
 * <li>{@code ours_recover}: {@link ValkeyCache#recover}, one {@code HGETALL} of the
 * workspace's one key, every part decoded into a {@link CachedWorkspace};</li>
 * <li>{@code raw_hgetall}: raw Lettuce {@code HGETALL} of the very key our cache wrote,
 * on the same shared connection: the same bytes in one round trip, not decoded, the
 * limit; goal: ours at most 1.3x its time;</li>
 * <li>{@code original_nPlus1}: the original engine's API on its layout, with the same
 * value bytes ({@link OriginalDesign#recover}): snapshot, list of paths, one read per
 * path, graph, N+3 sequential round trips; goal: ours at least 50x faster at 1,000
 * files.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class RecoveryBenchmark {

	/** Number of files in the workspace, 1 KiB each. */
	@Param({ "10", "100", "1000" })
	public int files;

	private BenchmarkConnection connection;

	private ValkeyCache cache;

	private RedisCommands<byte[], byte[]> raw;

	private OriginalDesign original;

	private final UUID ours = UUID.randomUUID();

	private final UUID theirs = UUID.randomUUID();

	private byte[] ourKey;

	@Setup(Level.Trial)
	public void setUp() {
		this.connection = BenchmarkConnection.open();
		this.cache = this.connection.cache();
		this.raw = this.connection.raw();
		this.original = new OriginalDesign(this.connection.dedicated(), BenchmarkConnection.TTL);
		CachedWorkspace workspace = Workloads.workspace(this.files);
		expect(this.cache.cacheAll(this.ours, workspace), WriteOutcome.MISSING, "cacheAll of a new workspace");
		ServerView view = new ServerView(this.connection);
		this.ourKey = view.keyOf(this.ours);
		this.original.cacheWorkspace(this.theirs, view.storedSnapshot(workspace.snapshot()),
				view.storedGraph(workspace.graph().orElseThrow()), view.storedValues(workspace.files()));
		if (!workspace.equals(this.cache.recover(this.ours).orElse(null))) {
			throw new IllegalStateException("recover did not return the workspace written with cacheAll");
		}
		OriginalDesign.Recovered theirs = this.original.recover(this.theirs);
		if (theirs.files().size() != this.files || theirs.meta() == null || theirs.graph() == null) {
			throw new IllegalStateException(
					"the original design recovered " + theirs.files().size() + " of " + this.files + " files");
		}
		// The files, the snapshot, the graph and the version.
		int fields = this.raw.hgetall(this.ourKey).size();
		if (fields != this.files + 3) {
			throw new IllegalStateException("HGETALL read " + fields + " fields, expected " + (this.files + 3));
		}
	}

	static void expect(WriteOutcome outcome, WriteOutcome expected, String what) {
		if (outcome != expected) {
			throw new IllegalStateException(what + " returned " + outcome + ", expected " + expected);
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.raw.unlink(this.ourKey);
		this.original.evict(this.theirs);
		this.connection.close();
	}

	@Benchmark
	public Optional<CachedWorkspace> ours_recover() {
		return this.cache.recover(this.ours);
	}

	@Benchmark
	public Map<byte[], byte[]> raw_hgetall() {
		return this.raw.hgetall(this.ourKey);
	}

	/**
	 * Returns {@code Object}: the record type is package-private, JMH's generated code is
	 * not.
	 */
	@Benchmark
	public Object original_nPlus1() {
		return this.original.recover(this.theirs);
	}

}
