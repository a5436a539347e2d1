package dev.workspacecache.sample.session;

import java.util.UUID;

/**
 * Thrown when a request names a session that this pod neither holds nor can recover. The
 * message says why, in terms a client can act on; it depends on the cache mode (see
 * {@link SessionRecovery}).
 */
public class UnknownSessionException extends RuntimeException {

	private final UUID sessionId;

	public UnknownSessionException(UUID sessionId, String message) {
		super(message);
		this.sessionId = sessionId;
	}

	public UUID getSessionId() {
		return this.sessionId;
	}

}
