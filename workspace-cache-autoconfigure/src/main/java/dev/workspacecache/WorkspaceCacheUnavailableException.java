package dev.workspacecache;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at once, without contacting the server, while the cache knows its server to be
 * unavailable: a recent call could not reach it (refused, disconnected or timed out), and
 * no probe has reached it since. Callers treat it like any other
 * {@link WorkspaceCacheException}: the cache is not the system of record, so a read falls
 * back to it and a write is skipped; the difference is that it costs microseconds, not a
 * command timeout.
 * <p>
 * The message says since when the cache has been unavailable and what the last failure
 * was, never credentials.
 */
public class WorkspaceCacheUnavailableException extends WorkspaceCacheException {

	private final Instant unavailableSince;

	/**
	 * Create an exception for a call refused while the server is unavailable.
	 * @param operation the {@link WorkspaceCache} operation that was refused
	 * @param workspaceId the workspace the operation was for
	 * @param unavailableSince when the cache found its server unavailable
	 * @param lastFailure what the call that found it said, free of credentials
	 */
	public WorkspaceCacheUnavailableException(WorkspaceCacheOperation operation, @Nullable UUID workspaceId,
			Instant unavailableSince, String lastFailure) {
		super(operation, workspaceId, "the cache is unavailable since " + unavailableSince + " (" + lastFailure
				+ "); calls fail fast until a probe reaches the server again", null);
		this.unavailableSince = unavailableSince;
	}

	/**
	 * Return when the cache found its server unavailable.
	 * @return the instant of the failure that opened the circuit
	 */
	public Instant getUnavailableSince() {
		return this.unavailableSince;
	}

}
