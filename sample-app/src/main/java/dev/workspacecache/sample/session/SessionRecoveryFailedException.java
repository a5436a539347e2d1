package dev.workspacecache.sample.session;

import java.util.UUID;

/**
 * Thrown when a session this pod does not hold might be in the shared cache, but the
 * cache could not be read. Unlike a write, a recovery cannot fall back on this pod's
 * memory, so this one cache failure does reach the client, as a retryable error rather
 * than as "unknown session".
 */
public class SessionRecoveryFailedException extends RuntimeException {

	private final UUID sessionId;

	SessionRecoveryFailedException(UUID sessionId, RuntimeException cause) {
		super("Session " + sessionId + " is not held by this pod and the shared workspace cache could not be read "
				+ "to recover it; try again later.", cause);
		this.sessionId = sessionId;
	}

	public UUID getSessionId() {
		return this.sessionId;
	}

}
