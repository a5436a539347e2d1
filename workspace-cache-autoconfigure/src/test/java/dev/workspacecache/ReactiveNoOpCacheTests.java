package dev.workspacecache;

import org.junit.jupiter.api.AfterEach;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link NoOpCacheTests} for the reactive {@code noop} cache
 * ({@link InProcessReactiveWorkspaceCache} over a {@link NoOpCache}), each operation run
 * on a non-blocking thread watched by BlockHound.
 */
class ReactiveNoOpCacheTests extends NoOpCacheTests {

	@Override
	WorkspaceCache createCache() {
		return new ReactiveWorkspaceCacheBlockingAdapter(InProcessReactiveWorkspaceCache.of(new NoOpCache()));
	}

	@AfterEach
	void noReactorThreadBlocked() {
		assertThat(ReactiveWorkspaceCacheBlockingAdapter.blockingCalls()).isEmpty();
	}

}
