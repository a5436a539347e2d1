package dev.workspacecache.sample.session;

import java.util.UUID;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceSnapshot;

import org.springframework.stereotype.Component;

/**
 * Writes every change of a live session through to the {@link WorkspaceCache}, the way the
 * original engine does: the snapshot on create, the entry on every file change, the graph when
 * it changes, {@code touch} on access, {@code evict} on delete.
 * <p>
 * Writes are synchronous: when a request returns, its change is in the cache, so another pod
 * can recover it at once. That makes cross-pod behaviour easy to reason about (and to test) at
 * the cost of one cache round trip per change, bounded by {@code spring.data.redis.timeout}. The
 * original engine writes fire-and-forget instead, which hides that latency but lets a client
 * reach another pod before its change does.
 * <p>
 * A failing cache never fails a request: this pod's copy is the source of truth for the
 * sessions it holds, so the failure is reported to {@link CacheFailures} and the request carries
 * on. What is lost is only the ability of other pods to recover the change.
 */
@Component
class SessionWriteThrough {

	private final WorkspaceCache cache;

	private final CacheFailures failures;

	SessionWriteThrough(WorkspaceCache cache, CacheFailures failures) {
		this.cache = cache;
		this.failures = failures;
	}

	boolean snapshot(WorkspaceSnapshot snapshot) {
		return attempt(CacheOperation.CACHE_WORKSPACE, snapshot.sessionId(),
				() -> this.cache.cacheWorkspace(snapshot.sessionId(), snapshot));
	}

	boolean file(UUID sessionId, OverlayPath path, CachedOverlayEntry entry) {
		return attempt(CacheOperation.CACHE_FILE, sessionId,
				() -> this.cache.cacheFile(sessionId, path.value(), entry));
	}

	boolean graph(UUID sessionId, byte[] graph) {
		return attempt(CacheOperation.CACHE_GRAPH, sessionId, () -> this.cache.cacheGraph(sessionId, graph));
	}

	boolean touch(UUID sessionId) {
		return attempt(CacheOperation.TOUCH, sessionId, () -> this.cache.touch(sessionId));
	}

	boolean evict(UUID sessionId) {
		return attempt(CacheOperation.EVICT, sessionId, () -> this.cache.evict(sessionId));
	}

	/**
	 * Make one cache call.
	 * @return whether it succeeded
	 */
	private boolean attempt(CacheOperation operation, UUID sessionId, Runnable call) {
		try {
			call.run();
			return true;
		}
		catch (RuntimeException ex) {
			// WorkspaceCacheException for a backend failure; anything else is a bug worth
			// counting too, but still no reason to fail a change this pod has already applied.
			this.failures.record(operation, sessionId, ex);
			return false;
		}
	}

}
