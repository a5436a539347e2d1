package dev.workspacecache;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import dev.workspacecache.observation.WorkspaceCacheObservationContext;
import dev.workspacecache.observation.WorkspaceCacheObservationDocumentation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

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
 * <p>
 * Every call that passes validation is observed
 * ({@link WorkspaceCacheObservationDocumentation#CACHE_OPERATION}) through the
 * {@link #setObservationRegistry(ObservationRegistry) observation registry}, which is
 * {@link ObservationRegistry#NOOP} unless one is set: then a call costs one check more.
 * With a registry, each call is a timer sample and a span, with the operation, its
 * result, the {@link #getObservationMode() mode} and, for writes, the
 * {@link WriteOutcome} as low-cardinality keys and the workspace id as a high-cardinality
 * key; the bytes it moved go to {@link WorkspaceCacheObservationContext}. A backend that
 * knows the bytes it exchanged with its store reports them
 * ({@link #recordBytesRead(long)}, {@link #recordBytesWritten(long)}); otherwise the
 * bytes of the file contents and graph that a call returned or stored are recorded.
 */
public abstract class AbstractWorkspaceCache extends ObservedCache implements WorkspaceCache {

	private final WorkspaceArguments arguments;

	/**
	 * Create a cache that accepts entries of up to {@code maxEntrySize} bytes.
	 * @param maxEntrySize the largest file content or graph blob accepted, in bytes
	 */
	protected AbstractWorkspaceCache(long maxEntrySize) {
		this.arguments = new WorkspaceArguments(maxEntrySize);
	}

	@Override
	public final long getMaxEntrySize() {
		return this.arguments.maxEntrySize();
	}

	/**
	 * Report bytes that the running call read from the store, for the
	 * {@code workspace.cache.bytes.read} summary; called from a {@code do*} method, once
	 * per command or once in all. A call for which this is never called records the bytes
	 * of the file contents and graph it returned.
	 * @param bytes the bytes read
	 */
	protected final void recordBytesRead(long bytes) {
		WorkspaceCacheObservationContext context = currentObservationContext();
		if (context != null) {
			context.addBytesRead(bytes);
		}
	}

	/**
	 * Report bytes that the running call wrote to the store, for the
	 * {@code workspace.cache.bytes.written} summary; called from a {@code do*} method,
	 * once per command or once in all. A write for which this is never called records the
	 * bytes of the file contents and graph it stored.
	 * @param bytes the bytes written
	 */
	protected final void recordBytesWritten(long bytes) {
		WorkspaceCacheObservationContext context = currentObservationContext();
		if (context != null) {
			context.addBytesWritten(bytes);
		}
	}

	private @Nullable WorkspaceCacheObservationContext currentObservationContext() {
		if (observations().isOff()) {
			return null;
		}
		// Inside a do* method the current observation is the one observe() opened.
		Observation current = observations().getRegistry().getCurrentObservation();
		return (current != null && current.getContext() instanceof WorkspaceCacheObservationContext context) ? context
				: null;
	}

	@Override
	public final WriteOutcome cacheWorkspace(UUID id, WorkspaceSnapshot snapshot) {
		Objects.requireNonNull(id, "id must not be null");
		Objects.requireNonNull(snapshot, "snapshot must not be null");
		return observe(WorkspaceCacheOperation.CACHE_WORKSPACE, id, () -> doCacheWorkspace(id, snapshot),
				CallObservations.write(null));
	}

	@Override
	public final Optional<WorkspaceSnapshot> getWorkspace(UUID id) {
		Objects.requireNonNull(id, "id must not be null");
		return observe(WorkspaceCacheOperation.GET_WORKSPACE, id, () -> doGetWorkspace(id),
				CallObservations.GET_WORKSPACE);
	}

	@Override
	public final WriteOutcome cacheFile(UUID workspaceId, String path, CachedOverlayEntry entry) {
		Objects.requireNonNull(workspaceId, "workspaceId must not be null");
		WorkspaceArguments.checkPath(path, "path");
		this.arguments.checkEntry(entry, "entry", path);
		return observe(WorkspaceCacheOperation.CACHE_FILE, workspaceId, () -> doCacheFile(workspaceId, path, entry),
				CallObservations.write(() -> CallObservations.contentSize(entry)));
	}

	@Override
	public final Optional<CachedOverlayEntry> getFile(UUID workspaceId, String path) {
		Objects.requireNonNull(workspaceId, "workspaceId must not be null");
		WorkspaceArguments.checkPath(path, "path");
		return observe(WorkspaceCacheOperation.GET_FILE, workspaceId, () -> doGetFile(workspaceId, path),
				CallObservations.GET_FILE);
	}

	@Override
	public final Optional<WorkspaceDescription> describe(UUID id) {
		Objects.requireNonNull(id, "id must not be null");
		return observe(WorkspaceCacheOperation.DESCRIBE, id, () -> doDescribe(id), CallObservations.DESCRIBE);
	}

	/**
	 * Describe a workspace without reading its content; see
	 * {@link WorkspaceCache#describe(UUID)}.
	 * @param id the workspace id, not {@code null}
	 * @return the description; this default describes nothing
	 */
	protected Optional<WorkspaceDescription> doDescribe(UUID id) {
		return Optional.empty();
	}

	@Override
	public final List<String> listFiles(UUID workspaceId) {
		Objects.requireNonNull(workspaceId, "workspaceId must not be null");
		return observe(WorkspaceCacheOperation.LIST_FILES, workspaceId, () -> doListFiles(workspaceId),
				CallObservations.LIST_FILES);
	}

	@Override
	public final WriteOutcome cacheGraph(UUID workspaceId, byte[] graphData) {
		Objects.requireNonNull(workspaceId, "workspaceId must not be null");
		Objects.requireNonNull(graphData, "graphData must not be null");
		this.arguments.checkGraphSize(graphData.length, "graphData");
		return observe(WorkspaceCacheOperation.CACHE_GRAPH, workspaceId, () -> doCacheGraph(workspaceId, graphData),
				CallObservations.write(() -> graphData.length));
	}

	@Override
	public final Optional<byte[]> getGraph(UUID workspaceId) {
		Objects.requireNonNull(workspaceId, "workspaceId must not be null");
		return observe(WorkspaceCacheOperation.GET_GRAPH, workspaceId, () -> doGetGraph(workspaceId),
				CallObservations.GET_GRAPH);
	}

	@Override
	public final void evict(UUID id) {
		Objects.requireNonNull(id, "id must not be null");
		observe(WorkspaceCacheOperation.EVICT, id, () -> {
			doEvict(id);
			return Boolean.TRUE;
		}, (context, done) -> CallObservations.succeeded(context));
	}

	@Override
	public final WriteOutcome touch(UUID id) {
		Objects.requireNonNull(id, "id must not be null");
		return observe(WorkspaceCacheOperation.TOUCH, id, () -> doTouch(id), CallObservations.write(null));
	}

	@Override
	public final Map<String, CachedOverlayEntry> getFiles(UUID workspaceId) {
		Objects.requireNonNull(workspaceId, "workspaceId must not be null");
		return observe(WorkspaceCacheOperation.GET_FILES, workspaceId, () -> doGetFiles(workspaceId),
				CallObservations.GET_FILES);
	}

	@Override
	public final WriteOutcome cacheFiles(UUID workspaceId, Map<String, CachedOverlayEntry> entries) {
		Objects.requireNonNull(workspaceId, "workspaceId must not be null");
		Objects.requireNonNull(entries, "entries must not be null");
		Map<String, CachedOverlayEntry> copy = this.arguments.checkFiles(entries, "entries");
		// An empty batch writes nothing but is still a write: it restarts the clock and
		// reports.
		return observe(WorkspaceCacheOperation.CACHE_FILES, workspaceId,
				() -> copy.isEmpty() ? doTouch(workspaceId) : doCacheFiles(workspaceId, copy),
				CallObservations.write(() -> CallObservations.contentSize(copy)));
	}

	@Override
	public final Optional<CachedWorkspace> recover(UUID id) {
		Objects.requireNonNull(id, "id must not be null");
		return observe(WorkspaceCacheOperation.RECOVER, id, () -> doRecover(id), CallObservations.RECOVER);
	}

	@Override
	public final WriteOutcome cacheAll(UUID id, CachedWorkspace workspace) {
		Objects.requireNonNull(id, "id must not be null");
		Objects.requireNonNull(workspace, "workspace must not be null");
		this.arguments.checkWorkspace(workspace, "workspace");
		return observe(WorkspaceCacheOperation.CACHE_ALL, id, () -> doCacheAll(id, workspace),
				CallObservations.write(() -> CallObservations.contentSize(workspace)));
	}

	@Override
	public final ConditionalWriteResult writeIfVersion(UUID id, long expectedVersion, WorkspaceWrite write) {
		Objects.requireNonNull(id, "id must not be null");
		Objects.requireNonNull(write, "write must not be null");
		this.arguments.checkConditionalWrite(expectedVersion, write);
		return observe(WorkspaceCacheOperation.WRITE_IF_VERSION, id, () -> doWriteIfVersion(id, expectedVersion, write),
				CallObservations.writeIfVersion(write));
	}

	private <T> T observe(WorkspaceCacheOperation operation, UUID id, Supplier<T> call,
			BiConsumer<WorkspaceCacheObservationContext, ? super T> onReturn) {
		if (observations().isOff()) {
			return call.get();
		}
		WorkspaceCacheObservationContext context = new WorkspaceCacheObservationContext(operation, id,
				getObservationMode());
		return observations().create(context).observe(() -> {
			T value = call.get();
			onReturn.accept(context, value);
			return value;
		});
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

	/**
	 * Apply a validated write if the workspace is at the expected version, atomically;
	 * see {@link WorkspaceCache#writeIfVersion(UUID, long, WorkspaceWrite)} for the
	 * rules.
	 * @param id the workspace id
	 * @param expectedVersion the version the caller's copy is at, not negative
	 * @param write the validated write
	 * @return whether it was applied, what the cache found and the version
	 */
	protected abstract ConditionalWriteResult doWriteIfVersion(UUID id, long expectedVersion, WorkspaceWrite write);

}
