package dev.workspacecache.sample.session;

import java.util.UUID;
import java.util.function.Supplier;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheOperation;
import dev.workspacecache.WriteOutcome;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Writes every change of a live session through to the {@link WorkspaceCache}, the way
 * the original engine does: the entry on every file change, the graph when it changes,
 * {@code touch} on access, {@code evict} on delete; and the whole session
 * ({@code cacheAll}) when it is created or when the cache turns out to have lost it.
 * <p>
 * Writes are synchronous: when a request returns, its change is in the cache, so another
 * pod can recover it at once. That makes cross-pod behaviour easy to reason about (and to
 * test) at the cost of one cache round trip per change, bounded by
 * {@code spring.data.redis.timeout}. The original engine writes fire-and-forget instead,
 * which hides that latency but lets a client reach another pod before its change does.
 * <p>
 * Each write returns the cache's {@link WriteOutcome}, for {@link SessionService} to act
 * on. A failing cache never fails a request: this pod's copy is the source of truth for
 * the sessions it holds, so the failure is reported to {@link CacheFailures}, the write
 * returns {@code null} and the request carries on. What is lost is only the ability of
 * other pods to recover the change.
 */
@Component
class SessionWriteThrough {

	private final WorkspaceCache cache;

	private final CacheFailures failures;

	SessionWriteThrough(WorkspaceCache cache, CacheFailures failures) {
		this.cache = cache;
		this.failures = failures;
	}

	/**
	 * Replace everything the cache holds for a session with the session as this pod holds
	 * it. Must run inside a change of the session, which {@link LiveSession#whole()}
	 * checks.
	 * @param session the session
	 * @return what the cache found, or {@code null} if the call failed
	 */
	@Nullable WriteOutcome whole(LiveSession session) {
		return attempt(WorkspaceCacheOperation.CACHE_ALL, session.id(),
				() -> this.cache.cacheAll(session.id(), session.whole()));
	}

	@Nullable WriteOutcome file(UUID sessionId, OverlayPath path, CachedOverlayEntry entry) {
		return attempt(WorkspaceCacheOperation.CACHE_FILE, sessionId,
				() -> this.cache.cacheFile(sessionId, path.value(), entry));
	}

	@Nullable WriteOutcome graph(UUID sessionId, byte[] graph) {
		return attempt(WorkspaceCacheOperation.CACHE_GRAPH, sessionId, () -> this.cache.cacheGraph(sessionId, graph));
	}

	@Nullable WriteOutcome touch(UUID sessionId) {
		return attempt(WorkspaceCacheOperation.TOUCH, sessionId, () -> this.cache.touch(sessionId));
	}

	void evict(UUID sessionId) {
		attempt(WorkspaceCacheOperation.EVICT, sessionId, () -> {
			this.cache.evict(sessionId);
			return Boolean.TRUE;
		});
	}

	/**
	 * Make one cache call.
	 * @param <T> what the call returns
	 * @param operation the call, for the failure report
	 * @param sessionId the session the call is for
	 * @param call the call
	 * @return what the call returned, or {@code null} if it failed
	 */
	private <T> @Nullable T attempt(WorkspaceCacheOperation operation, UUID sessionId, Supplier<T> call) {
		try {
			return call.get();
		}
		catch (RuntimeException ex) {
			// WorkspaceCacheException for a backend failure; anything else is a bug worth
			// counting too, but still no reason to fail a change this pod has already
			// applied.
			this.failures.record(operation, sessionId, ex);
			return null;
		}
	}

}
