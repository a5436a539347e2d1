package dev.workspacecache;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * L2 cache of session workspace state, shared by every pod of a service so that any pod can
 * rebuild a session that another pod created.
 * <p>
 * A workspace is identified by its session UUID and consists of three parts, each optional:
 * a {@link WorkspaceSnapshot} of its metadata, an <em>overlay</em> of changed files (one
 * {@link CachedOverlayEntry} per path) and a serialised session graph blob.
 * <p>
 * Contract shared by every implementation:
 * <ul>
 * <li>A miss is never an error: reads return {@link Optional#empty()} or an empty collection.</li>
 * <li>A failure of the backing store throws {@link WorkspaceCacheException}, naming the operation
 * and the workspace; it never returns wrong data and never leaves a half-written workspace.</li>
 * <li>Bad input is rejected before anything is written: a {@code null} argument throws
 * {@link NullPointerException} naming the parameter; an empty path, a path longer than
 * {@link #MAX_PATH_LENGTH} characters, or content larger than the configured maximum entry size
 * throws {@link IllegalArgumentException}.</li>
 * <li>Implementations with a time-to-live expire all parts of a workspace together; every write
 * and every {@link #touch(UUID)} restarts that clock for the whole workspace.</li>
 * <li>Implementations are thread-safe.</li>
 * </ul>
 * Byte arrays passed in or returned are copies: the caller may modify them freely.
 *
 * @see NoOpCache
 */
public interface WorkspaceCache {

	/**
	 * Longest overlay file path accepted, in UTF-16 {@code char}s (as {@link String#length()}).
	 */
	int MAX_PATH_LENGTH = 4096;

	/**
	 * Store the snapshot of a workspace, replacing any previous one.
	 * @param id the workspace (session) id the snapshot is stored under
	 * @param snapshot the snapshot to store
	 */
	void cacheWorkspace(UUID id, WorkspaceSnapshot snapshot);

	/**
	 * Read the snapshot of a workspace.
	 * @param id the workspace id
	 * @return the snapshot, or empty on a miss
	 */
	Optional<WorkspaceSnapshot> getWorkspace(UUID id);

	/**
	 * Store one overlay entry, replacing any previous entry of the same path.
	 * @param workspaceId the workspace id
	 * @param path the file path, non-empty, at most {@link #MAX_PATH_LENGTH} characters
	 * @param entry the entry to store
	 */
	void cacheFile(UUID workspaceId, String path, CachedOverlayEntry entry);

	/**
	 * Read one overlay entry.
	 * @param workspaceId the workspace id
	 * @param path the file path
	 * @return the entry, or empty on a miss
	 */
	Optional<CachedOverlayEntry> getFile(UUID workspaceId, String path);

	/**
	 * List the paths of the overlay of a workspace.
	 * @param workspaceId the workspace id
	 * @return the paths in lexicographic order; empty when none are cached
	 */
	List<String> listFiles(UUID workspaceId);

	/**
	 * Store the serialised session graph of a workspace, replacing any previous one.
	 * @param workspaceId the workspace id
	 * @param graphData the graph bytes (copied)
	 */
	void cacheGraph(UUID workspaceId, byte[] graphData);

	/**
	 * Read the serialised session graph of a workspace.
	 * @param workspaceId the workspace id
	 * @return a copy of the graph bytes, or empty on a miss
	 */
	Optional<byte[]> getGraph(UUID workspaceId);

	/**
	 * Remove every part of a workspace (snapshot, overlay, graph) at once.
	 * @param id the workspace id
	 */
	void evict(UUID id);

	/**
	 * Restart the time-to-live of every part of a workspace at once. Implementations without
	 * expiry accept the call silently; touching an absent workspace does nothing.
	 * @param id the workspace id
	 */
	void touch(UUID id);

	/**
	 * Read the whole overlay of a workspace at once.
	 * @param workspaceId the workspace id
	 * @return an unmodifiable map from path to entry, iterating in lexicographic path order;
	 * empty when none are cached
	 */
	Map<String, CachedOverlayEntry> getFiles(UUID workspaceId);

	/**
	 * Store several overlay entries at once: either all of them are stored or, on failure, none.
	 * @param workspaceId the workspace id
	 * @param entries the entries by path; every path and entry is validated before anything is
	 * written
	 */
	void cacheFiles(UUID workspaceId, Map<String, CachedOverlayEntry> entries);

}
