package dev.workspacecache;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedOverlayEntry.Modified;

import static dev.workspacecache.WorkspaceAssertions.contentOf;
import static dev.workspacecache.WorkspaceFixtures.deleted;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The cache copies in and out: changing an array or map after passing it to the cache, or
 * one that the cache returned, changes nothing in the cache.
 */
interface DefensiveCopyContract extends WorkspaceCacheContract {

	@Test
	default void changingTheGraphArrayAfterCacheGraphChangesNothing() {
		byte[] graph = utf8("graph");
		cache().cacheGraph(workspaceId(), graph);
		graph[0] = 'X';
		assertThat(cache().getGraph(workspaceId()))
			.hasValueSatisfying((read) -> assertThat(read).containsExactly(utf8("graph")));
	}

	@Test
	default void changingTheGraphArrayReturnedByGetGraphChangesNothing() {
		cache().cacheGraph(workspaceId(), utf8("graph"));
		cache().getGraph(workspaceId()).orElseThrow()[0] = 'X';
		assertThat(cache().getGraph(workspaceId()))
			.hasValueSatisfying((read) -> assertThat(read).containsExactly(utf8("graph")));
	}

	@Test
	default void changingTheContentArrayAfterCachingChangesNothing() {
		byte[] content = utf8("content");
		Modified entry = new Modified(content, "h");
		cache().cacheFile(workspaceId(), "a.txt", entry);
		cache().cacheFiles(workspaceId(), Map.of("b.txt", entry));
		content[0] = 'X';
		assertThat(cache().getFile(workspaceId(), "a.txt")).contains(new Modified(utf8("content"), "h"));
		assertThat(cache().getFile(workspaceId(), "b.txt")).contains(new Modified(utf8("content"), "h"));
	}

	@Test
	default void changingReturnedContentChangesNothing() {
		cache().cacheFile(workspaceId(), "a.txt", modified("content"));
		contentOf(cache().getFile(workspaceId(), "a.txt").orElseThrow())[0] = 'X';
		contentOf(cache().getFiles(workspaceId()).get("a.txt"))[0] = 'X';
		assertThat(cache().getFile(workspaceId(), "a.txt")).contains(modified("content"));
	}

	@Test
	default void changingTheMapAfterCacheFilesChangesNothing() {
		Map<String, CachedOverlayEntry> files = new LinkedHashMap<>(Map.of("a.txt", modified("a")));
		cache().cacheFiles(workspaceId(), files);
		files.put("a.txt", deleted());
		files.put("b.txt", deleted());
		assertThat(cache().getFiles(workspaceId())).containsExactly(entry("a.txt", modified("a")));
	}

}
