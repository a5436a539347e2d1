package dev.workspacecache;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * L2 cache of session workspace state, shared by every pod of a service so that any pod
 * can rebuild a session that another pod created.
 * <p>
 * A workspace is identified by its session UUID and consists of three parts: a
 * {@link WorkspaceSnapshot} of its metadata, an <em>overlay</em> of changed files (one
 * {@link CachedOverlayEntry} per path) and a serialised session graph blob.
 * <p>
 * <strong>Recovery is whole or nothing.</strong> A pod that rebuilds a session calls
 * {@link #recover(UUID)}: one atomic read that returns the snapshot with the whole
 * overlay and graph written with it, or nothing. Implementations store and lose (expire,
 * evict under memory pressure) a workspace as one unit, so {@link #getWorkspace(UUID)}
 * too returns a snapshot only while the rest of the workspace written with it is there.
 * Parts may still be written and read one at a time, without a snapshot, as in the
 * original contract.
 * <p>
 * <strong>Writes report what they found</strong> as a {@link WriteOutcome}: whether the
 * cache held the workspace ({@link WriteOutcome#PRESENT}), had lost it
 * ({@link WriteOutcome#MISSING}: write it back whole with
 * {@link #cacheAll(UUID, CachedWorkspace)}), or whether it was evicted
 * ({@link WriteOutcome#EVICTED}: the write was refused). An {@link #evict(UUID) evict} is
 * final for the workspace's time-to-live: no later write makes the workspace recoverable
 * again.
 * <p>
 * <strong>Every workspace has a version</strong>, which every write advances atomically
 * with the write, and which {@link #recover(UUID)} returns
 * ({@link CachedWorkspace#version()}). A pod that keeps a copy of a workspace makes its
 * writes conditional on the version it holds
 * ({@link #writeIfVersion(UUID, long, WorkspaceWrite)}), so that a write from a pod whose
 * copy is stale is refused instead of overwriting a newer change. Together with
 * {@link WorkspaceChangeNotifications}, which tell a pod when another changed a workspace
 * it holds, this keeps the pods' copies coherent.
 * <p>
 * Contract shared by every implementation:
 * <ul>
 * <li>A miss is never an error: reads return {@link Optional#empty()} or an empty
 * collection.</li>
 * <li>A failure of the backing store throws {@link WorkspaceCacheException}, naming the
 * operation and the workspace; it never returns wrong data and never leaves a
 * half-written workspace.</li>
 * <li>Bad input is rejected before anything is written: a {@code null} argument throws
 * {@link NullPointerException} naming the parameter; an empty path, a path longer than
 * {@link #MAX_PATH_LENGTH} characters, or content larger than the configured maximum
 * entry size throws {@link IllegalArgumentException}.</li>
 * <li>Implementations with a time-to-live expire all parts of a workspace together; every
 * write and every {@link #touch(UUID)} restarts that clock for the whole workspace.</li>
 * <li>Implementations are thread-safe.</li>
 * </ul>
 * Byte arrays passed in or returned are copies: the caller may modify them freely.
 *
 * @see NoOpCache
 */
public interface WorkspaceCache {

	/**
	 * Longest overlay file path accepted, in UTF-16 {@code char}s (as
	 * {@link String#length()}).
	 */
	int MAX_PATH_LENGTH = 4096;

	/**
	 * Return the largest file content or graph this cache accepts. Size uploads by it,
	 * not by configuration properties: a user-supplied cache may have its own limit.
	 * @return the limit in bytes
	 */
	long getMaxEntrySize();

	/**
	 * Store the snapshot of a workspace, replacing any previous one.
	 * @param id the workspace (session) id the snapshot is stored under
	 * @param snapshot the snapshot to store
	 * @return what the cache found; {@link WriteOutcome#EVICTED} when nothing was written
	 */
	WriteOutcome cacheWorkspace(UUID id, WorkspaceSnapshot snapshot);

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
	 * @return what the cache found; {@link WriteOutcome#EVICTED} when nothing was written
	 */
	WriteOutcome cacheFile(UUID workspaceId, String path, CachedOverlayEntry entry);

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
	 * @return what the cache found; {@link WriteOutcome#EVICTED} when nothing was written
	 */
	WriteOutcome cacheGraph(UUID workspaceId, byte[] graphData);

	/**
	 * Read the serialised session graph of a workspace.
	 * @param workspaceId the workspace id
	 * @return a copy of the graph bytes, or empty on a miss
	 */
	Optional<byte[]> getGraph(UUID workspaceId);

	/**
	 * Remove every part of a workspace (snapshot, overlay, graph) at once, for good: for
	 * the workspace's time-to-live, later writes are refused with
	 * {@link WriteOutcome#EVICTED}, so that a pod still holding the session cannot make
	 * it recoverable again by writing late.
	 * @param id the workspace id
	 */
	void evict(UUID id);

	/**
	 * Restart the time-to-live of every part of a workspace at once. Implementations
	 * without expiry accept the call silently; touching an absent workspace does nothing.
	 * @param id the workspace id
	 * @return what the cache found: {@link WriteOutcome#MISSING} tells a caller that
	 * holds the live session to write it back with
	 * {@link #cacheAll(UUID, CachedWorkspace)}
	 */
	WriteOutcome touch(UUID id);

	/**
	 * Read the whole overlay of a workspace at once.
	 * @param workspaceId the workspace id
	 * @return an unmodifiable map from path to entry, iterating in lexicographic path
	 * order; empty when none are cached
	 */
	Map<String, CachedOverlayEntry> getFiles(UUID workspaceId);

	/**
	 * Store several overlay entries at once: either all of them are stored or, on
	 * failure, none.
	 * @param workspaceId the workspace id
	 * @param entries the entries by path; every path and entry is validated before
	 * anything is written. An empty map writes no entry but, like any write, restarts the
	 * time-to-live and reports what the cache found.
	 * @return what the cache found; {@link WriteOutcome#EVICTED} when nothing was written
	 */
	WriteOutcome cacheFiles(UUID workspaceId, Map<String, CachedOverlayEntry> entries);

	/**
	 * Read a whole workspace (snapshot, whole overlay and graph) in one atomic read: a
	 * concurrent write or evict is seen wholly or not at all.
	 * @param id the workspace id
	 * @return the workspace; empty unless its snapshot is cached, and empty rather than
	 * partial when any of its parts cannot be read
	 */
	Optional<CachedWorkspace> recover(UUID id);

	/**
	 * Replace every part of a workspace at once, atomically: files cached before and not
	 * in {@code workspace} are gone afterwards, and so is a graph when {@code workspace}
	 * has none. This is how a pod writes a new workspace, and how it writes back one the
	 * cache lost ({@link WriteOutcome#MISSING}). Refused, like every write, after an
	 * {@link #evict(UUID)}.
	 * @param id the workspace id
	 * @param workspace the whole workspace; every path and entry is validated before
	 * anything is written
	 * @return what the cache found before the write; {@link WriteOutcome#EVICTED} when
	 * nothing was written
	 */
	WriteOutcome cacheAll(UUID id, CachedWorkspace workspace);

	/**
	 * Apply a write only if the cache holds the workspace at {@code expectedVersion}, in
	 * one atomic step: a write made from a stale copy is refused rather than applied.
	 * <ul>
	 * <li>A workspace's version is {@code 0} while the cache holds nothing for it. Every
	 * write, conditional or not, advances it by one atomically with the write; a
	 * {@link #touch(UUID) touch} leaves it as it is; an {@link #evict(UUID) evict}
	 * advances it too.</li>
	 * <li>The write is applied when the cache holds the workspace at exactly
	 * {@code expectedVersion}: pass the {@link CachedWorkspace#version() version} of the
	 * copy the write was made from, or {@code 0} to create a workspace that must not
	 * exist yet.</li>
	 * <li>A {@link WorkspaceWrite#all(CachedWorkspace) whole-workspace} write is also
	 * applied when the cache has lost the workspace (it holds no snapshot) at a version
	 * no newer than {@code expectedVersion}. That is how a pod that holds the live
	 * session writes it back after a loss ({@link WriteOutcome#MISSING}); the workspace
	 * then continues from {@code expectedVersion + 1}, so versions never go back, and a
	 * pod whose copy is older than what the cache holds cannot write it back over
	 * it.</li>
	 * <li>Nothing is written after an {@link #evict(UUID) evict}
	 * ({@link WriteOutcome#EVICTED}).</li>
	 * </ul>
	 * An applied write is announced like any other
	 * ({@link WorkspaceChangeNotifications}); a refused one changes nothing and is not
	 * announced. The default refuses, for caches written before this method existed; the
	 * caches of this library override it ({@link NoOpCache} discards the write).
	 * @param id the workspace id
	 * @param expectedVersion the version the caller's copy is at, not negative
	 * @param write the write; paths and entries are validated as by the unconditional
	 * operations, before anything is written
	 * @return whether the write was applied, what the cache found and the version
	 * @throws UnsupportedOperationException if this cache does not version workspaces
	 */
	default ConditionalWriteResult writeIfVersion(UUID id, long expectedVersion, WorkspaceWrite write) {
		throw new UnsupportedOperationException(getClass().getName() + " does not version workspaces");
	}

	/**
	 * Describe a workspace without reading its content: which parts are cached, how many
	 * files, how many bytes, how long it has left to live ({@link WorkspaceDescription}).
	 * Meant for operators (the {@code workspacecache} actuator endpoint), so it reads no
	 * path, content, snapshot or graph and decodes nothing; in {@code valkey} mode it is
	 * one round trip on the workspace's key. It neither touches the workspace nor
	 * restarts its time-to-live.
	 * <p>
	 * This default describes nothing, so that caches written before this method existed
	 * keep compiling: the caches of this library override it ({@link NoOpCache}, which
	 * holds nothing, keeps it).
	 * @param id the workspace id
	 * @return the description; empty when nothing is cached for the workspace, when it
	 * was evicted (its marker holds no data), or when this cache cannot describe
	 * workspaces
	 * @throws WorkspaceCacheException if the backing store fails
	 */
	default Optional<WorkspaceDescription> describe(UUID id) {
		Objects.requireNonNull(id, "id must not be null");
		return Optional.empty();
	}

}
