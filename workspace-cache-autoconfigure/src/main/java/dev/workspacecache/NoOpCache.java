package dev.workspacecache;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link WorkspaceCache} that stores nothing: writes are discarded (reported as
 * {@link WriteOutcome#DISCARDED}), reads and {@link #recover(UUID)} miss. The default for
 * single-pod deployments and local development, where no pod ever needs another pod's
 * sessions.
 * <p>
 * Arguments are still validated as by every other implementation, so code that runs
 * against this cache in development does not start failing against a real one in
 * production.
 */
public class NoOpCache extends AbstractWorkspaceCache {

	/**
	 * Create a no-op cache that accepts entries of any size.
	 */
	public NoOpCache() {
		super(Long.MAX_VALUE);
	}

	/**
	 * Create a no-op cache that rejects entries over a size, as the shared cache of
	 * production will: an upload too large for production then fails in development too.
	 * @param maxEntrySize the largest file content or graph accepted, in bytes
	 */
	public NoOpCache(long maxEntrySize) {
		super(maxEntrySize);
	}

	@Override
	protected WriteOutcome doCacheWorkspace(UUID id, WorkspaceSnapshot snapshot) {
		return WriteOutcome.DISCARDED;
	}

	/**
	 * Discard the write as if it had been applied: the caller goes on with its own copy,
	 * at the next version, as it does after any discarded write.
	 * @param id the workspace id
	 * @param expectedVersion the version the caller's copy is at
	 * @param write the write
	 * @return applied, {@link WriteOutcome#DISCARDED}, at {@code expectedVersion + 1}
	 */
	@Override
	protected ConditionalWriteResult doWriteIfVersion(UUID id, long expectedVersion, WorkspaceWrite write) {
		return new ConditionalWriteResult(true, WriteOutcome.DISCARDED, expectedVersion + 1);
	}

	@Override
	protected Optional<WorkspaceSnapshot> doGetWorkspace(UUID id) {
		return Optional.empty();
	}

	@Override
	protected WriteOutcome doCacheFile(UUID workspaceId, String path, CachedOverlayEntry entry) {
		return WriteOutcome.DISCARDED;
	}

	@Override
	protected Optional<CachedOverlayEntry> doGetFile(UUID workspaceId, String path) {
		return Optional.empty();
	}

	@Override
	protected List<String> doListFiles(UUID workspaceId) {
		return List.of();
	}

	@Override
	protected WriteOutcome doCacheGraph(UUID workspaceId, byte[] graphData) {
		return WriteOutcome.DISCARDED;
	}

	@Override
	protected Optional<byte[]> doGetGraph(UUID workspaceId) {
		return Optional.empty();
	}

	@Override
	protected void doEvict(UUID id) {
	}

	@Override
	protected WriteOutcome doTouch(UUID id) {
		return WriteOutcome.DISCARDED;
	}

	@Override
	protected Map<String, CachedOverlayEntry> doGetFiles(UUID workspaceId) {
		return Map.of();
	}

	@Override
	protected WriteOutcome doCacheFiles(UUID workspaceId, Map<String, CachedOverlayEntry> entries) {
		return WriteOutcome.DISCARDED;
	}

	@Override
	protected Optional<CachedWorkspace> doRecover(UUID id) {
		return Optional.empty();
	}

	@Override
	protected WriteOutcome doCacheAll(UUID id, CachedWorkspace workspace) {
		return WriteOutcome.DISCARDED;
	}

	@Override
	protected String getObservationMode() {
		return "noop";
	}

	@Override
	public String toString() {
		return "NoOpCache";
	}

}
