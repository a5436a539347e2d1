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

	/** What {@link #announcedWhileRecovering} holds for a session announced evicted. */
	private static final long EVICTED = Long.MAX_VALUE;

	private final ConcurrentHashMap<UUID, LiveSession> sessions = new ConcurrentHashMap<>();

	private final WorkspaceChangeNotifications notifications;

	/**
	 * The newest version announced for each session this pod is recovering (watched, not
	 * held yet), {@link #EVICTED} for one announced evicted: a change that comes between
	 * the recovery's read and its adoption is not missed.
	 */
	private final ConcurrentHashMap<UUID, Long> announcedWhileRecovering = new ConcurrentHashMap<>();

	/**
	 * How many resynchronize signals this pod has received: a copy verified before the
	 * latest one may have missed a change.
	 */
	private final AtomicLong resynchronizations = new AtomicLong();

	public LiveSessions(WorkspaceChangeNotifications notifications) {
		this.notifications = notifications;
	}

	/**
	 * Return whether a copy may be stale and must be checked against the cache before it
	 * is served: what the copy recorded ({@link LiveSession#needsRevalidation(long)}), or
	 * a newer version announced that the listener has not passed on yet. The
	 * notifications record an announced version as it arrives, so a read never depends on
	 * how far behind the delivery thread is.
	 * @param session the copy
	 * @return whether to revalidate
	 */
	boolean needsRevalidation(LiveSession session) {
		return session.needsRevalidation(this.resynchronizations.get())
				|| this.notifications.getAnnouncedVersion(session.id()) > session.version();
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
			this.announcedWhileRecovering.remove(id);
		}
	}

	/**
	 * Record that another pod changed a session, up to a version: the copy this pod
	 * holds, or the one it is recovering, is revalidated at its next access.
	 * @param id the session id
	 * @param version the version the other pod's change reached
	 */
	void changedElsewhere(UUID id, long version) {
		LiveSession held = this.sessions.get(id);
		if (held != null) {
			held.changedElsewhere(version);
		}
		else if (this.notifications.isWatching(id)) {
			this.announcedWhileRecovering.merge(id, version, Math::max);
			// Adopted meanwhile: adopt may have looked before the merge.
			settleAnnouncement(id);
		}
	}

	/**
	 * Stop holding a session another pod evicted, or refuse to adopt the copy this pod is
	 * recovering.
	 * @param id the session id
	 * @return the copy this pod held, closed, or {@code null}
	 */
	@Nullable LiveSession evictedElsewhere(UUID id) {
		LiveSession held = this.sessions.get(id);
		if (held == null && this.notifications.isWatching(id)) {
			this.announcedWhileRecovering.put(id, EVICTED);
			held = settleAnnouncement(id);
		}
		if (held != null) {
			held.closeEvicted();
			return remove(held) ? held : null;
		}
		return null;
	}

	// Applies what was announced for a session while it was being recovered, once it is
	// held; returns the held copy.
	private @Nullable LiveSession settleAnnouncement(UUID id) {
		LiveSession held = this.sessions.get(id);
		if (held != null) {
			Long announced = this.announcedWhileRecovering.remove(id);
			if (announced != null && announced == EVICTED) {
				held.closeEvicted();
				remove(held);
			}
			else if (announced != null) {
				held.changedElsewhere(announced);
			}
		}
		return held;
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
		settleAnnouncement(session.id());
		if (session.isClosed()) {
			throw new UnknownSessionException(session.id(),
					"Session " + session.id() + " was deleted on another pod while this pod recovered it.");
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
