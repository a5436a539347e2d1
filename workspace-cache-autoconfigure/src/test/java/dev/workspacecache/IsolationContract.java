package dev.workspacecache;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import static dev.workspacecache.WorkspaceAssertions.assertWorkspaceIsEmpty;
import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static dev.workspacecache.WorkspaceFixtures.utf8;
import static dev.workspacecache.WorkspaceFixtures.writeEveryPart;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Caches and workspaces are isolated: neither sees, changes nor evicts the data of
 * another.
 */
interface IsolationContract extends WorkspaceCacheContract {

	@Test
	default void cachesDoNotSeeEachOthersData() {
		WorkspaceCache other = createCache(DEFAULT_TTL, DEFAULT_MAX_ENTRY_SIZE);
		writeEveryPart(cache(), workspaceId());
		assertWorkspaceIsEmpty(other, workspaceId());
		other.cacheWorkspace(workspaceId(), snapshot(workspaceId(), "other"));
		other.cacheFile(workspaceId(), "other.txt", added("other"));
		other.cacheGraph(workspaceId(), utf8("other graph"));
		WorkspaceState mine = WorkspaceState.of(cache(), workspaceId());
		assertThat(mine.paths()).doesNotContain("other.txt");
		assertThat(WorkspaceState.of(other, workspaceId()).paths()).containsExactly("other.txt");
		other.evict(workspaceId());
		assertWorkspaceIsEmpty(other, workspaceId());
		assertThat(WorkspaceState.of(cache(), workspaceId())).isEqualTo(mine);
	}

	@Test
	default void workspacesOfOneCacheDoNotSeeEachOthersData() {
		UUID otherId = UUID.randomUUID();
		writeEveryPart(cache(), workspaceId());
		assertWorkspaceIsEmpty(cache(), otherId);
		cache().cacheWorkspace(otherId, snapshot(otherId));
		cache().cacheFile(otherId, "other.txt", added("other"));
		cache().cacheGraph(otherId, utf8("other graph"));
		WorkspaceState other = WorkspaceState.of(cache(), otherId);
		assertThat(other.paths()).containsExactly("other.txt");
		cache().evict(workspaceId());
		assertWorkspaceIsEmpty(cache(), workspaceId());
		assertThat(WorkspaceState.of(cache(), otherId)).isEqualTo(other);
	}

}
