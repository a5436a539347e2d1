package dev.workspacecache;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedOverlayEntry.Added;
import dev.workspacecache.CachedOverlayEntry.Deleted;
import dev.workspacecache.CachedOverlayEntry.Modified;

import static dev.workspacecache.WorkspaceAssertions.assertWorkspaceIsEmpty;
import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.deleted;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static dev.workspacecache.WorkspaceFixtures.utf8;
import static dev.workspacecache.WorkspaceFixtures.writeEveryPart;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scenarios of the original engine's Redis integration tests, ported: each part of a
 * workspace (snapshot, file, graph) round-trips and a second write replaces the first,
 * {@code listFiles} lists every cached path, {@code evict} removes every part, reads of
 * absent workspaces and parts miss, and {@code touch} keeps data and creates none.
 */
interface OriginalRedisScenariosContract extends WorkspaceCacheContract {

	@Test
	default void snapshotRoundTrips() {
		WorkspaceSnapshot snapshot = snapshot(workspaceId());
		cache().cacheWorkspace(workspaceId(), snapshot);
		assertThat(cache().getWorkspace(workspaceId())).contains(snapshot);
	}

	@Test
	default void cacheWorkspaceReplacesThePreviousSnapshot() {
		cache().cacheWorkspace(workspaceId(), snapshot(workspaceId(), "first"));
		WorkspaceSnapshot second = snapshot(workspaceId(), "second");
		cache().cacheWorkspace(workspaceId(), second);
		assertThat(cache().getWorkspace(workspaceId())).contains(second);
	}

	@Test
	default void fileRoundTrips() {
		cache().cacheFile(workspaceId(), "src/lib.rs", modified("fn foo() {}"));
		assertThat(cache().getFile(workspaceId(), "src/lib.rs")).contains(modified("fn foo() {}"));
	}

	@Test
	default void cacheFileReplacesThePreviousEntryOfThePath() {
		cache().cacheFile(workspaceId(), "src/lib.rs", modified("fn foo() {}"));
		cache().cacheFile(workspaceId(), "src/lib.rs", deleted());
		assertThat(cache().getFile(workspaceId(), "src/lib.rs")).contains(deleted());
		assertThat(cache().listFiles(workspaceId())).containsExactly("src/lib.rs");
	}

	@Test
	default void listFilesReturnsEveryCachedPath() {
		cache().cacheFile(workspaceId(), "src/main.rs", modified("fn main() {}"));
		cache().cacheFile(workspaceId(), "src/lib.rs", added("pub mod x;"));
		cache().cacheFile(workspaceId(), "README.md", deleted());
		assertThat(cache().listFiles(workspaceId())).containsExactly("README.md", "src/lib.rs", "src/main.rs");
	}

	@Test
	default void graphRoundTrips() {
		cache().cacheGraph(workspaceId(), utf8("graph-bytes"));
		assertThat(cache().getGraph(workspaceId()))
			.hasValueSatisfying((graph) -> assertThat(graph).containsExactly(utf8("graph-bytes")));
	}

	@Test
	default void cacheGraphReplacesThePreviousGraph() {
		cache().cacheGraph(workspaceId(), utf8("first graph"));
		cache().cacheGraph(workspaceId(), utf8("second"));
		assertThat(cache().getGraph(workspaceId()))
			.hasValueSatisfying((graph) -> assertThat(graph).containsExactly(utf8("second")));
	}

	@Test
	default void evictRemovesEveryPartOfTheWorkspace() {
		writeEveryPart(cache(), workspaceId());
		cache().evict(workspaceId());
		assertWorkspaceIsEmpty(cache(), workspaceId());
		assertThat(cache().getFile(workspaceId(), "src/lib.rs")).isEmpty();
		assertThat(remainingTtls(cache(), workspaceId())).as("remaining time-to-live of parts left behind").isEmpty();
	}

	@Test
	default void evictOfAnAbsentWorkspaceDoesNothing() {
		cache().evict(workspaceId());
		assertWorkspaceIsEmpty(cache(), workspaceId());
	}

	@Test
	default void readsOfAnAbsentWorkspaceMiss() {
		assertWorkspaceIsEmpty(cache(), workspaceId());
		assertThat(cache().getFile(workspaceId(), "src/lib.rs")).isEmpty();
		assertThat(remainingTtls(cache(), workspaceId())).isEmpty();
	}

	@Test
	default void readsOfAbsentPartsOfAPresentWorkspaceMiss() {
		cache().cacheWorkspace(workspaceId(), snapshot(workspaceId()));
		cache().cacheFile(workspaceId(), "present.txt", modified("x"));
		assertThat(cache().getFile(workspaceId(), "absent.txt")).isEmpty();
		assertThat(cache().getGraph(workspaceId())).isEmpty();
	}

	@Test
	default void severalFilesOfOneWorkspaceAreKeptApart() {
		Map<String, CachedOverlayEntry> files = new TreeMap<>();
		for (int i = 0; i < 10; i++) {
			files.put("src/file" + i + ".rs", modified("content " + i));
		}
		files.forEach((path, entry) -> cache().cacheFile(workspaceId(), path, entry));
		files.forEach((path, entry) -> assertThat(cache().getFile(workspaceId(), path)).as(path).contains(entry));
		assertThat(cache().listFiles(workspaceId())).containsExactlyElementsOf(files.keySet());
	}

	@Test
	default void everyKindOfEntryRoundTrips() {
		cache().cacheFile(workspaceId(), "modified.rs", modified("changed"));
		cache().cacheFile(workspaceId(), "added.rs", added("new"));
		cache().cacheFile(workspaceId(), "deleted.rs", deleted());
		assertThat(cache().getFile(workspaceId(), "modified.rs")).containsInstanceOf(Modified.class)
			.contains(modified("changed"));
		assertThat(cache().getFile(workspaceId(), "added.rs")).containsInstanceOf(Added.class).contains(added("new"));
		assertThat(cache().getFile(workspaceId(), "deleted.rs")).containsInstanceOf(Deleted.class).contains(deleted());
	}

	@Test
	default void touchOfAPresentWorkspaceKeepsItsData() {
		writeEveryPart(cache(), workspaceId());
		WorkspaceState before = WorkspaceState.of(cache(), workspaceId());
		cache().touch(workspaceId());
		assertThat(WorkspaceState.of(cache(), workspaceId())).isEqualTo(before);
	}

	@Test
	default void touchOfAnAbsentWorkspaceCreatesNothing() {
		cache().touch(workspaceId());
		assertWorkspaceIsEmpty(cache(), workspaceId());
		assertThat(remainingTtls(cache(), workspaceId())).isEmpty();
	}

}
