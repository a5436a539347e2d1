package dev.workspacecache.memory;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.workspacecache.InProcessReactiveWorkspaceCache;
import dev.workspacecache.ReactiveWorkspaceCacheBlockingAdapter;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheContractTests;
import org.junit.jupiter.api.AfterEach;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WorkspaceCacheContractTests} for the reactive {@code memory} cache
 * ({@link InProcessReactiveWorkspaceCache} over an {@link InMemoryWorkspaceCache}), each
 * operation run on a non-blocking thread watched by BlockHound.
 */
class InMemoryReactiveWorkspaceCacheContractTests extends WorkspaceCacheContractTests {

	@Override
	public WorkspaceCache createCache(Duration ttl, long maxEntrySize) {
		return new ReactiveWorkspaceCacheBlockingAdapter(
				InProcessReactiveWorkspaceCache.of(new InMemoryWorkspaceCache(ttl, maxEntrySize)));
	}

	@Override
	public List<Duration> remainingTtls(WorkspaceCache cache, UUID workspaceId) {
		InProcessReactiveWorkspaceCache reactive = (InProcessReactiveWorkspaceCache) ((ReactiveWorkspaceCacheBlockingAdapter) cache)
			.reactive();
		return ((InMemoryWorkspaceCache) reactive.getCache()).remainingTtl(workspaceId).map(List::of).orElse(List.of());
	}

	@AfterEach
	void noReactorThreadBlocked() {
		assertThat(ReactiveWorkspaceCacheBlockingAdapter.blockingCalls()).isEmpty();
	}

}
