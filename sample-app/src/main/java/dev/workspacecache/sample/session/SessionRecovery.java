package dev.workspacecache.sample.session;

import java.util.UUID;

/**
 * What a pod does when a request names a session it does not hold. Which implementation
 * runs depends on {@code workspace.cache.mode}, so {@link SessionService} does not need
 * to know:
 * <ul>
 * <li>{@code valkey}: {@link SharedSessionRecovery} rebuilds the session from the shared
 * cache, since any pod may have created it;</li>
 * <li>{@code noop} (the default) and {@code memory}: {@link LocalOnlySessions} answers
 * that the session is unknown, since no other pod's sessions can be reached.</li>
 * </ul>
 */
public interface SessionRecovery {

	/**
	 * Recover a session that this pod does not hold.
	 * @param sessionId the session id
	 * @return the recovered session, not yet held by this pod
	 * @throws UnknownSessionException if the session cannot be found, with a message
	 * saying why
	 * @throws SessionRecoveryFailedException if the place to find it could not be read
	 */
	LiveSession recover(UUID sessionId);

}
