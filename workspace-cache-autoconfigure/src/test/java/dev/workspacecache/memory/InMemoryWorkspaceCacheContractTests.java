package dev.workspacecache.memory;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheContractTests;

/**
 * {@link WorkspaceCacheContractTests} for {@link InMemoryWorkspaceCache}.
 */
class InMemoryWorkspaceCacheContractTests extends WorkspaceCacheContractTests {

	@Override
	public WorkspaceCache createCache(Duration ttl, long maxEntrySize) {
		return new InMemoryWorkspaceCache(ttl, maxEntrySize);
	}

	@Override
	public List<Duration> remainingTtls(WorkspaceCache cache, UUID workspaceId) {
		// One clock for the whole workspace, so one element.
		return ((InMemoryWorkspaceCache) cache).remainingTtl(workspaceId).map(List::of).orElse(List.of());
	}

}
