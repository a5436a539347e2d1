package dev.workspacecache.sample.session;

import java.util.Optional;
import java.util.UUID;

import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheOperation;
import dev.workspacecache.autoconfigure.ConditionalOnWorkspaceCacheMode;
import dev.workspacecache.autoconfigure.WorkspaceCacheProperties.Mode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.log.LogMessage;
import org.springframework.stereotype.Component;

/**
 * Rebuilds a session that another pod created from the shared workspace cache, with one
 * {@link WorkspaceCache#recover(UUID) recover} call: the snapshot, the whole overlay and
 * the graph in one atomic read. Present only when the cache is shared
 * ({@code workspace.cache.mode=valkey}).
 * <p>
 * Because the read is atomic, a change that another pod writes meanwhile is seen wholly
 * or not at all, and a session is recovered whole or not at all: never a snapshot without
 * the files written with it, nor a session half evicted.
 */
@Component
@ConditionalOnWorkspaceCacheMode(Mode.VALKEY)
public class SharedSessionRecovery implements SessionRecovery {

	private static final Log logger = LogFactory.getLog(SharedSessionRecovery.class);

	private final WorkspaceCache cache;

	private final CacheFailures failures;

	public SharedSessionRecovery(WorkspaceCache cache, CacheFailures failures) {
		this.cache = cache;
		this.failures = failures;
		logger.info("Sessions are shared between pods: a session unknown to this pod is recovered from " + cache);
	}

	@Override
	public LiveSession recover(UUID sessionId) {
		CachedWorkspace workspace = read(sessionId).orElseThrow(() -> new UnknownSessionException(sessionId,
				"Session " + sessionId
						+ " is not held by this pod and not in the shared workspace cache: it was deleted, "
						+ "expired after workspace.cache.ttl without being used, or never existed."));
		logger.debug(LogMessage.format("Recovered session %s (%d files) from the cache", sessionId,
				workspace.files().size()));
		return LiveSession.recovered(workspace);
	}

	private Optional<CachedWorkspace> read(UUID sessionId) {
		try {
			return this.cache.recover(sessionId);
		}
		catch (RuntimeException ex) {
			this.failures.record(WorkspaceCacheOperation.RECOVER, sessionId, ex);
			throw new SessionRecoveryFailedException(sessionId, ex);
		}
	}

}
