package dev.workspacecache;

import java.util.UUID;

/**
 * What the cache found when it received a write or a {@link WorkspaceCache#touch(UUID)
 * touch}, and so what the caller that holds the live session should do next.
 * <p>
 * The shared store can lose a workspace without anyone asking: a server restarted without
 * persistence, {@code FLUSHALL}, eviction under {@code maxmemory}, a failover to a
 * replica that missed writes. A pod that still holds the session learns it from
 * {@link #MISSING} on its next write or touch and writes the workspace back whole with
 * {@link WorkspaceCache#cacheAll(UUID, CachedWorkspace)}, so that other pods can recover
 * it again. An evicted workspace stays evicted: {@link #EVICTED} tells a pod that wrote
 * late that it should drop its copy.
 */
public enum WriteOutcome {

	/**
	 * The cache held the workspace (its snapshot was there) and applied the write.
	 */
	PRESENT,

	/**
	 * The cache did not hold the workspace's snapshot before this call. A write was still
	 * applied to what the cache holds, as the original contract requires (parts may exist
	 * without a snapshot); a touch changed nothing. A caller that holds the whole
	 * workspace should write it with
	 * {@link WorkspaceCache#cacheAll(UUID, CachedWorkspace)}: until then no other pod can
	 * recover it. This is also the outcome of the first write of a new workspace, which
	 * is why creating one with {@code cacheAll} is simplest.
	 */
	MISSING,

	/**
	 * The workspace was evicted, within its time-to-live: nothing was written. An evict
	 * is final, so a late write from a pod that still held the session cannot make it
	 * recoverable again; that pod should drop its copy.
	 */
	EVICTED,

	/**
	 * The cache keeps nothing ({@link NoOpCache}): the write was discarded and there is
	 * nothing to heal.
	 */
	DISCARDED

}
