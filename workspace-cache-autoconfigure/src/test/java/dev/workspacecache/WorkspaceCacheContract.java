package dev.workspacecache;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * What every part of the {@link WorkspaceCache} contract needs from the backend under
 * test: the cache each test starts with, a workspace id of its own, fresh caches with
 * other settings, and the remaining time-to-live of what a cache stores. Each part of the
 * contract is an interface that extends this one; {@link WorkspaceCacheContractTests}
 * implements them all.
 */
interface WorkspaceCacheContract {

	/**
	 * Time-to-live of {@link #cache()}.
	 */
	Duration DEFAULT_TTL = Duration.ofHours(1);

	/**
	 * Maximum entry size of {@link #cache()}.
	 */
	long DEFAULT_MAX_ENTRY_SIZE = 1024 * 1024;

	/**
	 * The cache under test, created before each test with {@link #DEFAULT_TTL} and
	 * {@link #DEFAULT_MAX_ENTRY_SIZE}.
	 * @return the cache under test
	 */
	WorkspaceCache cache();

	/**
	 * A random workspace id, chosen before each test.
	 * @return the id of the workspace under test
	 */
	UUID workspaceId();

	/**
	 * A fresh cache whose keys are isolated from every other cache this method returned.
	 * @param ttl the time-to-live of every part of a workspace
	 * @param maxEntrySize the largest file content or graph accepted, in bytes
	 * @return a new cache
	 */
	WorkspaceCache createCache(Duration ttl, long maxEntrySize);

	/**
	 * The remaining time-to-live of every stored part of the workspace (snapshot, graph,
	 * overlay), one element per part that exists; a part stored without expiry is
	 * reported as {@code Duration.ofMillis(-1)}. Empty when nothing is stored. An
	 * implementation that keeps a single clock for the whole workspace may report one
	 * element.
	 * @param cache a cache returned by {@link #createCache(Duration, long)}
	 * @param workspaceId the workspace
	 * @return the remaining time-to-live of each stored part
	 */
	List<Duration> remainingTtls(WorkspaceCache cache, UUID workspaceId);

}
