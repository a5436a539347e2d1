package dev.workspacecache;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Base class for {@link WorkspaceCache} implementations: validates every argument once,
 * the same way for every backend, before delegating to the {@code do*} methods. The
 * {@code do*} methods receive non-null, validated arguments only.
 * <p>
 * Validation rules: a {@code null} argument throws {@link NullPointerException} naming
 * the parameter; an empty path or one longer than {@link WorkspaceCache#MAX_PATH_LENGTH}
 * throws {@link IllegalArgumentException}; file content or graph data larger than
 * {@link #getMaxEntrySize()} bytes throws {@link IllegalArgumentException}. Rejected
 * calls reach no backend.
 */
public abstract class AbstractWorkspaceCache implements WorkspaceCache {

	private final long maxEntrySize;

	/**
	 * Create a cache that accepts entries of up to {@code maxEntrySize} bytes.
	 * @param maxEntrySize the largest file content or graph blob accepted, in bytes
	 */
	protected AbstractWorkspaceCache(long maxEntrySize) {
		if (maxEntrySize <= 0) {
			throw new IllegalArgumentException("maxEntrySize must be positive but was " + maxEntrySize);
		}
		this.maxEntrySize = maxEntrySize;
	}

	@Override
	public final long getMaxEntrySize() {
		return this.maxEntrySize;
	}

	@Override
	public final WriteOutcome cacheWorkspace(UUID id, WorkspaceSnapshot snapshot) {
		Objects.requireNonNull(id, "id must not be null");
		Objects.requireNonNull(snapshot, "snapshot must not be null");
		return doCacheWorkspace(id, snapshot);
	}

	@Override
	public final Optional<WorkspaceSnapshot> getWorkspace(UUID id) {
		Objects.requireNonNull(id, "id must not be null");
		return doGetWorkspace(id);
	}

	@Override
	public final WriteOutcome cacheFile(UUID workspaceId, String path, CachedOverlayEntry entry) {
		Objects.requireNonNull(workspaceId, "workspaceId must not be null");
		checkPath(path, "path");
		checkEntry(entry, "entry", path);
		return doCacheFile(workspaceId, path, entry);
	}

	@Override
	public final Optional<CachedOverlayEntry> getFile(UUID workspaceId, String path) {
		Objects.requireNonNull(workspaceId, "workspaceId must not be null");
		checkPath(path, "path");
		return doGetFile(workspaceId, path);
	}

	@Override
	public final List<String> listFiles(UUID workspaceId) {
		Objects.requireNonNull(workspaceId, "workspaceId must not be null");
		return doListFiles(workspaceId);
	}

	@Override
	public final WriteOutcome cacheGraph(UUID workspaceId, byte[] graphData) {
		Objects.requireNonNull(workspaceId, "workspaceId must not be null");
		Objects.requireNonNull(graphData, "graphData must not be null");
		checkGraphSize(graphData.length, "graphData");
		return doCacheGraph(workspaceId, graphData);
	}

	@Override
	public final Optional<byte[]> getGraph(UUID workspaceId) {
		Objects.requireNonNull(workspaceId, "workspaceId must not be null");
		return doGetGraph(workspaceId);
	}

	@Override
	public final void evict(UUID id) {
		Objects.requireNonNull(id, "id must not be null");
		doEvict(id);
	}

	@Override
	public final WriteOutcome touch(UUID id) {
		Objects.requireNonNull(id, "id must not be null");
		return doTouch(id);
	}

	@Override
	public final Map<String, CachedOverlayEntry> getFiles(UUID workspaceId) {
		Objects.requireNonNull(workspaceId, "workspaceId must not be null");
		return doGetFiles(workspaceId);
	}

	@Override
	public final WriteOutcome cacheFiles(UUID workspaceId, Map<String, CachedOverlayEntry> entries) {
		Objects.requireNonNull(workspaceId, "workspaceId must not be null");
		Objects.requireNonNull(entries, "entries must not be null");
		// Copy first: validation and write must see the same entries even if the caller's
		// map changes concurrently, and a rejected batch must not write a prefix of
		// itself.
		Map<String, CachedOverlayEntry> copy = new LinkedHashMap<>(entries.size() * 2);
		entries.forEach((path, entry) -> {
			checkPath(path, "entries key");
			checkEntry(entry, "entries[" + path + "]", path);
			copy.put(path, entry);
		});
		// An empty batch writes nothing but is still a write: it restarts the clock and
		// reports.
		return copy.isEmpty() ? doTouch(workspaceId) : doCacheFiles(workspaceId, Collections.unmodifiableMap(copy));
	}

	@Override
	public final Optional<CachedWorkspace> recover(UUID id) {
		Objects.requireNonNull(id, "id must not be null");
		return doRecover(id);
	}

	@Override
	public final WriteOutcome cacheAll(UUID id, CachedWorkspace workspace) {
		Objects.requireNonNull(id, "id must not be null");
		Objects.requireNonNull(workspace, "workspace must not be null");
		// CachedWorkspace is immutable, so what is validated here is what is written.
		workspace.files().forEach((path, entry) -> {
			checkPath(path, "workspace.files() key");
			checkEntry(entry, "workspace.files()[" + path + "]", path);
		});
		checkGraphSize(workspace.graphSize(), "workspace.graph()");
		return doCacheAll(id, workspace);
	}

	private void checkGraphSize(int size, String name) {
		if (size > this.maxEntrySize) {
			throw new IllegalArgumentException(
					name + " is " + size + " bytes, over the maximum entry size of " + this.maxEntrySize + " bytes");
		}
	}

	private static void checkPath(String path, String name) {
		Objects.requireNonNull(path, () -> name + " must not be null");
		if (path.isEmpty()) {
			throw new IllegalArgumentException(name + " must not be empty");
		}
		if (path.length() > MAX_PATH_LENGTH) {
			throw new IllegalArgumentException(
					name + " is " + path.length() + " characters long, over the limit of " + MAX_PATH_LENGTH);
		}
		// A lone surrogate has no UTF-8 form: two different paths would be stored as the
		// same bytes.
		for (int i = 0; i < path.length(); i++) {
			char c = path.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < path.length() && Character.isLowSurrogate(path.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				throw new IllegalArgumentException(name + " has an unpaired surrogate character at index " + i);
			}
		}
	}

	private void checkEntry(CachedOverlayEntry entry, String name, String path) {
		Objects.requireNonNull(entry, () -> name + " must not be null");
		int size = (entry instanceof CachedOverlayEntry.WithContent withContent) ? withContent.size() : 0;
		if (size > this.maxEntrySize) {
			throw new IllegalArgumentException("content of '" + abbreviate(path) + "' is " + size
					+ " bytes, over the maximum entry size of " + this.maxEntrySize + " bytes");
		}
	}

	private static String abbreviate(String path) {
		return (path.length() <= 200) ? path : path.substring(0, 200) + "...";
	}

	protected abstract WriteOutcome doCacheWorkspace(UUID id, WorkspaceSnapshot snapshot);

	protected abstract Optional<WorkspaceSnapshot> doGetWorkspace(UUID id);

	protected abstract WriteOutcome doCacheFile(UUID workspaceId, String path, CachedOverlayEntry entry);

	protected abstract Optional<CachedOverlayEntry> doGetFile(UUID workspaceId, String path);

	protected abstract List<String> doListFiles(UUID workspaceId);

	protected abstract WriteOutcome doCacheGraph(UUID workspaceId, byte[] graphData);

	protected abstract Optional<byte[]> doGetGraph(UUID workspaceId);

	protected abstract void doEvict(UUID id);

	protected abstract WriteOutcome doTouch(UUID id);

	protected abstract Map<String, CachedOverlayEntry> doGetFiles(UUID workspaceId);

	/**
	 * Store a validated, non-empty batch of entries atomically.
	 * @param workspaceId the workspace id
	 * @param entries the entries, in the caller's iteration order
	 * @return what the cache found
	 */
	protected abstract WriteOutcome doCacheFiles(UUID workspaceId, Map<String, CachedOverlayEntry> entries);

	/**
	 * Read a whole workspace in one atomic read.
	 * @param id the workspace id
	 * @return the workspace, or empty unless its snapshot and every other part are
	 * readable
	 */
	protected abstract Optional<CachedWorkspace> doRecover(UUID id);

	/**
	 * Replace every part of a workspace atomically.
	 * @param id the workspace id
	 * @param workspace the validated workspace
	 * @return what the cache found before the write
	 */
	protected abstract WriteOutcome doCacheAll(UUID id, CachedWorkspace workspace);

}
