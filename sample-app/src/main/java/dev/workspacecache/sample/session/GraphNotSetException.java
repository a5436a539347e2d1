package dev.workspacecache.sample.session;

import java.util.UUID;

/**
 * Thrown when a request reads the graph of a session that has none yet.
 */
public class GraphNotSetException extends RuntimeException {

	private final UUID sessionId;

	GraphNotSetException(UUID sessionId) {
		super("Session " + sessionId + " has no graph yet.");
		this.sessionId = sessionId;
	}

	public UUID getSessionId() {
		return this.sessionId;
	}

}
