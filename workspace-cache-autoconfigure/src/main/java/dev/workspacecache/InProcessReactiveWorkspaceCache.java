package dev.workspacecache;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import dev.workspacecache.memory.InMemoryWorkspaceCache;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * A {@link ReactiveWorkspaceCache} over a {@link WorkspaceCache} that keeps its data in
 * this process: an {@link InMemoryWorkspaceCache} (the {@code memory} mode) or a
 * {@link NoOpCache} (the {@code noop} mode). Those never wait on I/O, only for the
 * per-workspace update of a concurrent map, so each operation runs on the subscribing
 * thread, at subscription, and completes at once: no thread is switched and none is
 * blocked. Validation, semantics and observations are the wrapped cache's, so the two
 * APIs of one mode cannot differ: each call is observed once, by the wrapped cache, as a
 * child of the observation the subscriber put in the Reactor context under
 * {@link ObservationThreadLocalAccessor#KEY} (as Spring WebFlux does for a request).
 * <p>
 * Only these two caches can be wrapped: a cache that waits for a server, such as
 * {@link dev.workspacecache.valkey.ValkeyCache}, would block the subscribing thread (use
 * {@link dev.workspacecache.valkey.ReactiveValkeyCache}).
 */
public final class InProcessReactiveWorkspaceCache implements ReactiveWorkspaceCache {

	private final WorkspaceCache cache;

	private InProcessReactiveWorkspaceCache(WorkspaceCache cache) {
		this.cache = cache;
	}

	/**
	 * Return a reactive view of an in-memory cache: both see the same workspaces.
	 * @param cache the in-memory cache
	 * @return the reactive cache
	 */
	public static InProcessReactiveWorkspaceCache of(InMemoryWorkspaceCache cache) {
		return new InProcessReactiveWorkspaceCache(Objects.requireNonNull(cache, "cache must not be null"));
	}

	/**
	 * Return a reactive view of a no-op cache.
	 * @param cache the no-op cache
	 * @return the reactive cache
	 */
	public static InProcessReactiveWorkspaceCache of(NoOpCache cache) {
		return new InProcessReactiveWorkspaceCache(Objects.requireNonNull(cache, "cache must not be null"));
	}

	/**
	 * Return the cache this one runs its operations on.
	 * @return the in-memory or no-op cache
	 */
	public WorkspaceCache getCache() {
		return this.cache;
	}

	@Override
	public long getMaxEntrySize() {
		return this.cache.getMaxEntrySize();
	}

	@Override
	public Mono<WriteOutcome> cacheWorkspace(UUID id, WorkspaceSnapshot snapshot) {
		return call(() -> this.cache.cacheWorkspace(id, snapshot));
	}

	@Override
	public Mono<WorkspaceSnapshot> getWorkspace(UUID id) {
		return callOptional(() -> this.cache.getWorkspace(id));
	}

	@Override
	public Mono<WriteOutcome> cacheFile(UUID workspaceId, String path, CachedOverlayEntry entry) {
		return call(() -> this.cache.cacheFile(workspaceId, path, entry));
	}

	@Override
	public Mono<CachedOverlayEntry> getFile(UUID workspaceId, String path) {
		return callOptional(() -> this.cache.getFile(workspaceId, path));
	}

	@Override
	public Mono<List<String>> listFiles(UUID workspaceId) {
		return call(() -> this.cache.listFiles(workspaceId));
	}

	@Override
	public Mono<WriteOutcome> cacheGraph(UUID workspaceId, byte[] graphData) {
		return call(() -> this.cache.cacheGraph(workspaceId, graphData));
	}

	@Override
	public Mono<byte[]> getGraph(UUID workspaceId) {
		return callOptional(() -> this.cache.getGraph(workspaceId));
	}

	@Override
	public Mono<Void> evict(UUID id) {
		return call(() -> {
			this.cache.evict(id);
			return null;
		});
	}

	@Override
	public Mono<WriteOutcome> touch(UUID id) {
		return call(() -> this.cache.touch(id));
	}

	@Override
	public Mono<Map<String, CachedOverlayEntry>> getFiles(UUID workspaceId) {
		return call(() -> this.cache.getFiles(workspaceId));
	}

	@Override
	public Mono<WriteOutcome> cacheFiles(UUID workspaceId, Map<String, CachedOverlayEntry> entries) {
		return call(() -> this.cache.cacheFiles(workspaceId, entries));
	}

	@Override
	public Mono<CachedWorkspace> recover(UUID id) {
		return callOptional(() -> this.cache.recover(id));
	}

	@Override
	public Mono<WriteOutcome> cacheAll(UUID id, CachedWorkspace workspace) {
		return call(() -> this.cache.cacheAll(id, workspace));
	}

	@Override
	public Mono<ConditionalWriteResult> writeIfVersion(UUID id, long expectedVersion, WorkspaceWrite write) {
		return call(() -> this.cache.writeIfVersion(id, expectedVersion, write));
	}

	@Override
	public Mono<WorkspaceDescription> describe(UUID id) {
		return callOptional(() -> this.cache.describe(id));
	}

	// At subscription, on the subscribing thread, with the subscriber's observation (from
	// the Reactor context) current: the wrapped cache observes the call once, as a child
	// of it, as it would for a blocking caller.
	private static <T> Mono<T> call(Supplier<@Nullable T> call) {
		return Mono.deferContextual((reactorContext) -> Mono.justOrEmpty(inParentScope(reactorContext, call)));
	}

	private static <T> Mono<T> callOptional(Supplier<Optional<T>> call) {
		return Mono.deferContextual((reactorContext) -> Mono.justOrEmpty(inParentScope(reactorContext, call)));
	}

	private static <T> T inParentScope(ContextView reactorContext, Supplier<T> call) {
		Object parent = reactorContext.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
		if (!(parent instanceof Observation observation)) {
			return call.get();
		}
		try (Observation.Scope scope = observation.openScope()) {
			return call.get();
		}
	}

	@Override
	public String toString() {
		return "InProcessReactiveWorkspaceCache[" + this.cache + "]";
	}

}
