package dev.workspacecache;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Paths are opaque strings: characters that mean something to a key encoding or to Redis
 * (separators, braces, glob characters, NUL, names of the cache's own fields), non-ASCII
 * text and paths of the maximum length round-trip, and paths that a careless encoding
 * could map to the same key stay apart.
 */
interface OddPathContract extends WorkspaceCacheContract {

	static Stream<Named<String>> oddPaths() {
		return Stream.of(Named.of("colon", ":"), Named.of("opening brace", "{"), Named.of("closing brace", "}"),
				Named.of("hash tag", "{abc}"), Named.of("star", "*"), Named.of("glob", "[a-z]?"),
				Named.of("spaces", "a b c"), Named.of("backslash", "back\\slash"),
				Named.of("non-ASCII", "üñíçødé/文件.txt"), Named.of("emoji", "emoji/\uD83D\uDE00\uD83D\uDE80.txt"),
				Named.of("newline", "\n"), Named.of("NUL", "nul\u0000char"), Named.of("key suffix", ":files"),
				Named.of("key name", "files"), Named.of("meta", "meta"), Named.of("graph", "graph"),
				Named.of("one-letter field name m", "m"), Named.of("one-letter field name g", "g"),
				Named.of("one-letter field name x", "x"), Named.of("one-letter field name f", "f"),
				Named.of("1000 chars", "p".repeat(1000)),
				Named.of("MAX_PATH_LENGTH ASCII chars", "q".repeat(WorkspaceCache.MAX_PATH_LENGTH)),
				Named.of("MAX_PATH_LENGTH CJK chars", "文".repeat(WorkspaceCache.MAX_PATH_LENGTH)),
				Named.of("MAX_PATH_LENGTH chars of emoji", "\uD83D\uDE00".repeat(WorkspaceCache.MAX_PATH_LENGTH / 2)));
	}

	@ParameterizedTest
	@MethodSource("oddPaths")
	default void oddPathRoundTrips(String path) {
		CachedOverlayEntry entry = modified("content of " + path);
		cache().cacheFile(workspaceId(), path, entry);
		assertThat(cache().getFile(workspaceId(), path)).contains(entry);
		assertThat(cache().listFiles(workspaceId())).containsExactly(path);
		assertThat(cache().getFiles(workspaceId())).containsExactly(entry(path, entry));
	}

	@Test
	default void distinctOddPathsDoNotCollide() {
		Map<String, CachedOverlayEntry> files = new TreeMap<>();
		oddPaths().map(Named::getPayload).forEach((path) -> files.put(path, added("content of " + path)));
		// Near misses of the odd paths, which a careless key encoding
		// could map to the same key.
		List.of("abc", "nul", "nulchar", "files:", "a", "q".repeat(WorkspaceCache.MAX_PATH_LENGTH - 1))
			.forEach((path) -> files.put(path, modified("content of " + path)));
		files.forEach((path, entry) -> cache().cacheFile(workspaceId(), path, entry));
		files.forEach((path, entry) -> assertThat(cache().getFile(workspaceId(), path)).as(path).contains(entry));
		assertThat(cache().listFiles(workspaceId())).containsExactlyElementsOf(files.keySet());
		assertThat(cache().getFiles(workspaceId())).isEqualTo(files);
	}

}
