package dev.workspacecache.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

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

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.valkey.ValkeyCache;

/**
 * Scenario 2: recovering a workspace overlay of 10, 100 or 1,000 files of 1 KiB.
 * <ul>
 * <li>{@code ours_getFiles}: {@link ValkeyCache#getFiles}, one {@code HGETALL}, decoded;</li>
 * <li>{@code original_listThenGetEach}: the original design's {@code list_files} then one
 * {@code get_file} per path (N+1 round trips), on the same value bytes ({@link OriginalDesign});
 * goal: ours at least 10x faster at 1,000 files;</li>
 * <li>{@code raw_hgetallSameHash}: raw Lettuce {@code HGETALL} of the very hash our cache wrote,
 * the limit: the same bytes in one round trip with no decoding; goal: ours at most 1.3x its
 * time.</li>
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

	private byte[] ourOverlayKey;

	@Setup(Level.Trial)
	public void setUp() {
		this.connection = BenchmarkConnection.open();
		this.cache = this.connection.cache();
		this.raw = this.connection.raw();
		this.original = new OriginalDesign(this.connection.dedicated(), BenchmarkConnection.TTL);
		Map<String, CachedOverlayEntry> overlay = Workloads.overlay(this.files, Workloads.KIB);
		this.cache.cacheFiles(this.ours, overlay);
		this.ourOverlayKey = OurKeyLayout.overlay(BenchmarkConnection.KEY_PREFIX, this.ours);
		Map<String, byte[]> storedValues = new LinkedHashMap<>();
		for (String path : overlay.keySet()) {
			storedValues.put(path, this.raw.hget(this.ourOverlayKey, Workloads.utf8(path)));
		}
		this.original.cacheWorkspace(this.theirs, Workloads.utf8("meta"), Workloads.graph(Workloads.KIB),
				storedValues);
		check(this.cache.getFiles(this.ours).size(), "ours");
		check(this.original.recover(this.theirs).size(), "original");
		check(this.raw.hgetall(this.ourOverlayKey).size(), "raw");
	}

	private void check(int recovered, String which) {
		if (recovered != this.files) {
			throw new IllegalStateException(which + " recovered " + recovered + " files, expected " + this.files);
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.cache.evict(this.ours);
		this.original.evict(this.theirs);
		this.connection.close();
	}

	@Benchmark
	public Map<String, CachedOverlayEntry> ours_getFiles() {
		return this.cache.getFiles(this.ours);
	}

	@Benchmark
	public Map<String, CachedOverlayEntry> original_listThenGetEach() {
		return this.original.recover(this.theirs);
	}

	@Benchmark
	public Map<byte[], byte[]> raw_hgetallSameHash() {
		return this.raw.hgetall(this.ourOverlayKey);
	}

}
