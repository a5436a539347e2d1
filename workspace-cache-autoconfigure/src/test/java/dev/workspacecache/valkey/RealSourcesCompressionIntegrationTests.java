package dev.workspacecache.valkey;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedOverlayEntry.Modified;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.testsupport.SpringCoreSources;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compression on real source code that nobody here wrote: the files of spring-core's
 * sources jar ({@link SpringCoreSources}), one workspace per package, written whole by a
 * cache that stores content raw and by one that compresses it as configured by default
 * ({@code zstd}, threshold 512 B). The server's own measure of each workspace key
 * ({@code MEMORY USAGE ... SAMPLES 0}) must be at least 2.5 times smaller compressed, and
 * every file must read back byte for byte, whichever setting the reading cache has.
 */
class RealSourcesCompressionIntegrationTests extends AbstractValkeyCacheIntegrationTests {

	private static final long DEFAULT_THRESHOLD = 512;

	@Test
	void compressedWorkspacesTakeAtLeastTwoAndAHalfTimesLessServerMemoryAndReadBackExactly() {
		String compressedPrefix = this.prefix + "zstd:";
		ValkeyCache compressing = new ValkeyCache(factory(shared, COMMAND_TIMEOUT), compressedPrefix, TTL,
				MAX_ENTRY_SIZE, null, ContentCompression.zstd(DEFAULT_THRESHOLD));
		// Another pod on the same keys with compression off.
		ValkeyCache notCompressing = new ValkeyCache(factory(shared, COMMAND_TIMEOUT), compressedPrefix, TTL,
				MAX_ENTRY_SIZE);
		long rawMemory = 0;
		long compressedMemory = 0;
		int files = 0;
		for (Map.Entry<String, SortedMap<String, byte[]>> sourcePackage : SpringCoreSources.packages().entrySet()) {
			UUID id = UUID.randomUUID();
			Map<String, CachedOverlayEntry> entries = entries(sourcePackage.getValue());
			CachedWorkspace workspace = CachedWorkspace.of(WorkspaceFixtures.snapshot(id), entries, null);
			this.cache.cacheAll(id, workspace);
			compressing.cacheAll(id, workspace);
			rawMemory += this.raw.memoryUsage(this.prefix + "{" + id + "}:workspace");
			compressedMemory += this.raw.memoryUsage(compressedPrefix + "{" + id + "}:workspace");
			files += entries.size();
			assertThat(this.cache.recover(id)).as(sourcePackage.getKey()).contains(workspace);
			assertThat(compressing.recover(id)).as(sourcePackage.getKey()).contains(workspace);
			assertThat(notCompressing.recover(id)).as(sourcePackage.getKey()).contains(workspace);
			assertThat(notCompressing.getFiles(id)).isEqualTo(entries);
			String first = entries.keySet().iterator().next();
			assertThat(compressing.getFile(id, first)).contains(entries.get(first));
		}
		assertThat(files).as("files in spring-core's sources").isGreaterThan(500);
		assertThat(compressing.getUnreadableValueCount() + notCompressing.getUnreadableValueCount()).isZero();
		double ratio = (double) rawMemory / compressedMemory;
		// The figure README quotes: printed, not asserted beyond the goal.
		System.out.printf("%d workspaces, %d files, %d bytes of source: MEMORY USAGE raw %d, zstd %d, %.2fx less%n",
				SpringCoreSources.packages().size(), files, SpringCoreSources.totalBytes(), rawMemory, compressedMemory,
				ratio);
		assertThat(ratio).isGreaterThanOrEqualTo(2.5);
	}

	private static Map<String, CachedOverlayEntry> entries(SortedMap<String, byte[]> files) {
		Map<String, CachedOverlayEntry> entries = new TreeMap<>();
		files.forEach((path, content) -> entries.put(path, new Modified(content, sha256(content))));
		return entries;
	}

	private static String sha256(byte[] content) {
		try {
			return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
