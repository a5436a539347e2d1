package dev.workspacecache;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import dev.workspacecache.observation.WorkspaceCacheObservationContext;
import dev.workspacecache.observation.WorkspaceCacheObservationContext.Result;
import dev.workspacecache.observation.WorkspaceCacheObservationDocumentation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Base class for {@link ReactiveWorkspaceCache} implementations: validates every
 * argument, with the rules and messages of {@link AbstractWorkspaceCache}, when the
 * returned {@link Mono} is subscribed to, and signals a rejected argument as an error
 * without calling the {@code do*} methods. The {@code do*} methods receive non-null,
 * validated arguments only, and must not block.
 * <p>
 * Every call that passes validation is observed as {@link AbstractWorkspaceCache}
 * observes its calls, with the same observation
 * ({@link WorkspaceCacheObservationDocumentation#CACHE_OPERATION}), convention and key
 * values, through the {@link #setObservationRegistry(ObservationRegistry) observation
 * registry} ({@link ObservationRegistry#NOOP} unless one is set). The observation starts
 * when the {@code Mono} is subscribed to and stops when it ends: with its value, empty (a
 * read's miss), with an error ({@code result=error}), or cancelled by its subscriber
 * ({@code result=cancelled}). Its parent is the observation the subscriber put in the
 * Reactor context under {@link ObservationThreadLocalAccessor#KEY} (as Spring WebFlux
 * does for a request), never the thread-local one of the thread that happens to
 * subscribe; it is itself in the context of the {@code do*} method's {@code Mono} under
 * that key. A backend that knows the bytes it exchanged with its store reports them
 * ({@link #withBytesRead}, {@link #withBytesWritten}); otherwise the bytes of the file
 * contents and graph that a call returned or stored are recorded.
 */
public abstract class AbstractReactiveWorkspaceCache extends ObservedCache implements ReactiveWorkspaceCache {

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

	/**
	 * Return the given part of a {@code do*} method's {@code Mono}, reporting the bytes
	 * it read from the store for the {@code workspace.cache.bytes.read} summary: those of
	 * its value, or none when it completes empty. A call whose {@code Mono} reports none
	 * records the bytes of the file contents and graph it returned.
	 * @param <T> what the part emits
	 * @param call the part of the call that reads
	 * @param bytes the bytes read, measured on what it emits
	 * @return the part, reporting
	 */
	protected final <T> Mono<T> withBytesRead(Mono<T> call, ToLongFunction<? super T> bytes) {
		if (observations().isOff()) {
			return call;
		}
		return Mono.deferContextual((reactorContext) -> {
			WorkspaceCacheObservationContext context = observationContext(reactorContext);
			return (context != null)
					? call.doOnSuccess((value) -> context.addBytesRead((value != null) ? bytes.applyAsLong(value) : 0))
					: call;
		});
	}

	/**
	 * Return the given part of a {@code do*} method's {@code Mono}, reporting the bytes
	 * it wrote to the store for the {@code workspace.cache.bytes.written} summary, once
	 * it emits. A write whose {@code Mono} reports none records the bytes of the file
	 * contents and graph it stored.
	 * @param <T> what the part emits
	 * @param call the part of the call that writes
	 * @param bytes the bytes written, measured on what it emits; a negative count
	 * ({@link WorkspaceCacheObservationContext#NOT_MEASURED}) reports nothing
	 * @return the part, reporting
	 */
	protected final <T> Mono<T> withBytesWritten(Mono<T> call, ToLongFunction<? super T> bytes) {
		if (observations().isOff()) {
			return call;
		}
		return Mono.deferContextual((reactorContext) -> {
			WorkspaceCacheObservationContext context = observationContext(reactorContext);
			return (context != null) ? call.doOnNext((value) -> {
				long written = bytes.applyAsLong(value);
				if (written >= 0) {
					context.addBytesWritten(written);
				}
			}) : call;
		});
	}

	// Inside a do* method's Mono the observation in the Reactor context is the one
	// observed() started.
	private static @Nullable WorkspaceCacheObservationContext observationContext(ContextView reactorContext) {
		Object current = reactorContext.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
		return (current instanceof Observation observation
				&& observation.getContext() instanceof WorkspaceCacheObservationContext context) ? context : null;
	}

	@Override
	public final Mono<WriteOutcome> cacheWorkspace(UUID id, WorkspaceSnapshot snapshot) {
		return validated(() -> {
			Objects.requireNonNull(id, "id must not be null");
			Objects.requireNonNull(snapshot, "snapshot must not be null");
			return write(WorkspaceCacheOperation.CACHE_WORKSPACE, id, doCacheWorkspace(id, snapshot), null);
		});
	}

	@Override
	public final Mono<WorkspaceSnapshot> getWorkspace(UUID id) {
		return validated(() -> {
			Objects.requireNonNull(id, "id must not be null");
			return read(WorkspaceCacheOperation.GET_WORKSPACE, id, doGetWorkspace(id), CallObservations.GET_WORKSPACE);
		});
	}

	@Override
	public final Mono<WriteOutcome> cacheFile(UUID workspaceId, String path, CachedOverlayEntry entry) {
		return validated(() -> {
			Objects.requireNonNull(workspaceId, "workspaceId must not be null");
			WorkspaceArguments.checkPath(path, "path");
			this.arguments.checkEntry(entry, "entry", path);
			return write(WorkspaceCacheOperation.CACHE_FILE, workspaceId, doCacheFile(workspaceId, path, entry),
					() -> CallObservations.contentSize(entry));
		});
	}

	@Override
	public final Mono<CachedOverlayEntry> getFile(UUID workspaceId, String path) {
		return validated(() -> {
			Objects.requireNonNull(workspaceId, "workspaceId must not be null");
			WorkspaceArguments.checkPath(path, "path");
			return read(WorkspaceCacheOperation.GET_FILE, workspaceId, doGetFile(workspaceId, path),
					CallObservations.GET_FILE);
		});
	}

	@Override
	public final Mono<List<String>> listFiles(UUID workspaceId) {
		return validated(() -> {
			Objects.requireNonNull(workspaceId, "workspaceId must not be null");
			return readAll(WorkspaceCacheOperation.LIST_FILES, workspaceId, doListFiles(workspaceId),
					CallObservations.LIST_FILES, List.of());
		});
	}

	@Override
	public final Mono<WriteOutcome> cacheGraph(UUID workspaceId, byte[] graphData) {
		return validated(() -> {
			Objects.requireNonNull(workspaceId, "workspaceId must not be null");
			Objects.requireNonNull(graphData, "graphData must not be null");
			this.arguments.checkGraphSize(graphData.length, "graphData");
			// Copied now: the caller may change its array before the write is sent.
			byte[] copy = graphData.clone();
			return write(WorkspaceCacheOperation.CACHE_GRAPH, workspaceId, doCacheGraph(workspaceId, copy),
					() -> copy.length);
		});
	}

	@Override
	public final Mono<byte[]> getGraph(UUID workspaceId) {
		return validated(() -> {
			Objects.requireNonNull(workspaceId, "workspaceId must not be null");
			return read(WorkspaceCacheOperation.GET_GRAPH, workspaceId, doGetGraph(workspaceId),
					CallObservations.GET_GRAPH);
		});
	}

	@Override
	public final Mono<Void> evict(UUID id) {
		return validated(() -> {
			Objects.requireNonNull(id, "id must not be null");
			return observed(WorkspaceCacheOperation.EVICT, id, doEvict(id),
					(context, nothing) -> CallObservations.succeeded(context), CallObservations::succeeded);
		});
	}

	@Override
	public final Mono<WriteOutcome> touch(UUID id) {
		return validated(() -> {
			Objects.requireNonNull(id, "id must not be null");
			return write(WorkspaceCacheOperation.TOUCH, id, doTouch(id), null);
		});
	}

	@Override
	public final Mono<Map<String, CachedOverlayEntry>> getFiles(UUID workspaceId) {
		return validated(() -> {
			Objects.requireNonNull(workspaceId, "workspaceId must not be null");
			return readAll(WorkspaceCacheOperation.GET_FILES, workspaceId, doGetFiles(workspaceId),
					CallObservations.GET_FILES, Map.of());
		});
	}

	@Override
	public final Mono<WriteOutcome> cacheFiles(UUID workspaceId, Map<String, CachedOverlayEntry> entries) {
		return validated(() -> {
			Objects.requireNonNull(workspaceId, "workspaceId must not be null");
			Objects.requireNonNull(entries, "entries must not be null");
			Map<String, CachedOverlayEntry> copy = this.arguments.checkFiles(entries, "entries");
			// An empty batch writes nothing but is still a write: it restarts the clock
			// and reports.
			return write(WorkspaceCacheOperation.CACHE_FILES, workspaceId,
					copy.isEmpty() ? doTouch(workspaceId) : doCacheFiles(workspaceId, copy),
					() -> CallObservations.contentSize(copy));
		});
	}

	@Override
	public final Mono<CachedWorkspace> recover(UUID id) {
		return validated(() -> {
			Objects.requireNonNull(id, "id must not be null");
			return read(WorkspaceCacheOperation.RECOVER, id, doRecover(id), CallObservations.RECOVER);
		});
	}

	@Override
	public final Mono<WriteOutcome> cacheAll(UUID id, CachedWorkspace workspace) {
		return validated(() -> {
			Objects.requireNonNull(id, "id must not be null");
			Objects.requireNonNull(workspace, "workspace must not be null");
			this.arguments.checkWorkspace(workspace, "workspace");
			return write(WorkspaceCacheOperation.CACHE_ALL, id, doCacheAll(id, workspace),
					() -> CallObservations.contentSize(workspace));
		});
	}

	@Override
	public final Mono<ConditionalWriteResult> writeIfVersion(UUID id, long expectedVersion, WorkspaceWrite write) {
		return validated(() -> {
			Objects.requireNonNull(id, "id must not be null");
			Objects.requireNonNull(write, "write must not be null");
			this.arguments.checkConditionalWrite(expectedVersion, write);
			return observed(WorkspaceCacheOperation.WRITE_IF_VERSION, id, doWriteIfVersion(id, expectedVersion, write),
					CallObservations.writeIfVersion(write), CallObservations::succeeded);
		});
	}

	@Override
	public final Mono<WorkspaceDescription> describe(UUID id) {
		return validated(() -> {
			Objects.requireNonNull(id, "id must not be null");
			return read(WorkspaceCacheOperation.DESCRIBE, id, doDescribe(id), CallObservations.DESCRIBE);
		});
	}

	// At subscription, so that a rejected argument is an error signal, not a throw from
	// the method that built the pipeline.
	private static <T> Mono<T> validated(Supplier<Mono<T>> operation) {
		return Mono.defer(operation);
	}

	// A read that completes empty on a miss: the outcome sees what the blocking API
	// returns, an Optional.
	private <T> Mono<T> read(WorkspaceCacheOperation operation, UUID id, Mono<T> call,
			BiConsumer<WorkspaceCacheObservationContext, Optional<T>> outcome) {
		return observed(operation, id, call, (context, value) -> outcome.accept(context, Optional.of(value)),
				(context) -> outcome.accept(context, Optional.empty()));
	}

	// A read that emits a collection, empty on a miss.
	private <T> Mono<T> readAll(WorkspaceCacheOperation operation, UUID id, Mono<T> call,
			BiConsumer<WorkspaceCacheObservationContext, T> outcome, T none) {
		return observed(operation, id, call, outcome, (context) -> outcome.accept(context, none));
	}

	private Mono<WriteOutcome> write(WorkspaceCacheOperation operation, UUID id, Mono<WriteOutcome> call,
			@Nullable LongSupplier payload) {
		return observed(operation, id, call, CallObservations.write(payload), CallObservations::succeeded);
	}

	// From subscription to the end of the Mono; see the class comment.
	private <T> Mono<T> observed(WorkspaceCacheOperation operation, UUID id, Mono<T> call,
			BiConsumer<WorkspaceCacheObservationContext, ? super T> onValue,
			Consumer<WorkspaceCacheObservationContext> onEmpty) {
		if (observations().isOff()) {
			return call;
		}
		return Mono.deferContextual((reactorContext) -> {
			WorkspaceCacheObservationContext context = new WorkspaceCacheObservationContext(operation, id,
					getObservationMode());
			// The subscriber's observation travels in the Reactor context; the
			// thread-local one belongs to whatever else this thread (an event loop,
			// perhaps) was doing.
			Object parent = reactorContext.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
			Observation observation = observations().create(context)
				.parentObservation((parent instanceof Observation parentObservation) ? parentObservation : null)
				.start();
			// Success, error and cancel may race (a cancel from another thread): the
			// first one ends the observation.
			AtomicBoolean ended = new AtomicBoolean();
			return call.contextWrite((inner) -> inner.put(ObservationThreadLocalAccessor.KEY, observation))
				.doOnSuccess((value) -> {
					if (ended.compareAndSet(false, true)) {
						try {
							if (value != null) {
								onValue.accept(context, value);
							}
							else {
								onEmpty.accept(context);
							}
						}
						finally {
							observation.stop();
						}
					}
				})
				.doOnError((ex) -> {
					if (ended.compareAndSet(false, true)) {
						observation.error(ex);
						observation.stop();
					}
				})
				.doOnCancel(() -> {
					if (ended.compareAndSet(false, true)) {
						context.setResult(Result.CANCELLED);
						observation.stop();
					}
				});
		});
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
