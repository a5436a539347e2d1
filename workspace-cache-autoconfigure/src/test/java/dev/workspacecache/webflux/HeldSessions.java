package dev.workspacecache.webflux;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceChange;
import dev.workspacecache.WorkspaceChangeListener;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The sessions this pod holds in memory (L1), each as the {@link CachedWorkspace} the
 * cache held at its {@link CachedWorkspace#version() version}: what this pod created,
 * recovered, or wrote with a conditional write that the cache applied to exactly that
 * copy. A copy is immutable and replaced whole, so a request never sees half of a change;
 * and since the cache, not this pod, orders the writes of a session (by version), no
 * request waits for a lock here.
 * <p>
 * Another pod's change makes a copy stale; {@link Sessions} learns of it from the version
 * that other pod announced. When announcements may have been lost (a disconnect, a server
 * restart), the notifications signal a resynchronize, counted here: a copy verified
 * before the latest one is checked against the cache before it is served again.
 */
@Component
class HeldSessions implements WorkspaceChangeListener {

	private final Map<UUID, Held> copies = new ConcurrentHashMap<>();

	private final AtomicLong resynchronizations = new AtomicLong();

	/**
	 * Return the copy of a session this pod holds.
	 * @param id the session id
	 * @return the copy, or {@code null} if this pod does not hold the session
	 */
	@Nullable Held get(UUID id) {
		return this.copies.get(id);
	}

	/**
	 * Return how many resynchronize signals this pod has had: a copy verified before the
	 * latest may have missed a change.
	 * @return the count
	 */
	long resynchronizations() {
		return this.resynchronizations.get();
	}

	/**
	 * Hold a session that this pod created or read from the cache, unless it holds a
	 * newer copy: answers to concurrent requests come back in any order.
	 * @param workspace the session at the version the cache gave it
	 * @param verifiedThrough the resynchronize signals counted before the cache was asked
	 * @return the copy held now
	 */
	Held hold(CachedWorkspace workspace, long verifiedThrough) {
		Held offered = new Held(workspace, verifiedThrough);
		return this.copies.merge(workspace.snapshot().sessionId(), offered, Held::newer);
	}

	/**
	 * Hold the copy a write made, unless the session was dropped meanwhile: a write that
	 * was in flight when another request learnt of the evict must not bring it back.
	 * @param workspace the session as the write left it, at the version the cache gave it
	 * @param verifiedThrough the resynchronize signals counted before the write was sent
	 */
	void holdWritten(CachedWorkspace workspace, long verifiedThrough) {
		Held offered = new Held(workspace, verifiedThrough);
		this.copies.computeIfPresent(workspace.snapshot().sessionId(), (id, held) -> held.newer(offered));
	}

	/**
	 * Replace a copy that a write found stale with what the cache holds, even if that is
	 * older (a pod with an older copy wrote the session back after the cache lost it):
	 * this pod could never write from a version the cache no longer has. A newer copy
	 * that a concurrent request of this pod holds by now is kept.
	 * @param workspace the session as the cache holds it
	 * @param staleVersion the version of the copy the write was made from
	 * @param verifiedThrough the resynchronize signals counted before the cache was asked
	 */
	void replaceStale(CachedWorkspace workspace, long staleVersion, long verifiedThrough) {
		Held offered = new Held(workspace, verifiedThrough);
		this.copies.compute(workspace.snapshot().sessionId(), (id,
				held) -> (held == null || held.workspace().version() == staleVersion) ? offered : held.newer(offered));
	}

	/**
	 * Stop holding a session.
	 * @param id the session id
	 */
	void drop(UUID id) {
		this.copies.remove(id);
	}

	@Override
	public void onWorkspaceChange(WorkspaceChange change) {
		// Nothing to do: a read compares the copy's version with the newest one another
		// pod announced (WorkspaceChangeNotifications.getAnnouncedVersion), which is
		// recorded before listeners hear of it.
	}

	@Override
	public void onResynchronize(String reason) {
		this.resynchronizations.incrementAndGet();
	}

	/**
	 * A session as this pod holds it.
	 *
	 * @param workspace the session at its version
	 * @param verifiedThrough the resynchronize signals counted when the copy was last
	 * known to match the cache
	 */
	record Held(CachedWorkspace workspace, long verifiedThrough) {

		/**
		 * Return whether the copy was verified after every resynchronize signal so far.
		 * @param resynchronizations the signals counted now
		 * @return whether no change can have been missed
		 */
		boolean isVerifiedThrough(long resynchronizations) {
			return this.verifiedThrough >= resynchronizations;
		}

		// The copy at the higher version; of two at the same version, the one verified
		// later.
		private Held newer(Held other) {
			long version = this.workspace.version();
			long otherVersion = other.workspace.version();
			if (otherVersion != version) {
				return (otherVersion > version) ? other : this;
			}
			return (other.verifiedThrough > this.verifiedThrough) ? other : this;
		}

	}

}
