package dev.workspacecache.sample.session;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.workspacecache.WorkspaceChangeNotifications;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The sessions this pod holds in memory (L1), by id, and the
 * {@link WorkspaceChangeNotifications} that tell the pod when another pod changes one of
 * them: a session is watched before it is created or recovered ({@link #watch(UUID)}),
 * and unwatched when the pod stops holding it.
 * <p>
 * In a real service, idle sessions would be collected after a while (the original engine
 * drops them after 60 minutes); the sample keeps them until they are deleted or dropped.
 */
@Component
public class LiveSessions {

	private final ConcurrentHashMap<UUID, LiveSession> sessions = new ConcurrentHashMap<>();

	private final WorkspaceChangeNotifications notifications;

	/**
	 * How many resynchronize signals this pod has received: a copy verified before the
	 * latest one may have missed a change.
	 */
	private final AtomicLong resynchronizations = new AtomicLong();

	public LiveSessions(WorkspaceChangeNotifications notifications) {
		this.notifications = notifications;
	}

	/**
	 * Start hearing about the changes of a session, before reading it from the cache or
	 * creating it, so that no change can fall between the read and the subscription.
	 * @param id the session id
	 */
	void watch(UUID id) {
		this.notifications.watch(id);
	}

	/**
	 * Stop hearing about a session that this pod tried and failed to recover, unless a
	 * concurrent request of this pod holds it by now.
	 * @param id the session id
	 */
	void unwatchUnlessHeld(UUID id) {
		if (!this.sessions.containsKey(id)) {
			this.notifications.unwatch(id);
		}
	}

	/**
	 * Record a resynchronize signal: every copy held now must be revalidated before it is
	 * served again ({@link LiveSession#needsRevalidation(long)}).
	 * @return how many sessions this pod holds
	 */
	int resynchronize() {
		this.resynchronizations.incrementAndGet();
		return this.sessions.size();
	}

	/**
	 * Return how many resynchronize signals this pod has received. Read it before reading
	 * a session from the cache: the copy built from that read is verified up to this
	 * count.
	 * @return the count
	 */
	long resynchronizations() {
		return this.resynchronizations.get();
	}

	/**
	 * Return the live copy of a session.
	 * @param id the session id
	 * @return the session, or {@code null} if this pod does not hold it
	 */
	public @Nullable LiveSession find(UUID id) {
		return this.sessions.get(id);
	}

	/**
	 * Hold a session created on this pod.
	 * @param session the new session, whose id must be fresh
	 * @throws IllegalStateException if this pod already holds a session with that id
	 */
	void add(LiveSession session) {
		if (this.sessions.putIfAbsent(session.id(), session) != null) {
			throw new IllegalStateException("Session " + session.id() + " already exists");
		}
	}

	/**
	 * Hold a session recovered from the cache, unless a concurrent request of this pod
	 * got there first: then that copy wins, so that every request works on one copy.
	 * @param session the recovered session
	 * @return the copy this pod now holds
	 */
	LiveSession adopt(LiveSession session) {
		LiveSession existing = this.sessions.putIfAbsent(session.id(), session);
		if (existing != null) {
			return existing;
		}
		if (!this.notifications.isWatching(session.id())) {
			// A concurrent request that failed to recover the session unwatched it just
			// before this one adopted it: watch again, and revalidate at the next access,
			// since a change may have come meanwhile.
			this.notifications.watch(session.id());
			session.markUnverified();
		}
		return session;
	}

	/**
	 * Stop holding a session.
	 * @param session the session to drop; a different copy held under the same id stays
	 * @return whether this pod held that copy
	 */
	boolean remove(LiveSession session) {
		boolean removed = this.sessions.remove(session.id(), session);
		if (removed) {
			this.notifications.unwatch(session.id());
		}
		return removed;
	}

	/**
	 * Stop holding a session, whichever copy this pod has.
	 * @param id the session id
	 * @return whether this pod held the session
	 */
	public boolean drop(UUID id) {
		LiveSession dropped = this.sessions.remove(id);
		if (dropped != null) {
			this.notifications.unwatch(id);
		}
		return dropped != null;
	}

}
