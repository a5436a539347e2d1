package dev.workspacecache.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

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

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.valkey.ValkeyCache;

/**
 * Scenario 3: {@code evict} and {@code touch} of a workspace of 1,000 files of 1 KiB (plus its
 * snapshot and graph): ours (one {@code UNLINK} of three keys; one script re-expiring three keys)
 * against the original design's two round trips with one command per file
 * ({@link OriginalDesign#evict}, {@link OriginalDesign#touch}). An evicted workspace is rebuilt
 * before every invocation, outside the measured time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class EvictTouchBenchmark {

	/**
	 * Both workspaces, with the same content: ours written through {@link ValkeyCache}, the
	 * original's written in its layout with the same value bytes.
	 */
	@State(Scope.Benchmark)
	public static class Workspaces {

		/** Number of files in the workspace, 1 KiB each. */
		@Param({ "1000" })
		public int files;

		BenchmarkConnection connection;

		ValkeyCache cache;

		OriginalDesign original;

		final UUID ours = UUID.randomUUID();

		final UUID theirs = UUID.randomUUID();

		private Map<String, CachedOverlayEntry> overlay;

		private final WorkspaceSnapshot snapshot = Workloads.snapshot();

		private final byte[] graph = Workloads.graph(4 * Workloads.KIB);

		private Map<String, byte[]> storedValues;

		private byte[] storedSnapshot;

		private byte[] storedGraph;

		@Setup(Level.Trial)
		public void setUp() {
			this.connection = BenchmarkConnection.open();
			this.cache = this.connection.cache();
			this.original = new OriginalDesign(this.connection.dedicated(), BenchmarkConnection.TTL);
			this.overlay = Workloads.overlay(this.files, Workloads.KIB);
			writeOurs();
			String prefix = BenchmarkConnection.KEY_PREFIX;
			byte[] overlayKey = OurKeyLayout.overlay(prefix, this.ours);
			this.storedValues = new LinkedHashMap<>();
			for (String path : this.overlay.keySet()) {
				this.storedValues.put(path, this.connection.raw().hget(overlayKey, Workloads.utf8(path)));
			}
			this.storedSnapshot = this.connection.raw().get(OurKeyLayout.snapshot(prefix, this.ours));
			this.storedGraph = this.connection.raw().get(OurKeyLayout.graph(prefix, this.ours));
			writeTheirs();
		}

		void writeOurs() {
			this.cache.cacheWorkspace(this.ours, this.snapshot);
			this.cache.cacheGraph(this.ours, this.graph);
			this.cache.cacheFiles(this.ours, this.overlay);
		}

		void writeTheirs() {
			this.original.cacheWorkspace(this.theirs, this.storedSnapshot, this.storedGraph, this.storedValues);
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.cache.evict(this.ours);
			this.original.evict(this.theirs);
			this.connection.close();
		}

	}

	/** Rebuilds our workspace before each evict. */
	@State(Scope.Thread)
	public static class OursRebuilt {

		@Setup(Level.Invocation)
		public void rebuild(Workspaces workspaces) {
			workspaces.writeOurs();
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
	public void ours_touch(Workspaces workspaces) {
		workspaces.cache.touch(workspaces.ours);
	}

	@Benchmark
	public void original_touch(Workspaces workspaces) {
		workspaces.original.touch(workspaces.theirs);
	}

}
