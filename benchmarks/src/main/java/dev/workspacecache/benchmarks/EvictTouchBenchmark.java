package dev.workspacecache.benchmarks;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WriteOutcome;
import dev.workspacecache.valkey.ValkeyCache;
import io.lettuce.core.RestoreArgs;
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
 * Scenario 4: {@code evict} and {@code touch} of a workspace of 1,000 files of 1 KiB
 * (plus its snapshot and a 4 KiB graph), against the original design's two round trips
 * with one command per key ({@link OriginalDesign#evict}, {@link OriginalDesign#touch}).
 * <ul>
 * <li>{@code ours_evict}: one script on the workspace's one key that replaces it with the
 * evict marker ({@code UNLINK}, {@code HSET} of the marker, {@code PEXPIRE}). Before
 * every invocation, outside the measured time, the workspace is put back as it was:
 * {@code RESTORE ... REPLACE} of a {@code DUMP} of the key taken after {@code cacheAll},
 * which also removes the marker (a {@code cacheAll} would be refused by it).</li>
 * <li>{@code ours_touch}: one script that checks the key for the evict marker and the
 * snapshot (two {@code HEXISTS}) and re-expires it ({@code PEXPIRE}); it finds the
 * workspace ({@link WriteOutcome#PRESENT}).</li>
 * </ul>
 * The original design's workspace is rebuilt before every evict with its own pipelined
 * writes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class EvictTouchBenchmark {

	/**
	 * Both workspaces, with the same content: ours written through
	 * {@link ValkeyCache#cacheAll}, the original's written in its layout with the same
	 * value bytes.
	 */
	@State(Scope.Benchmark)
	public static class Workspaces {

		/** Number of files in the workspace, 1 KiB each. */
		@Param({ "1000" })
		public int files;

		BenchmarkConnection connection;

		ValkeyCache cache;

		RedisCommands<byte[], byte[]> raw;

		OriginalDesign original;

		final UUID ours = UUID.randomUUID();

		final UUID theirs = UUID.randomUUID();

		private byte[] ourKey;

		private byte[] ourDump;

		private RestoreArgs restoreArgs;

		private byte[] storedSnapshot;

		private byte[] storedGraph;

		private Map<String, byte[]> storedValues;

		@Setup(Level.Trial)
		public void setUp() {
			this.connection = BenchmarkConnection.open();
			this.cache = this.connection.cache();
			this.raw = this.connection.raw();
			this.original = new OriginalDesign(this.connection.dedicated(), BenchmarkConnection.TTL);
			CachedWorkspace workspace = Workloads.workspace(this.files);
			RecoveryBenchmark.expect(this.cache.cacheAll(this.ours, workspace), WriteOutcome.MISSING,
					"cacheAll of a new workspace");
			ServerView view = new ServerView(this.connection);
			this.ourKey = view.keyOf(this.ours);
			this.ourDump = this.raw.dump(this.ourKey);
			this.restoreArgs = RestoreArgs.Builder.ttl(BenchmarkConnection.TTL.toMillis()).replace();
			this.storedSnapshot = view.storedSnapshot(workspace.snapshot());
			this.storedGraph = view.storedGraph(workspace.graph().orElseThrow());
			this.storedValues = view.storedValues(workspace.files());
			writeTheirs();
			// The rebuild puts back a workspace that recover reads whole and touch finds.
			this.cache.evict(this.ours);
			RecoveryBenchmark.expect(this.cache.touch(this.ours), WriteOutcome.EVICTED, "touch after evict");
			restoreOurs();
			if (!workspace.equals(this.cache.recover(this.ours).orElse(null))) {
				throw new IllegalStateException("the restored workspace is not the one written");
			}
			RecoveryBenchmark.expect(this.cache.touch(this.ours), WriteOutcome.PRESENT, "touch");
		}

		void restoreOurs() {
			this.raw.restore(this.ourKey, this.ourDump, this.restoreArgs);
		}

		void writeTheirs() {
			this.original.cacheWorkspace(this.theirs, this.storedSnapshot, this.storedGraph, this.storedValues);
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.raw.unlink(this.ourKey);
			this.original.evict(this.theirs);
			this.connection.close();
		}

	}

	/** Puts our workspace back before each evict. */
	@State(Scope.Thread)
	public static class OursRebuilt {

		@Setup(Level.Invocation)
		public void rebuild(Workspaces workspaces) {
			workspaces.restoreOurs();
		}

	}

	/** Rebuilds the original design's workspace before each evict. */
	@State(Scope.Thread)
	public static class TheirsRebuilt {

		@Setup(Level.Invocation)
		public void rebuild(Workspaces workspaces) {
			workspaces.writeTheirs();
		}

	}

	@Benchmark
	public void ours_evict(Workspaces workspaces, OursRebuilt rebuilt) {
		workspaces.cache.evict(workspaces.ours);
	}

	@Benchmark
	public void original_evict(Workspaces workspaces, TheirsRebuilt rebuilt) {
		workspaces.original.evict(workspaces.theirs);
	}

	@Benchmark
	public WriteOutcome ours_touch(Workspaces workspaces) {
		return workspaces.cache.touch(workspaces.ours);
	}

	@Benchmark
	public void original_touch(Workspaces workspaces) {
		workspaces.original.touch(workspaces.theirs);
	}

}
