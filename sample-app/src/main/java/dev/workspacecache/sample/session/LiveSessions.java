package dev.workspacecache.sample.session;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The sessions this pod holds in memory (L1), by id.
 * <p>
 * In a real service, idle sessions would be collected after a while (the original engine
 * drops them after 60 minutes); the sample keeps them until they are deleted or dropped.
 */
@Component
public class LiveSessions {

	private final ConcurrentHashMap<UUID, LiveSession> sessions = new ConcurrentHashMap<>();

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
		return (existing != null) ? existing : session;
	}

	/**
	 * Stop holding a session.
	 * @param session the session to drop; a different copy held under the same id stays
	 * @return whether this pod held that copy
	 */
	boolean remove(LiveSession session) {
		return this.sessions.remove(session.id(), session);
	}

	/**
	 * Stop holding a session, whichever copy this pod has.
	 * @param id the session id
	 * @return whether this pod held the session
	 */
	public boolean drop(UUID id) {
		return this.sessions.remove(id) != null;
	}

}
