package dev.workspacecache;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import reactor.core.publisher.Mono;

/**
 * The {@link WorkspaceCache} contract for reactive applications: the same operations, the
 * same semantics, the same stored format, returning Reactor's {@link Mono} instead of
 * waiting. A reactive pod and a blocking pod configured alike share workspaces.
 * <p>
 * Everything {@link WorkspaceCache} says holds, signalled instead of returned or thrown:
 * <ul>
 * <li>A miss completes empty ({@link Mono#empty()}) or with an empty collection, never
 * with an error.</li>
 * <li>A failure of the backing store is an error signal of a
 * {@link WorkspaceCacheException} naming the operation and the workspace.</li>
 * <li>Bad input is an error signal, with the exception and message {@link WorkspaceCache}
 * throws ({@link NullPointerException} naming the parameter,
 * {@link IllegalArgumentException} naming the argument); nothing reaches the store.
 * Arguments are validated when the returned {@link Mono} is subscribed to, never when the
 * method is called.</li>
 * </ul>
 * Nothing happens until subscription, and every subscription runs the operation again. No
 * implementation of this library blocks the subscribing thread: the {@code valkey} one
 * waits for the server without a thread, the {@code memory} and {@code noop} ones never
 * wait on I/O ({@link InProcessReactiveWorkspaceCache}).
 * <p>
 * Collections come whole, in a {@link Mono}, rather than as a
 * {@link reactor.core.publisher.Flux}: {@link #listFiles(UUID)} and
 * {@link #getFiles(UUID)} are one atomic read of one key, answered in one reply and
 * sorted, so nothing could be streamed before the last element arrived, and a
 * {@code Flux} would suggest a backpressure that the store cannot apply.
 *
 * @see WorkspaceCache
 */
public interface ReactiveWorkspaceCache {

	/**
	 * Return the largest file content or graph this cache accepts.
	 * @return the limit in bytes
	 * @see WorkspaceCache#getMaxEntrySize()
	 */
	long getMaxEntrySize();

	/**
	 * Store the snapshot of a workspace, replacing any previous one.
	 * @param id the workspace (session) id
	 * @param snapshot the snapshot
	 * @return what the cache found; {@link WriteOutcome#EVICTED} when nothing was written
	 * @see WorkspaceCache#cacheWorkspace(UUID, WorkspaceSnapshot)
	 */
	Mono<WriteOutcome> cacheWorkspace(UUID id, WorkspaceSnapshot snapshot);

	/**
	 * Read the snapshot of a workspace.
	 * @param id the workspace id
	 * @return the snapshot, or empty on a miss
	 * @see WorkspaceCache#getWorkspace(UUID)
	 */
	Mono<WorkspaceSnapshot> getWorkspace(UUID id);

	/**
	 * Store one overlay entry, replacing any previous entry of the same path.
	 * @param workspaceId the workspace id
	 * @param path the file path
	 * @param entry the entry
	 * @return what the cache found; {@link WriteOutcome#EVICTED} when nothing was written
	 * @see WorkspaceCache#cacheFile(UUID, String, CachedOverlayEntry)
	 */
	Mono<WriteOutcome> cacheFile(UUID workspaceId, String path, CachedOverlayEntry entry);

	/**
	 * Read one overlay entry.
	 * @param workspaceId the workspace id
	 * @param path the file path
	 * @return the entry, or empty on a miss
	 * @see WorkspaceCache#getFile(UUID, String)
	 */
	Mono<CachedOverlayEntry> getFile(UUID workspaceId, String path);

	/**
	 * List the paths of the overlay of a workspace.
	 * @param workspaceId the workspace id
	 * @return the paths in lexicographic order, unmodifiable; empty when none are cached
	 * @see WorkspaceCache#listFiles(UUID)
	 */
	Mono<List<String>> listFiles(UUID workspaceId);

	/**
	 * Store the serialised session graph of a workspace, replacing any previous one.
	 * @param workspaceId the workspace id
	 * @param graphData the graph bytes (copied)
	 * @return what the cache found; {@link WriteOutcome#EVICTED} when nothing was written
	 * @see WorkspaceCache#cacheGraph(UUID, byte[])
	 */
	Mono<WriteOutcome> cacheGraph(UUID workspaceId, byte[] graphData);

	/**
	 * Read the serialised session graph of a workspace.
	 * @param workspaceId the workspace id
	 * @return a copy of the graph bytes, or empty on a miss
	 * @see WorkspaceCache#getGraph(UUID)
	 */
	Mono<byte[]> getGraph(UUID workspaceId);

	/**
	 * Remove every part of a workspace at once, for good.
	 * @param id the workspace id
	 * @return completes once the workspace is evicted
	 * @see WorkspaceCache#evict(UUID)
	 */
	Mono<Void> evict(UUID id);

	/**
	 * Restart the time-to-live of every part of a workspace at once.
	 * @param id the workspace id
	 * @return what the cache found
	 * @see WorkspaceCache#touch(UUID)
	 */
	Mono<WriteOutcome> touch(UUID id);

	/**
	 * Read the whole overlay of a workspace at once.
	 * @param workspaceId the workspace id
	 * @return an unmodifiable map from path to entry in lexicographic path order; empty
	 * when none are cached
	 * @see WorkspaceCache#getFiles(UUID)
	 */
	Mono<Map<String, CachedOverlayEntry>> getFiles(UUID workspaceId);

	/**
	 * Store several overlay entries at once, all or none.
	 * @param workspaceId the workspace id
	 * @param entries the entries by path
	 * @return what the cache found; {@link WriteOutcome#EVICTED} when nothing was written
	 * @see WorkspaceCache#cacheFiles(UUID, Map)
	 */
	Mono<WriteOutcome> cacheFiles(UUID workspaceId, Map<String, CachedOverlayEntry> entries);

	/**
	 * Read a whole workspace in one atomic read.
	 * @param id the workspace id
	 * @return the workspace with its version; empty unless its snapshot is cached, and
	 * empty rather than partial when any of its parts cannot be read
	 * @see WorkspaceCache#recover(UUID)
	 */
	Mono<CachedWorkspace> recover(UUID id);

	/**
	 * Replace every part of a workspace at once, atomically.
	 * @param id the workspace id
	 * @param workspace the whole workspace
	 * @return what the cache found before the write; {@link WriteOutcome#EVICTED} when
	 * nothing was written
	 * @see WorkspaceCache#cacheAll(UUID, CachedWorkspace)
	 */
	Mono<WriteOutcome> cacheAll(UUID id, CachedWorkspace workspace);

	/**
	 * Apply a write only if the cache holds the workspace at {@code expectedVersion}, in
	 * one atomic step.
	 * @param id the workspace id
	 * @param expectedVersion the version the caller's copy is at, not negative
	 * @param write the write
	 * @return whether the write was applied, what the cache found and the version
	 * @see WorkspaceCache#writeIfVersion(UUID, long, WorkspaceWrite)
	 */
	Mono<ConditionalWriteResult> writeIfVersion(UUID id, long expectedVersion, WorkspaceWrite write);

	/**
	 * Describe a workspace without reading its content.
	 * @param id the workspace id
	 * @return the description; empty when nothing is cached for the workspace or it was
	 * evicted
	 * @see WorkspaceCache#describe(UUID)
	 */
	Mono<WorkspaceDescription> describe(UUID id);

}
