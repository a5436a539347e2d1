package dev.workspacecache;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

import dev.workspacecache.observation.DefaultWorkspaceCacheObservationConvention;
import dev.workspacecache.observation.WorkspaceCacheObservationContext;
import dev.workspacecache.observation.WorkspaceCacheObservationContext.Result;
import dev.workspacecache.observation.WorkspaceCacheObservationConvention;
import dev.workspacecache.observation.WorkspaceCacheObservationDocumentation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * How a cache observes its calls, the one place for the blocking
 * ({@link AbstractWorkspaceCache}) and the reactive
 * ({@link AbstractReactiveWorkspaceCache}) base classes: the registry and convention a
 * cache was given, the observation of one call, and what the return of each operation
 * says (its result, write outcome and bytes), so that the two APIs record the same keys
 * for the same call.
 * <p>
 * The outcomes take what the blocking API returns: a reactive read that completes empty
 * is {@code Optional.empty()} to them.
 */
final class CallObservations {

	static final long NOT_MEASURED = WorkspaceCacheObservationContext.NOT_MEASURED;

	static final BiConsumer<WorkspaceCacheObservationContext, Optional<WorkspaceSnapshot>> GET_WORKSPACE = read(
			Optional::isPresent, (snapshot) -> NOT_MEASURED);

	static final BiConsumer<WorkspaceCacheObservationContext, Optional<CachedOverlayEntry>> GET_FILE = read(
			Optional::isPresent, (entry) -> entry.map(CallObservations::contentSize).orElse(0L));

	static final BiConsumer<WorkspaceCacheObservationContext, Optional<WorkspaceDescription>> DESCRIBE = read(
			Optional::isPresent, (description) -> NOT_MEASURED);

	static final BiConsumer<WorkspaceCacheObservationContext, List<String>> LIST_FILES = read(
			(paths) -> !paths.isEmpty(), (paths) -> NOT_MEASURED);

	static final BiConsumer<WorkspaceCacheObservationContext, Optional<byte[]>> GET_GRAPH = read(Optional::isPresent,
			(graph) -> graph.map((bytes) -> (long) bytes.length).orElse(0L));

	static final BiConsumer<WorkspaceCacheObservationContext, Map<String, CachedOverlayEntry>> GET_FILES = read(
			(files) -> !files.isEmpty(), CallObservations::contentSize);

	static final BiConsumer<WorkspaceCacheObservationContext, Optional<CachedWorkspace>> RECOVER = read(
			Optional::isPresent, (workspace) -> workspace.map(CallObservations::contentSize).orElse(0L));

	private ObservationRegistry registry = ObservationRegistry.NOOP;

	private @Nullable WorkspaceCacheObservationConvention convention;

	ObservationRegistry getRegistry() {
		return this.registry;
	}

	void setRegistry(ObservationRegistry registry) {
		this.registry = Objects.requireNonNull(registry, "observationRegistry must not be null");
	}

	void setConvention(@Nullable WorkspaceCacheObservationConvention convention) {
		this.convention = convention;
	}

	/**
	 * Return whether calls go unobserved: then a call costs this one check.
	 * @return whether the registry is {@link ObservationRegistry#NOOP}
	 */
	boolean isOff() {
		return this.registry.isNoop();
	}

	/**
	 * Return the observation of one call, not started: the blocking cache observes around
	 * the call, the reactive one from subscription to the end of the {@code Mono}.
	 * @param context the context of the call
	 * @return the observation
	 */
	Observation create(WorkspaceCacheObservationContext context) {
		return WorkspaceCacheObservationDocumentation.CACHE_OPERATION.observation(this.convention,
				DefaultWorkspaceCacheObservationConvention.INSTANCE, () -> context, this.registry);
	}

	/**
	 * Record what a call that returns nothing (an evict), or a reactive write that
	 * completed without a value, says: it succeeded.
	 * @param context the context of the call
	 */
	static void succeeded(WorkspaceCacheObservationContext context) {
		context.setResult(Result.SUCCESS);
	}

	/**
	 * Return what a read's return says: a hit or a miss, and unless the backend reported
	 * the bytes it read, the bytes of the content it returned.
	 * @param <T> what the read returns
	 * @param hit whether the return is a hit
	 * @param payload the bytes of content returned, or {@link #NOT_MEASURED}
	 * @return the outcome
	 */
	static <T> BiConsumer<WorkspaceCacheObservationContext, T> read(Predicate<T> hit, ToLongFunction<T> payload) {
		return (context, value) -> {
			context.setResult(hit.test(value) ? Result.HIT : Result.MISS);
			if (context.getBytesRead() == NOT_MEASURED) {
				long bytes = payload.applyAsLong(value);
				if (bytes != NOT_MEASURED) {
					context.addBytesRead(bytes);
				}
			}
		};
	}

	/**
	 * Return what a write's return says: a success, what it found, and unless the backend
	 * reported the bytes it wrote, the bytes of the content it stored.
	 * @param payload the bytes of file content and graph the write stores; {@code null}
	 * for a write that has no such measure (a snapshot, a touch)
	 * @return the outcome
	 */
	static BiConsumer<WorkspaceCacheObservationContext, WriteOutcome> write(@Nullable LongSupplier payload) {
		return (context, outcome) -> {
			context.setResult(Result.SUCCESS);
			context.setWriteOutcome(outcome);
			if (payload != null && context.getBytesWritten() == NOT_MEASURED) {
				boolean stored = outcome == WriteOutcome.PRESENT || outcome == WriteOutcome.MISSING;
				context.addBytesWritten(stored ? payload.getAsLong() : 0);
			}
		};
	}

	/**
	 * Return what a conditional write's return says: a success if it was applied, else
	 * refused; what it found; the bytes of the content it stored.
	 * @param write the write
	 * @return the outcome
	 */
	static BiConsumer<WorkspaceCacheObservationContext, ConditionalWriteResult> writeIfVersion(WorkspaceWrite write) {
		long payload = payload(write);
		return (context, result) -> {
			context.setResult(result.applied() ? Result.SUCCESS : Result.REFUSED);
			context.setWriteOutcome(result.outcome());
			if (payload != NOT_MEASURED && context.getBytesWritten() == NOT_MEASURED) {
				context.addBytesWritten(result.applied() ? payload : 0);
			}
		};
	}

	private static long payload(WorkspaceWrite write) {
		if (write instanceof WorkspaceWrite.Files files) {
			return contentSize(files.entries());
		}
		if (write instanceof WorkspaceWrite.Graph graph) {
			return graph.size();
		}
		if (write instanceof WorkspaceWrite.Whole whole) {
			return contentSize(whole.workspace());
		}
		return NOT_MEASURED;
	}

	static long contentSize(CachedOverlayEntry entry) {
		return (entry instanceof CachedOverlayEntry.WithContent withContent) ? withContent.size() : 0;
	}

	static long contentSize(Map<String, CachedOverlayEntry> entries) {
		long size = 0;
		for (CachedOverlayEntry entry : entries.values()) {
			size += contentSize(entry);
		}
		return size;
	}

	static long contentSize(CachedWorkspace workspace) {
		return contentSize(workspace.files()) + workspace.graphSize();
	}

}
