package dev.workspacecache.sample.session;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.ConditionalWriteResult;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheOperation;
import dev.workspacecache.WorkspaceWrite;
import dev.workspacecache.WriteOutcome;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Writes every change of a live session through to the {@link WorkspaceCache}, the way
 * the original engine does: the entry on every file change, the graph when it changes,
 * {@code touch} on access, {@code evict} on delete; and the whole session when it is
 * created or when the cache turns out to have lost it. Every write is conditional on the
 * version of the copy it was made from
 * ({@link WorkspaceCache#writeIfVersion(UUID, long, WorkspaceWrite)}), so that a pod
 * whose copy is stale cannot overwrite another pod's change.
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
	 * Apply a write to the cache if the cache holds the session at the version this pod's
	 * copy is at ({@link WorkspaceCache#writeIfVersion}).
	 * @param sessionId the session
	 * @param heldVersion the version of this pod's copy
	 * @param write the write
	 * @return whether it was applied, what the cache found and its version, or
	 * {@code null} if the call failed
	 */
	@Nullable ConditionalWriteResult writeIfVersion(UUID sessionId, long heldVersion, WorkspaceWrite write) {
		return attempt(WorkspaceCacheOperation.WRITE_IF_VERSION, sessionId,
				() -> this.cache.writeIfVersion(sessionId, heldVersion, write));
	}

	/**
	 * Read the whole session as the cache holds it now, to revalidate this pod's copy.
	 * @param sessionId the session
	 * @return the session at its version, empty if the cache does not hold it, or
	 * {@code null} if the call failed
	 */
	@Nullable Optional<CachedWorkspace> recover(UUID sessionId) {
		return attempt(WorkspaceCacheOperation.RECOVER, sessionId, () -> this.cache.recover(sessionId));
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
