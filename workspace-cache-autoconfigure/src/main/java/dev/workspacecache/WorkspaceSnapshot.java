package dev.workspacecache;

import java.util.Objects;
import java.util.UUID;

/**
 * A point-in-time snapshot of a session workspace's metadata: what any pod needs to
 * rebuild the workspace context of a session it did not create.
 *
 * @param sessionId the workspace (session) id
 * @param repoId the repository the workspace operates on
 * @param agentId the authenticated agent identifier (for example a user id or API key
 * prefix)
 * @param agentName the human-readable agent name assigned by the server (for example
 * {@code "agent-3"})
 * @param changesetId the changeset associated with the session
 * @param intent the user-provided intent of the session
 * @param baseCommit the Git commit the workspace reads from
 * @param state the lifecycle state label (for example {@code "active"},
 * {@code "submitted"}, {@code "merged"})
 * @param mode the mode label ({@code "ephemeral"} or {@code "persistent"})
 */
public record WorkspaceSnapshot(UUID sessionId, UUID repoId, String agentId, String agentName, UUID changesetId,
		String intent, String baseCommit, String state, String mode) {

	public WorkspaceSnapshot {
		Objects.requireNonNull(sessionId, "sessionId must not be null");
		Objects.requireNonNull(repoId, "repoId must not be null");
		Objects.requireNonNull(agentId, "agentId must not be null");
		Objects.requireNonNull(agentName, "agentName must not be null");
		Objects.requireNonNull(changesetId, "changesetId must not be null");
		Objects.requireNonNull(intent, "intent must not be null");
		Objects.requireNonNull(baseCommit, "baseCommit must not be null");
		Objects.requireNonNull(state, "state must not be null");
		Objects.requireNonNull(mode, "mode must not be null");
	}

}
