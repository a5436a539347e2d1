package dev.workspacecache.sample.session;

import java.util.UUID;

/**
 * Thrown when a request reads a file that the session has deleted or never written.
 */
public class FileNotInSessionException extends RuntimeException {

	private final UUID sessionId;

	private final String path;

	FileNotInSessionException(UUID sessionId, OverlayPath path, boolean deleted) {
		super(deleted ? "File '" + path + "' was deleted in session " + sessionId + "."
				: "File '" + path + "' has not been written in session " + sessionId + ".");
		this.sessionId = sessionId;
		this.path = path.value();
	}

	public UUID getSessionId() {
		return this.sessionId;
	}

	public String getPath() {
		return this.path;
	}

}
