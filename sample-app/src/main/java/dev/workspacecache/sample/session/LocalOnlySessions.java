package dev.workspacecache.sample.session;

import java.util.Locale;
import java.util.UUID;

import dev.workspacecache.autoconfigure.ConditionalOnWorkspaceCacheMode;
import dev.workspacecache.autoconfigure.WorkspaceCacheProperties.Mode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Answers that a session this pod does not hold is unknown, since without a shared cache
 * ({@code workspace.cache.mode} {@code noop} or {@code memory}) no other pod's sessions
 * can be reached. Present only in those modes.
 * <p>
 * In {@code memory} mode the cache could give back a session this pod dropped from its
 * memory, but it is never shared with another pod, so the sample treats it like
 * {@code noop}: one pod, and the message to the client says how to share sessions.
 */
@Component
@ConditionalOnWorkspaceCacheMode({ Mode.NOOP, Mode.MEMORY })
public class LocalOnlySessions implements SessionRecovery {

	private static final Log logger = LogFactory.getLog(LocalOnlySessions.class);

	private final String mode;

	public LocalOnlySessions(Environment environment) {
		// Bound as the library binds it, so the message names the mode the cache was
		// built for.
		this.mode = Mode.of(environment).name().toLowerCase(Locale.ROOT);
		logger.info("Sessions are not shared between pods (workspace.cache.mode=" + this.mode
				+ "): a session unknown to this pod is answered with 404");
	}

	@Override
	public LiveSession recover(UUID sessionId) {
		throw new UnknownSessionException(sessionId,
				"Session " + sessionId + " is unknown on this pod. With " + "workspace.cache.mode=" + this.mode
						+ " each pod knows only the sessions it created; run every pod "
						+ "with workspace.cache.mode=valkey (Spring profile 'valkey') to share sessions across pods.");
	}

}
