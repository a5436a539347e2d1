package dev.workspacecache.sample.session;

import java.util.UUID;

/**
 * What a client says about a session it creates; the service assigns the rest of the
 * {@link dev.workspacecache.WorkspaceSnapshot}.
 *
 * @param repoId the repository the session works on
 * @param agentId the agent's identifier
 * @param intent what the agent means to do
 * @param baseCommit the commit the session starts from
 * @param mode {@code ephemeral} or {@code persistent}
 */
public record NewSession(UUID repoId, String agentId, String intent, String baseCommit, String mode) {

}
