package dev.workspacecache.sample.session;

import dev.workspacecache.WorkspaceChange;
import dev.workspacecache.WorkspaceChangeListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.log.LogMessage;
import org.springframework.stereotype.Component;

/**
 * Keeps this pod's copies of sessions ({@link LiveSessions}) coherent with the changes
 * other pods make, as the cache's change notifications announce them (registered with
 * them by the starter, as every {@link WorkspaceChangeListener} bean is):
 * <ul>
 * <li>another pod's change, at a version newer than the copy's, marks the copy: the next
 * access revalidates it against the cache before serving it;</li>
 * <li>an evict drops the copy at once: requests answer 404 from then on;</li>
 * <li>a resynchronize signal (a disconnect, a server restart, a failover: changes may
 * have been missed) marks every copy: each is revalidated at its next access.</li>
 * </ul>
 * It only marks copies, never calls the cache or waits for a session's change: it runs on
 * the notifications' single delivery thread, where a slow listener would delay every
 * later notification.
 */
@Component
class SessionChangeListener implements WorkspaceChangeListener {

	private static final Log logger = LogFactory.getLog(SessionChangeListener.class);

	private final LiveSessions sessions;

	SessionChangeListener(LiveSessions sessions) {
		this.sessions = sessions;
	}

	@Override
	public void onWorkspaceChange(WorkspaceChange change) {
		if (change.local()) {
			// This pod's own change: its copy took it when the write returned.
			return;
		}
		if (change.kind() == WorkspaceChange.Kind.EVICTED) {
			LiveSession dropped = this.sessions.evictedElsewhere(change.workspaceId());
			if (dropped != null) {
				logger.info(LogMessage.format("Session %s was deleted on another pod; dropped this pod's copy",
						dropped.id()));
			}
			return;
		}
		this.sessions.changedElsewhere(change.workspaceId(), change.version());
	}

	@Override
	public void onResynchronize(String reason) {
		int held = this.sessions.resynchronize();
		logger.info(LogMessage
			.format("Resynchronizing with the workspace cache (%s): the %d sessions this pod holds are revalidated at "
					+ "their next access", reason, held));
	}

}
