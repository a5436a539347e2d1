package dev.workspacecache;

import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link WorkspaceCache#describe(UUID)} answers in every cache that holds
 * workspaces, asserted once for each backend's tests.
 */
public final class DescribeAssertions {

	private DescribeAssertions() {
	}

	/**
	 * Assert that a cache describes nothing for a workspace it never held, nor for one it
	 * evicted.
	 * @param cache the cache
	 * @param afterEvict checks the backend's own state after the evict
	 */
	public static void assertNothingDescribedWhenAbsentOrEvicted(WorkspaceCache cache, Consumer<UUID> afterEvict) {
		UUID id = UUID.randomUUID();
		assertThat(cache.describe(id)).isEmpty();
		cache.cacheWorkspace(id, WorkspaceFixtures.snapshot(id));
		cache.evict(id);
		afterEvict.accept(id);
		assertThat(cache.describe(id)).isEmpty();
	}

}
