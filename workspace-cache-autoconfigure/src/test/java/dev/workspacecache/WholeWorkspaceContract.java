package dev.workspacecache;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static dev.workspacecache.WorkspaceAssertions.assertUnmodifiable;
import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.deleted;
import static dev.workspacecache.WorkspaceFixtures.entryOfKind;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.randomBytes;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static dev.workspacecache.WorkspaceFixtures.utf8;
import static dev.workspacecache.WorkspaceFixtures.wholeWorkspace;
import static dev.workspacecache.WorkspaceFixtures.writeEveryPart;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole workspace at once: {@code recover} returns what {@code cacheAll} wrote, or
 * what the single-part writes wrote, with its files in path order in a map that cannot be
 * changed, and nothing without a snapshot; {@code cacheAll} replaces every part.
 */
interface WholeWorkspaceContract extends WorkspaceCacheContract {

	@Test
	default void recoverReturnsTheWorkspaceCacheAllWrote() {
		CachedWorkspace workspace = wholeWorkspace(workspaceId(), "whole");
		cache().cacheAll(workspaceId(), workspace);
		assertThat(cache().recover(workspaceId())).contains(workspace);
		assertThat(cache().getWorkspace(workspaceId())).contains(workspace.snapshot());
		assertThat(cache().getFiles(workspaceId())).isEqualTo(workspace.files());
		assertThat(cache().getGraph(workspaceId()))
			.hasValueSatisfying((graph) -> assertThat(graph).containsExactly(workspace.graph().orElseThrow()));
	}

	@Test
	default void recoverSeesPartsWrittenOneAtATime() {
		writeEveryPart(cache(), workspaceId());
		cache().cacheFile(workspaceId(), "gone.txt", deleted());
		assertThat(cache().recover(workspaceId())).contains(CachedWorkspace.of(snapshot(workspaceId()),
				Map.of("src/lib.rs", modified("fn foo() {}"), "gone.txt", deleted()), utf8("graph")));
	}

	@Test
	default void recoverOfAWorkspaceWithoutGraphOrFilesHasNone() {
		cache().cacheWorkspace(workspaceId(), snapshot(workspaceId()));
		assertThat(cache().recover(workspaceId())).hasValueSatisfying((workspace) -> {
			assertThat(workspace.snapshot()).isEqualTo(snapshot(workspaceId()));
			assertThat(workspace.files()).isEmpty();
			assertThat(workspace.graph()).isEmpty();
		});
	}

	@Test
	default void recoverOfAnAbsentWorkspaceIsEmpty() {
		assertThat(cache().recover(workspaceId())).isEmpty();
	}

	@Test
	default void recoverIsEmptyWithoutASnapshotWhileThePartsStayReadable() {
		// The original engine's tests write files and graphs without a snapshot
		// and read them back.
		cache().cacheFile(workspaceId(), "src/lib.rs", modified("fn foo() {}"));
		cache().cacheGraph(workspaceId(), utf8("graph"));
		assertThat(cache().recover(workspaceId())).isEmpty();
		assertThat(cache().getFile(workspaceId(), "src/lib.rs")).contains(modified("fn foo() {}"));
		assertThat(cache().getGraph(workspaceId()))
			.hasValueSatisfying((graph) -> assertThat(graph).isEqualTo(utf8("graph")));
	}

	@Test
	default void recoveredFilesAreUnmodifiableAndInPathOrder() {
		Map<String, CachedOverlayEntry> files = new LinkedHashMap<>();
		List.of("z.txt", "a/b.txt", "m.txt", "a.txt").forEach((path) -> files.put(path, added(path)));
		cache().cacheAll(workspaceId(), CachedWorkspace.of(snapshot(workspaceId()), files, null));
		CachedWorkspace recovered = cache().recover(workspaceId()).orElseThrow();
		assertThat(recovered.files().keySet()).containsExactly("a.txt", "a/b.txt", "m.txt", "z.txt");
		assertUnmodifiable(recovered.files());
	}

	@Test
	default void cacheAllReplacesEveryPart() {
		writeEveryPart(cache(), workspaceId());
		cache().cacheFile(workspaceId(), "old.txt", added("old"));
		CachedWorkspace replacement = CachedWorkspace.of(snapshot(workspaceId(), "replaced"),
				Map.of("new.txt", modified("new")), null);
		cache().cacheAll(workspaceId(), replacement);
		assertThat(cache().recover(workspaceId())).contains(replacement);
		assertThat(cache().listFiles(workspaceId())).containsExactly("new.txt");
		assertThat(cache().getFile(workspaceId(), "old.txt")).isEmpty();
		assertThat(cache().getGraph(workspaceId())).as("graph of the replaced workspace").isEmpty();
	}

	@Test
	default void cacheAllOfAThousandFilesRoundTrips() {
		Map<String, CachedOverlayEntry> files = new TreeMap<>();
		for (int i = 0; i < 1000; i++) {
			files.put("src/module-" + (i % 17) + "/file-" + i + ".rs", entryOfKind(i, "content of file " + i));
		}
		CachedWorkspace workspace = CachedWorkspace.of(snapshot(workspaceId()), files, randomBytes(4096, 5));
		assertThat(cache().cacheAll(workspaceId(), workspace)).isEqualTo(WriteOutcome.MISSING);
		assertThat(cache().recover(workspaceId())).contains(workspace);
	}

	@Test
	default void changingTheGraphArrayAfterCacheAllChangesNothing() {
		byte[] graph = utf8("graph");
		CachedWorkspace workspace = CachedWorkspace.of(snapshot(workspaceId()), Map.of(), graph);
		graph[0] = 'X';
		cache().cacheAll(workspaceId(), workspace);
		workspace.graph().orElseThrow()[0] = 'Y';
		assertThat(cache().recover(workspaceId()).orElseThrow().graph())
			.hasValueSatisfying((read) -> assertThat(read).isEqualTo(utf8("graph")));
	}

}
