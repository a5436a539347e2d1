package dev.workspacecache;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * Base class for {@link ReactiveWorkspaceCache} implementations: validates every
 * argument, with the rules and messages of {@link AbstractWorkspaceCache}, when the
 * returned {@link Mono} is subscribed to, and signals a rejected argument as an error
 * without calling the {@code do*} methods. The {@code do*} methods receive non-null,
 * validated arguments only, and must not block.
 */
public abstract class AbstractReactiveWorkspaceCache implements ReactiveWorkspaceCache {

	private final WorkspaceArguments arguments;

	/**
	 * Create a cache that accepts entries of up to {@code maxEntrySize} bytes.
	 * @param maxEntrySize the largest file content or graph accepted, in bytes
	 */
	protected AbstractReactiveWorkspaceCache(long maxEntrySize) {
		this.arguments = new WorkspaceArguments(maxEntrySize);
	}

	@Override
	public final long getMaxEntrySize() {
		return this.arguments.maxEntrySize();
	}

	@Override
	public final Mono<WriteOutcome> cacheWorkspace(UUID id, WorkspaceSnapshot snapshot) {
		return validated(() -> {
			Objects.requireNonNull(id, "id must not be null");
			Objects.requireNonNull(snapshot, "snapshot must not be null");
			return doCacheWorkspace(id, snapshot);
		});
	}

	@Override
	public final Mono<WorkspaceSnapshot> getWorkspace(UUID id) {
		return validated(() -> doGetWorkspace(Objects.requireNonNull(id, "id must not be null")));
	}

	@Override
	public final Mono<WriteOutcome> cacheFile(UUID workspaceId, String path, CachedOverlayEntry entry) {
		return validated(() -> {
			Objects.requireNonNull(workspaceId, "workspaceId must not be null");
			WorkspaceArguments.checkPath(path, "path");
			this.arguments.checkEntry(entry, "entry", path);
			return doCacheFile(workspaceId, path, entry);
		});
	}

	@Override
	public final Mono<CachedOverlayEntry> getFile(UUID workspaceId, String path) {
		return validated(() -> {
			Objects.requireNonNull(workspaceId, "workspaceId must not be null");
			WorkspaceArguments.checkPath(path, "path");
			return doGetFile(workspaceId, path);
		});
	}

	@Override
	public final Mono<List<String>> listFiles(UUID workspaceId) {
		return validated(() -> doListFiles(Objects.requireNonNull(workspaceId, "workspaceId must not be null")));
	}

	@Override
	public final Mono<WriteOutcome> cacheGraph(UUID workspaceId, byte[] graphData) {
		return validated(() -> {
			Objects.requireNonNull(workspaceId, "workspaceId must not be null");
			Objects.requireNonNull(graphData, "graphData must not be null");
			this.arguments.checkGraphSize(graphData.length, "graphData");
			// Copied now: the caller may change its array before the write is sent.
			return doCacheGraph(workspaceId, graphData.clone());
		});
	}

	@Override
	public final Mono<byte[]> getGraph(UUID workspaceId) {
		return validated(() -> doGetGraph(Objects.requireNonNull(workspaceId, "workspaceId must not be null")));
	}

	@Override
	public final Mono<Void> evict(UUID id) {
		return validated(() -> doEvict(Objects.requireNonNull(id, "id must not be null")));
	}

	@Override
	public final Mono<WriteOutcome> touch(UUID id) {
		return validated(() -> doTouch(Objects.requireNonNull(id, "id must not be null")));
	}

	@Override
	public final Mono<Map<String, CachedOverlayEntry>> getFiles(UUID workspaceId) {
		return validated(() -> doGetFiles(Objects.requireNonNull(workspaceId, "workspaceId must not be null")));
	}

	@Override
	public final Mono<WriteOutcome> cacheFiles(UUID workspaceId, Map<String, CachedOverlayEntry> entries) {
		return validated(() -> {
			Objects.requireNonNull(workspaceId, "workspaceId must not be null");
			Objects.requireNonNull(entries, "entries must not be null");
			Map<String, CachedOverlayEntry> copy = this.arguments.checkFiles(entries, "entries");
			// An empty batch writes nothing but is still a write: it restarts the clock
			// and reports.
			return copy.isEmpty() ? doTouch(workspaceId) : doCacheFiles(workspaceId, copy);
		});
	}

	@Override
	public final Mono<CachedWorkspace> recover(UUID id) {
		return validated(() -> doRecover(Objects.requireNonNull(id, "id must not be null")));
	}

	@Override
	public final Mono<WriteOutcome> cacheAll(UUID id, CachedWorkspace workspace) {
		return validated(() -> {
			Objects.requireNonNull(id, "id must not be null");
			Objects.requireNonNull(workspace, "workspace must not be null");
			this.arguments.checkWorkspace(workspace, "workspace");
			return doCacheAll(id, workspace);
		});
	}

