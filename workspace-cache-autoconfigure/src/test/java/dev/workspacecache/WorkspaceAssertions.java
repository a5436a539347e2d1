package dev.workspacecache;

import java.util.Map;
import java.util.UUID;

import dev.workspacecache.CachedOverlayEntry.WithContent;

import static dev.workspacecache.WorkspaceFixtures.deleted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Assertions that several parts of the {@link WorkspaceCache} contract make about what a
 * cache holds or returns.
 */
final class WorkspaceAssertions {

	private WorkspaceAssertions() {
	}

	/**
	 * Assert that every read of the workspace misses.
	 * @param cache the cache
	 * @param id the workspace id
	 */
	static void assertWorkspaceIsEmpty(WorkspaceCache cache, UUID id) {
		assertThat(cache.getWorkspace(id)).as("snapshot").isEmpty();
		assertThat(cache.getFiles(id)).as("files").isEmpty();
		assertThat(cache.listFiles(id)).as("paths").isEmpty();
		assertThat(cache.getGraph(id)).as("graph").isEmpty();
	}

	/**
	 * Assert that an overlay returned by the cache refuses every change.
	 * @param files the overlay
	 */
	static void assertUnmodifiable(Map<String, CachedOverlayEntry> files) {
		assertThatThrownBy(() -> files.put("x", deleted())).isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(() -> files.remove("a.txt")).isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(files::clear).isInstanceOf(UnsupportedOperationException.class);
	}

	/**
	 * Return the content of an entry, failing the test if the entry has none.
	 * @param entry a modified or added entry
	 * @return the content bytes
	 */
	static byte[] contentOf(CachedOverlayEntry entry) {
		if (entry instanceof WithContent withContent) {
			return withContent.content();
		}
		throw new AssertionError("Expected an entry with content but was " + entry);
	}

}
