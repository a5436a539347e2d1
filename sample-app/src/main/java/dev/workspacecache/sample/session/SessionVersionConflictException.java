package dev.workspacecache.sample.session;

import java.util.UUID;

/**
 * Thrown when a change cannot be applied to the session as it is now: the client made it
 * from a version of the session ({@code If-Match}) that another change has replaced, or
 * other pods kept changing the session while this one tried to apply it.
 */
public class SessionVersionConflictException extends RuntimeException {

	private final UUID sessionId;

	private final long currentVersion;

	SessionVersionConflictException(UUID sessionId, long currentVersion, String message) {
		super(message);
		this.sessionId = sessionId;
		this.currentVersion = currentVersion;
	}

	public UUID getSessionId() {
		return this.sessionId;
	}

	/**
	 * Return the version of the session this pod holds now, which a client can read the
	 * session at and retry from.
	 * @return the current version
	 */
	public long getCurrentVersion() {
		return this.currentVersion;
	}

}
