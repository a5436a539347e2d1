package dev.workspacecache.benchmarks;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WriteOutcome;
import dev.workspacecache.valkey.ContentCompression;
import dev.workspacecache.valkey.ValkeyCache;
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
 * Scenario 7: the cost of compression ({@code workspace.cache.compression=zstd}, default
 * threshold) on real source code, 4 KiB files cut from spring-core's sources
 * ({@link RealSourceWorkloads}): {@link ValkeyCache#getFile},
 * {@link ValkeyCache#cacheFile} of one file, and {@link ValkeyCache#getFiles} and
 * {@link ValkeyCache#recover} of a workspace of 100 such files, by one thread. The
 * baseline is the same cache storing content raw ({@code compression=none}), in the same
 * run. Goal: compressed at least 0.9x the raw operations per second. Not in the default
 * suite ({@code --include Compression}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class CompressionBenchmark {

	/** The size of each file. */
	static final int SIZE = 4096;

	/** The files of the workspace read whole. */
	static final int FILES = 100;

	/** {@code none} (the baseline) or {@code zstd}. */
	@Param({ "none", "zstd" })
	public String compression;

	private BenchmarkConnection connection;

	private ValkeyCache cache;

	private UUID workspace;

	private String path;

	private CachedOverlayEntry file;

	@Setup(Level.Trial)
	public void setUp() {
		this.connection = BenchmarkConnection.open();
		this.cache = cache(this.connection, this.compression);
		Map<String, CachedOverlayEntry> files = RealSourceWorkloads.overlay(FILES, SIZE);
		this.workspace = UUID.randomUUID();
		this.cache.cacheAll(this.workspace, CachedWorkspace.of(Workloads.snapshot(), files, null));
		Map.Entry<String, CachedOverlayEntry> first = files.entrySet().iterator().next();
		this.path = first.getKey();
		this.file = first.getValue();
	}

	/**
	 * Return a cache on the connection that stores content as named.
	 * @param connection the connection
	 * @param compression {@code none} or {@code zstd}
	 * @return the cache, with the default threshold when compressing
	 */
	static ValkeyCache cache(BenchmarkConnection connection, String compression) {
		ContentCompression setting = compression.equals("zstd") ? ContentCompression.zstd(512)
				: ContentCompression.none();
		return new ValkeyCache(connection.factory(), BenchmarkConnection.KEY_PREFIX + compression + ":",
				BenchmarkConnection.TTL, BenchmarkConnection.MAX_ENTRY_SIZE, null, setting);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.cache.evict(this.workspace);
		this.connection.close();
	}

	@Benchmark
	public Optional<CachedOverlayEntry> getFile() {
		return this.cache.getFile(this.workspace, this.path);
	}

	@Benchmark
	public WriteOutcome cacheFile() {
		return this.cache.cacheFile(this.workspace, this.path, this.file);
	}

	@Benchmark
	public Map<String, CachedOverlayEntry> getFiles() {
		return this.cache.getFiles(this.workspace);
	}

	@Benchmark
	public Optional<CachedWorkspace> recover() {
		return this.cache.recover(this.workspace);
	}

}
