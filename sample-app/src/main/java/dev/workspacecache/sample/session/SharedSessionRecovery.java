package dev.workspacecache.sample.session;

import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceSnapshot;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.log.LogMessage;
import org.springframework.stereotype.Component;

/**
 * Rebuilds a session that another pod created from the shared workspace cache: the snapshot,
 * then the whole overlay in one {@link WorkspaceCache#getFiles(UUID) getFiles} call (not one
 * {@code getFile} per path), then the graph. Present only when the cache is shared
 * ({@code workspace.cache.mode=valkey}).
 * <p>
 * The three reads are not atomic: a change that another pod writes in between may be seen in
 * part. The sample accepts that: pods see each other's changes only when they recover a session,
 * never continuously, anyway.
 */
@Component
@ConditionalOnProperty(name = SessionRecovery.CACHE_MODE_PROPERTY, havingValue = "valkey")
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
		WorkspaceSnapshot snapshot = read(CacheOperation.GET_WORKSPACE, sessionId,
				() -> this.cache.getWorkspace(sessionId))
			.orElseThrow(() -> new UnknownSessionException(sessionId, "Session " + sessionId
					+ " is not held by this pod and not in the shared workspace cache: it was deleted, "
					+ "expired after workspace.cache.ttl without being used, or never existed."));
		Map<String, CachedOverlayEntry> overlay = read(CacheOperation.GET_FILES, sessionId,
				() -> this.cache.getFiles(sessionId));
		byte @Nullable [] graph = read(CacheOperation.GET_GRAPH, sessionId, () -> this.cache.getGraph(sessionId))
			.orElse(null);
		logger.debug(LogMessage.format("Recovered session %s (%d files) from the cache", sessionId, overlay.size()));
		return LiveSession.recovered(snapshot, overlay, graph);
	}

	private <T> T read(CacheOperation operation, UUID sessionId, Supplier<T> call) {
		try {
			return call.get();
		}
		catch (RuntimeException ex) {
			this.failures.record(operation, sessionId, ex);
			throw new SessionRecoveryFailedException(sessionId, ex);
		}
	}

}
