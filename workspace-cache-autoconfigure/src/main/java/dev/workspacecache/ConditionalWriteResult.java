package dev.workspacecache;

/**
 * What became of a write made conditional on a version
 * ({@link WorkspaceCache#writeIfVersion(java.util.UUID, long, WorkspaceWrite)}).
 *
 * @param applied whether the write was applied
 * @param outcome what the cache found: {@link WriteOutcome#PRESENT} or
 * {@link WriteOutcome#MISSING} (the workspace's snapshot was there or not),
 * {@link WriteOutcome#EVICTED} (refused: the workspace was evicted), or
 * {@link WriteOutcome#DISCARDED} (a cache that keeps nothing, which reports every write
 * as applied at the next version, so that callers go on with their own copy)
 * @param version the workspace's version after the write when it was applied; its current
 * version when it was refused ({@code 0} when the cache holds nothing for it)
 */
public record ConditionalWriteResult(boolean applied, WriteOutcome outcome, long version) {

	/**
	 * Return whether the write was refused because another write had advanced the
	 * workspace past the expected version: the caller's copy is stale, and it should
	 * recover the workspace before writing again.
	 * @return {@code true} for a version conflict
	 */
	public boolean isConflict() {
		return !this.applied && (this.outcome == WriteOutcome.PRESENT || this.outcome == WriteOutcome.MISSING)
				&& this.version != 0;
	}

}
