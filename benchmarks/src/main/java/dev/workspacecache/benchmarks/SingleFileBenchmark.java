package dev.workspacecache.benchmarks;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.workspacecache.CachedOverlayEntry;
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
 * Scenario 1: one file of 4 KiB or 256 KiB of a cached workspace, read and written by one
 * thread, with {@link ValkeyCache#getFile} ({@code HGET} of the entry's field, decoded)
 * and {@link ValkeyCache#cacheFile} (one script: two {@code HEXISTS} checks, {@code HSET}
 * of the entry, {@code PEXPIRE} of the workspace's one key), against raw Lettuce
 * {@code GET} / {@code SET ... PX ttl} of the same bytes (the value our cache stores for
 * that entry, read back from the server) on the same shared connection. Goal: ours at
 * least 0.90x the raw operations per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// Two forks: one fork's raw GET throughput differed from another's by up to 20% here
// (thread placement on 2 cores), more than the 10% this scenario's goal allows.
@Fork(2)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class SingleFileBenchmark {

	/** Content size in bytes: 4 KiB and 256 KiB. */
	@Param({ "4096", "262144" })
	public int size;

	private BenchmarkConnection connection;

	private ValkeyCache cache;

	private RedisCommands<byte[], byte[]> raw;

	private StoredFile file;

	@Setup(Level.Trial)
	public void setUp() {
		this.connection = BenchmarkConnection.open();
		this.cache = this.connection.cache();
		this.raw = this.connection.raw();
		this.file = StoredFile.store(this.connection, this.size, 42);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.file.remove(this.connection);
		this.connection.close();
	}

	@Benchmark
	public Optional<CachedOverlayEntry> ours_getFile() {
		return this.cache.getFile(this.file.workspace(), this.file.path());
	}

	@Benchmark
	public byte[] raw_get() {
		return this.raw.get(this.file.rawKey());
	}

	@Benchmark
	public WriteOutcome ours_cacheFile() {
		return this.cache.cacheFile(this.file.workspace(), this.file.path(), this.file.entry());
	}

	@Benchmark
	public String raw_set() {
		return this.raw.set(this.file.rawKey(), this.file.storedValue(), this.file.rawSetArgs());
	}

}
