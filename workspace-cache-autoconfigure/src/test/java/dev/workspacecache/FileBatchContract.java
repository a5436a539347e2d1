package dev.workspacecache;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static dev.workspacecache.WorkspaceAssertions.assertUnmodifiable;
import static dev.workspacecache.WorkspaceAssertions.assertWorkspaceIsEmpty;
import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.deleted;
import static dev.workspacecache.WorkspaceFixtures.entryOfKind;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.writeEveryPart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * {@code getFiles} and {@code cacheFiles}, which read and write many files of the overlay
 * at once: batches round-trip whatever their size and mix of entry kinds, files come back
 * in path order in a map that cannot be changed, an empty batch writes nothing, a batch
 * replaces the paths it names only, and single files and batches see each other.
 */
interface FileBatchContract extends WorkspaceCacheContract {

	@Test
	default void hundredEntriesOfMixedKindsRoundTripAsABatch() {
		Map<String, CachedOverlayEntry> files = new LinkedHashMap<>();
		for (int i = 0; i < 100; i++) {
			files.put("dir" + (i % 7) + "/file-" + i + ".txt", entryOfKind(i, "content of file " + i));
		}
		cache().cacheFiles(workspaceId(), files);
		assertThat(cache().getFiles(workspaceId())).isEqualTo(files);
		assertThat(cache().listFiles(workspaceId())).containsExactlyElementsOf(new TreeSet<>(files.keySet()));
		files.forEach((path, entry) -> assertThat(cache().getFile(workspaceId(), path)).as(path).contains(entry));
	}

	@Test
	default void filesAreReturnedInLexicographicOrder() {
		// String order (UTF-16 code units): the last two sort differently by code point
		// or by UTF-8 bytes, so a backend that sorts bytes must sort again.
		List<String> paths = new ArrayList<>(
				List.of("b", "a", "a/b", "A", "a.b", "ab", "a b", "Z", "é", "z", "10", "9", "\uFF21", "\uD83D\uDE00"));
		Collections.shuffle(paths, new Random(42));
		Map<String, CachedOverlayEntry> files = new LinkedHashMap<>();
		paths.forEach((path) -> files.put(path, modified(path)));
		cache().cacheFiles(workspaceId(), files);
		List<String> sorted = paths.stream().sorted().collect(Collectors.toList());
		assertThat(cache().getFiles(workspaceId()).keySet()).containsExactlyElementsOf(sorted);
		assertThat(cache().listFiles(workspaceId())).containsExactlyElementsOf(sorted);
	}

	@Test
	default void getFilesReturnsAnUnmodifiableMap() {
		cache().cacheFile(workspaceId(), "a.txt", modified("a"));
		assertUnmodifiable(cache().getFiles(workspaceId()));
		assertUnmodifiable(cache().getFiles(UUID.randomUUID()));
		assertThat(cache().getFiles(workspaceId())).containsExactly(entry("a.txt", modified("a")));
	}

	@Test
	default void cacheFilesWithAnEmptyMapWritesNothing() {
		cache().cacheFiles(workspaceId(), Map.of());
		assertWorkspaceIsEmpty(cache(), workspaceId());
		assertThat(remainingTtls(cache(), workspaceId())).isEmpty();
		writeEveryPart(cache(), workspaceId());
		WorkspaceState before = WorkspaceState.of(cache(), workspaceId());
		cache().cacheFiles(workspaceId(), Map.of());
		assertThat(WorkspaceState.of(cache(), workspaceId())).isEqualTo(before);
	}

	@Test
	default void cacheFilesReplacesGivenPathsAndKeepsOthers() {
		cache().cacheFiles(workspaceId(), Map.of("kept.txt", modified("kept"), "replaced.txt", modified("old")));
		cache().cacheFiles(workspaceId(), Map.of("replaced.txt", added("new"), "new.txt", deleted()));
		assertThat(cache().getFiles(workspaceId())).containsExactly(entry("kept.txt", modified("kept")),
				entry("new.txt", deleted()), entry("replaced.txt", added("new")));
	}

	@Test
	default void getFilesSeesEntriesOfCacheFile() {
		cache().cacheFiles(workspaceId(), Map.of("batch.txt", modified("batch")));
		cache().cacheFile(workspaceId(), "single.txt", added("single"));
		assertThat(cache().getFiles(workspaceId())).containsExactly(entry("batch.txt", modified("batch")),
				entry("single.txt", added("single")));
	}

}
