package dev.workspacecache;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.workspacecache.memory.InMemoryWorkspaceCache;
import reactor.core.publisher.Mono;

/**
 * A {@link ReactiveWorkspaceCache} over a {@link WorkspaceCache} that keeps its data in
 * this process: an {@link InMemoryWorkspaceCache} (the {@code memory} mode) or a
 * {@link NoOpCache} (the {@code noop} mode). Those never wait on I/O, only for the
 * per-workspace update of a concurrent map, so each operation runs on the subscribing
 * thread, at subscription, and completes at once: no thread is switched and none is
 * blocked. Validation, semantics and observations are the wrapped cache's, so the two
 * APIs of one mode cannot differ.
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
		return Mono.fromSupplier(() -> this.cache.cacheWorkspace(id, snapshot));
	}

	@Override
	public Mono<WorkspaceSnapshot> getWorkspace(UUID id) {
		return Mono.defer(() -> Mono.justOrEmpty(this.cache.getWorkspace(id)));
	}

	@Override
	public Mono<WriteOutcome> cacheFile(UUID workspaceId, String path, CachedOverlayEntry entry) {
		return Mono.fromSupplier(() -> this.cache.cacheFile(workspaceId, path, entry));
	}

	@Override
	public Mono<CachedOverlayEntry> getFile(UUID workspaceId, String path) {
		return Mono.defer(() -> Mono.justOrEmpty(this.cache.getFile(workspaceId, path)));
	}

	@Override
	public Mono<List<String>> listFiles(UUID workspaceId) {
		return Mono.fromSupplier(() -> this.cache.listFiles(workspaceId));
	}

	@Override
	public Mono<WriteOutcome> cacheGraph(UUID workspaceId, byte[] graphData) {
		return Mono.fromSupplier(() -> this.cache.cacheGraph(workspaceId, graphData));
	}

	@Override
	public Mono<byte[]> getGraph(UUID workspaceId) {
		return Mono.defer(() -> Mono.justOrEmpty(this.cache.getGraph(workspaceId)));
	}

	@Override
	public Mono<Void> evict(UUID id) {
		return Mono.fromRunnable(() -> this.cache.evict(id));
	}

	@Override
	public Mono<WriteOutcome> touch(UUID id) {
		return Mono.fromSupplier(() -> this.cache.touch(id));
	}

	@Override
	public Mono<Map<String, CachedOverlayEntry>> getFiles(UUID workspaceId) {
		return Mono.fromSupplier(() -> this.cache.getFiles(workspaceId));
	}

	@Override
	public Mono<WriteOutcome> cacheFiles(UUID workspaceId, Map<String, CachedOverlayEntry> entries) {
		return Mono.fromSupplier(() -> this.cache.cacheFiles(workspaceId, entries));
	}

	@Override
	public Mono<CachedWorkspace> recover(UUID id) {
		return Mono.defer(() -> Mono.justOrEmpty(this.cache.recover(id)));
	}

	@Override
	public Mono<WriteOutcome> cacheAll(UUID id, CachedWorkspace workspace) {
		return Mono.fromSupplier(() -> this.cache.cacheAll(id, workspace));
	}

	@Override
	public Mono<ConditionalWriteResult> writeIfVersion(UUID id, long expectedVersion, WorkspaceWrite write) {
		return Mono.fromSupplier(() -> this.cache.writeIfVersion(id, expectedVersion, write));
	}

	@Override
	public Mono<WorkspaceDescription> describe(UUID id) {
		return Mono.defer(() -> Mono.justOrEmpty(this.cache.describe(id)));
	}

	@Override
	public String toString() {
		return "InProcessReactiveWorkspaceCache[" + this.cache + "]";
	}

}