	@Override
	public final Mono<ConditionalWriteResult> writeIfVersion(UUID id, long expectedVersion, WorkspaceWrite write) {
		return validated(() -> {
			Objects.requireNonNull(id, "id must not be null");
			Objects.requireNonNull(write, "write must not be null");
			this.arguments.checkConditionalWrite(expectedVersion, write);
			return doWriteIfVersion(id, expectedVersion, write);
		});
	}

	@Override
	public final Mono<WorkspaceDescription> describe(UUID id) {
		return validated(() -> doDescribe(Objects.requireNonNull(id, "id must not be null")));
	}

	// At subscription, so that a rejected argument is an error signal, not a throw from
	// the method that built the pipeline.
	private static <T> Mono<T> validated(Supplier<Mono<T>> operation) {
		return Mono.defer(operation);
	}

	/**
	 * Store a validated snapshot.
	 * @param id the workspace id
	 * @param snapshot the snapshot
	 * @return what the cache found
	 */
	protected abstract Mono<WriteOutcome> doCacheWorkspace(UUID id, WorkspaceSnapshot snapshot);

	/**
	 * Read a snapshot.
	 * @param id the workspace id
	 * @return the snapshot, or empty on a miss
	 */
	protected abstract Mono<WorkspaceSnapshot> doGetWorkspace(UUID id);

	/**
	 * Store a validated overlay entry.
	 * @param workspaceId the workspace id
	 * @param path the path
	 * @param entry the entry
	 * @return what the cache found
	 */
	protected abstract Mono<WriteOutcome> doCacheFile(UUID workspaceId, String path, CachedOverlayEntry entry);

	/**
	 * Read an overlay entry.
	 * @param workspaceId the workspace id
	 * @param path the validated path
	 * @return the entry, or empty on a miss
	 */
	protected abstract Mono<CachedOverlayEntry> doGetFile(UUID workspaceId, String path);

	/**
	 * List the overlay's paths.
	 * @param workspaceId the workspace id
	 * @return the sorted, unmodifiable paths
	 */
	protected abstract Mono<List<String>> doListFiles(UUID workspaceId);

	/**
	 * Store a validated graph.
	 * @param workspaceId the workspace id
	 * @param graphData a copy of the caller's graph, the implementation's to keep
	 * @return what the cache found
	 */
	protected abstract Mono<WriteOutcome> doCacheGraph(UUID workspaceId, byte[] graphData);

	/**
	 * Read a graph.
	 * @param workspaceId the workspace id
	 * @return the graph, or empty on a miss
	 */
	protected abstract Mono<byte[]> doGetGraph(UUID workspaceId);

	/**
	 * Evict a workspace.
	 * @param id the workspace id
	 * @return completes once evicted
	 */
	protected abstract Mono<Void> doEvict(UUID id);

	/**
	 * Restart the time-to-live of a workspace.
	 * @param id the workspace id
	 * @return what the cache found
	 */
	protected abstract Mono<WriteOutcome> doTouch(UUID id);

	/**
	 * Read the whole overlay.
	 * @param workspaceId the workspace id
	 * @return the sorted, unmodifiable overlay
	 */
	protected abstract Mono<Map<String, CachedOverlayEntry>> doGetFiles(UUID workspaceId);

	/**
	 * Store a validated, non-empty batch of entries atomically.
	 * @param workspaceId the workspace id
	 * @param entries the entries, an unmodifiable copy
	 * @return what the cache found
	 */
	protected abstract Mono<WriteOutcome> doCacheFiles(UUID workspaceId, Map<String, CachedOverlayEntry> entries);

	/**
	 * Read a whole workspace atomically.
	 * @param id the workspace id
	 * @return the workspace, or empty on a miss
	 */
	protected abstract Mono<CachedWorkspace> doRecover(UUID id);

	/**
	 * Replace a whole workspace atomically.
	 * @param id the workspace id
	 * @param workspace the validated workspace
	 * @return what the cache found
	 */
	protected abstract Mono<WriteOutcome> doCacheAll(UUID id, CachedWorkspace workspace);

	/**
	 * Apply a validated write if the workspace is at the expected version.
	 * @param id the workspace id
	 * @param expectedVersion the expected version, not negative
	 * @param write the write
	 * @return whether it was applied, what the cache found and the version
	 */
	protected abstract Mono<ConditionalWriteResult> doWriteIfVersion(UUID id, long expectedVersion,
			WorkspaceWrite write);

	/**
	 * Describe a workspace without reading its content.
	 * @param id the workspace id
	 * @return the description, or empty
	 */
	protected abstract Mono<WorkspaceDescription> doDescribe(UUID id);

}
