package dev.workspacecache.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.api.sync.RedisCommands;

import dev.workspacecache.CachedOverlayEntry;

/**
 * Scenario 5: how many bytes the server keeps for one file entry of 1 KiB, 64 KiB and 1 MiB,
 * asked of the server itself ({@code HSTRLEN}, {@code STRLEN}, {@code MEMORY USAGE}), for our
 * layout, a plain string holding only the content, and the original design's layout.
 */
final class StorageFootprint {

	/** The content sizes measured. */
	static final List<Integer> SIZES = List.of(Workloads.KIB, 64 * Workloads.KIB, 1024 * Workloads.KIB);

	private static final String PATH = "src/main/java/dev/example/billing/InvoiceService.java";

	private StorageFootprint() {
	}

	static List<SuiteMeasurements.Footprint> measure(BenchmarkConnection connection) {
		RedisCommands<byte[], byte[]> raw = connection.raw();
		List<SuiteMeasurements.Footprint> footprints = new ArrayList<>();
		for (int size : SIZES) {
			CachedOverlayEntry.Modified entry = Workloads.file(size, size);
			byte[] path = Workloads.utf8(PATH);

			UUID ours = UUID.randomUUID();
			connection.cache().cacheFile(ours, PATH, entry);
			byte[] overlayKey = OurKeyLayout.overlay(BenchmarkConnection.KEY_PREFIX, ours);
			long storedValueBytes = raw.hstrlen(overlayKey, path);
			long ourMemory = raw.memoryUsage(overlayKey);
			byte[] storedValue = raw.hget(overlayKey, path);

			byte[] plainKey = Workloads.utf8("bench:plain:" + UUID.randomUUID());
			raw.set(plainKey, entry.content());
			if (raw.strlen(plainKey) != size) {
				throw new IllegalStateException("plain string of " + size + " bytes has STRLEN " + raw.strlen(plainKey));
			}
			long plainMemory = raw.memoryUsage(plainKey);

			UUID theirs = UUID.randomUUID();
			OriginalDesign original = new OriginalDesign(connection.dedicated(), BenchmarkConnection.TTL);
			original.cacheWorkspace(theirs, Workloads.utf8("meta"), Workloads.graph(16), Map.of(PATH, storedValue));
			long originalMemory = raw.memoryUsage(OriginalDesign.fileKey(theirs, PATH))
					+ raw.memoryUsage(OriginalDesign.filesKey(theirs));

			footprints.add(new SuiteMeasurements.Footprint(size, entry.hash().length(), path.length, storedValueBytes,
					ourMemory, plainMemory, originalMemory));
			connection.cache().evict(ours);
			original.evict(theirs);
			raw.del(plainKey);
		}
		return footprints;
	}

}
