package dev.workspacecache.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.testsupport.RedisServer;
import dev.workspacecache.testsupport.SpringCoreSources;
import dev.workspacecache.valkey.ValkeyCache;

/**
 * What compression ({@code zstd}, default threshold 512 B) saves and costs on real source
 * code, spring-core's sources ({@link RealSourceWorkloads}), against the same cache
 * storing content raw, on one server it starts ({@link BenchmarkConnection#startServer}):
 * <ul>
 * <li>server memory: every package as a workspace, written by both caches, and the sum of
 * {@code MEMORY USAGE ... SAMPLES 0} of their keys;</li>
 * <li>time per call, compressed and raw called alternately as
 * {@link InterleavedRatioProbe} does (the ratio of medians holds still on a shared 2-core
 * machine where JMH's moves): {@code getFile} and {@code cacheFile} of a 4 KiB file,
 * {@code getFiles} and {@code recover} of 100 such files, and {@code recover} of the
 * largest package whole.</li>
 * </ul>
 * Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.workspacecache.benchmarks.CompressionProbe [/usr/bin/valkey-server]}.
 * A time ratio of at most 1.11 meets the goal of a throughput of at least 0.9x raw.
 */
public final class CompressionProbe {

	private CompressionProbe() {
	}

	public static void main(String[] args) {
		try (RedisServer server = BenchmarkConnection.startServer(args);
				BenchmarkConnection connection = BenchmarkConnection.open(server.host(), server.port())) {
			ValkeyCache raw = CompressionBenchmark.cache(connection, "none");
			ValkeyCache zstd = CompressionBenchmark.cache(connection, "zstd");
			ServerView view = new ServerView(connection);
			System.out.println("Compression against raw on " + server + ", spring-core's sources");
			long rawMemory = 0;
			long zstdMemory = 0;
			List<CachedWorkspace> packages = RealSourceWorkloads.packages();
			CachedWorkspace largest = packages.get(0);
			for (CachedWorkspace workspace : packages) {
				// One id each: the server view finds a workspace's key by its id.
				UUID rawId = UUID.randomUUID();
				UUID zstdId = UUID.randomUUID();
				raw.cacheAll(rawId, workspace);
				zstd.cacheAll(zstdId, workspace);
				rawMemory += view.memoryUsage(view.keyOf(rawId));
				zstdMemory += view.memoryUsage(view.keyOf(zstdId));
				raw.evict(rawId);
				zstd.evict(zstdId);
				largest = (workspace.files().size() > largest.files().size()) ? workspace : largest;
			}
			System.out.println(String.format(Locale.ROOT,
					"MEMORY USAGE of %d workspaces (%d bytes of source): raw %d B, zstd %d B, %.2fx less",
					packages.size(), SpringCoreSources.totalBytes(), rawMemory, zstdMemory,
					(double) rawMemory / zstdMemory));

			Map<String, CachedOverlayEntry> files = RealSourceWorkloads.overlay(CompressionBenchmark.FILES,
					CompressionBenchmark.SIZE);
			UUID workspace = UUID.randomUUID();
			CachedWorkspace fourKib = CachedWorkspace.of(Workloads.snapshot(), files, null);
			raw.cacheAll(workspace, fourKib);
			zstd.cacheAll(workspace, fourKib);
			Map.Entry<String, CachedOverlayEntry> file = files.entrySet().iterator().next();
			System.out.println("Time per call, zstd over raw (a ratio of at most 1.11 is a throughput of 0.9x):");
			InterleavedRatioProbe.compare("getFile 4 KiB", 20_000, () -> zstd.getFile(workspace, file.getKey()),
					() -> raw.getFile(workspace, file.getKey()));
			InterleavedRatioProbe.compare("cacheFile 4 KiB", 20_000,
					() -> zstd.cacheFile(workspace, file.getKey(), file.getValue()),
					() -> raw.cacheFile(workspace, file.getKey(), file.getValue()));
			InterleavedRatioProbe.compare("getFiles 100 x 4 KiB", 3_000, () -> zstd.getFiles(workspace),
					() -> raw.getFiles(workspace));
			InterleavedRatioProbe.compare("recover 100 x 4 KiB", 3_000, () -> zstd.recover(workspace),
					() -> raw.recover(workspace));
			UUID whole = UUID.randomUUID();
			raw.cacheAll(whole, largest);
			zstd.cacheAll(whole, largest);
			InterleavedRatioProbe.compare("recover " + largest.files().size() + " whole files", 1_000,
					() -> zstd.recover(whole), () -> raw.recover(whole));
			for (ValkeyCache cache : List.of(raw, zstd)) {
				cache.evict(workspace);
				cache.evict(whole);
			}
		}
	}

}
