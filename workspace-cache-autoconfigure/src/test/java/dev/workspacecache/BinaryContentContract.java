package dev.workspacecache;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedOverlayEntry.Added;
import dev.workspacecache.CachedOverlayEntry.Modified;

import static dev.workspacecache.WorkspaceAssertions.contentOf;
import static dev.workspacecache.WorkspaceFixtures.allByteValues;
import static dev.workspacecache.WorkspaceFixtures.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * File content and graphs are bytes, not text: every byte value, empty arrays, large
 * random arrays and highly compressible content (which a backend may store compressed)
 * round-trip, up to the maximum entry size, and empty content is not mistaken for a
 * deleted file.
 */
interface BinaryContentContract extends WorkspaceCacheContract {

	@Test
	default void contentWithEveryByteValueRoundTrips() {
		Modified modified = new Modified(allByteValues(), "all-modified");
		Added added = new Added(allByteValues(), "all-added");
		cache().cacheFile(workspaceId(), "modified.bin", modified);
		cache().cacheFiles(workspaceId(), Map.of("added.bin", added));
		assertThat(cache().getFile(workspaceId(), "modified.bin")).contains(modified);
		assertThat(cache().getFile(workspaceId(), "added.bin")).contains(added);
		assertThat(contentOf(cache().getFile(workspaceId(), "modified.bin").orElseThrow()))
			.containsExactly(allByteValues());
		assertThat(contentOf(cache().getFiles(workspaceId()).get("added.bin"))).containsExactly(allByteValues());
	}

	@Test
	default void emptyContentRoundTripsAndIsNotMistakenForDeleted() {
		Modified modified = new Modified(new byte[0], "empty-modified");
		Added added = new Added(new byte[0], "empty-added");
		cache().cacheFile(workspaceId(), "modified.txt", modified);
		cache().cacheFile(workspaceId(), "added.txt", added);
		assertThat(cache().getFile(workspaceId(), "modified.txt")).containsInstanceOf(Modified.class)
			.contains(modified);
		assertThat(cache().getFile(workspaceId(), "added.txt")).containsInstanceOf(Added.class).contains(added);
		assertThat(contentOf(cache().getFiles(workspaceId()).get("modified.txt"))).isEmpty();
		assertThat(contentOf(cache().getFiles(workspaceId()).get("added.txt"))).isEmpty();
	}

	@Test
	default void largeRandomContentRoundTrips() {
		byte[] content = randomBytes(512 * 1024, 7);
		Modified modified = new Modified(content, "large");
		cache().cacheFile(workspaceId(), "large.bin", modified);
		CachedOverlayEntry read = cache().getFile(workspaceId(), "large.bin").orElseThrow();
		assertThat(read).isEqualTo(modified);
		assertThat(contentOf(read)).containsExactly(content);
	}

	@Test
	default void compressibleContentRoundTripsThroughEveryRead() {
		Map<String, CachedOverlayEntry> files = new TreeMap<>();
		for (int size : new int[] { 1, 100, 1024, 4096, 64 * 1024, 512 * 1024 }) {
			files.put("src/Text" + size + ".java", new Modified(repetitiveText(size), "text-" + size));
		}
		files.put("zeros.bin", new Added(new byte[256 * 1024], "zeros"));
		cache().cacheWorkspace(workspaceId(), WorkspaceFixtures.snapshot(workspaceId()));
		files.forEach((path, entry) -> cache().cacheFile(workspaceId(), path, entry));
		files.forEach((path, entry) -> assertThat(cache().getFile(workspaceId(), path)).as(path).contains(entry));
		assertThat(cache().getFiles(workspaceId())).isEqualTo(files);
		assertThat(cache().recover(workspaceId())).hasValueSatisfying((recovered) -> {
			assertThat(recovered.files()).isEqualTo(files);
			assertThat(contentOf(recovered.files().get("zeros.bin"))).containsOnly(0).hasSize(256 * 1024);
		});
	}

	@Test
	default void compressibleContentOfTheMaximumEntrySizeRoundTrips() {
		Modified largest = new Modified(repetitiveText((int) DEFAULT_MAX_ENTRY_SIZE), "largest");
		cache().cacheFiles(workspaceId(), Map.of("largest.txt", largest));
		assertThat(cache().getFile(workspaceId(), "largest.txt")).contains(largest);
		assertThat(cache().getFiles(workspaceId())).containsExactly(Map.entry("largest.txt", largest));
	}

	@Test
	default void emptyGraphRoundTripsAsPresent() {
		cache().cacheGraph(workspaceId(), new byte[0]);
		assertThat(cache().getGraph(workspaceId())).hasValueSatisfying((graph) -> assertThat(graph).isEmpty());
	}

	@Test
	default void graphWithEveryByteValueRoundTrips() {
		cache().cacheGraph(workspaceId(), allByteValues());
		assertThat(cache().getGraph(workspaceId()))
			.hasValueSatisfying((graph) -> assertThat(graph).containsExactly(allByteValues()));
	}

	@Test
	default void largeRandomGraphRoundTrips() {
		byte[] graph = randomBytes(512 * 1024, 11);
		cache().cacheGraph(workspaceId(), graph);
		assertThat(cache().getGraph(workspaceId()))
			.hasValueSatisfying((read) -> assertThat(read).containsExactly(graph));
	}

	private static byte[] repetitiveText(int size) {
		StringBuilder text = new StringBuilder(size + 80);
		for (int line = 0; text.length() < size; line++) {
			text.append("    return this.cache.getFile(workspaceId, \"src/File")
				.append(line % 50)
				.append(".java\");\n");
		}
		return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
	}

}
