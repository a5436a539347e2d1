package dev.workspacecache;

import org.springframework.context.ApplicationEvent;

/**
 * Published in the application context when change notifications may have been missed:
 * every workspace this instance holds may be stale
 * ({@link WorkspaceChangeListener#onResynchronize(String)}).
 */
public class WorkspaceCacheResynchronizeEvent extends ApplicationEvent {

	private final String reason;

	/**
	 * Create an event.
	 * @param source the notifications that lost or restored their subscription
	 * @param reason what happened, for logs
	 */
	public WorkspaceCacheResynchronizeEvent(WorkspaceChangeNotifications source, String reason) {
		super(source);
		this.reason = reason;
	}

	/**
	 * Return what happened.
	 * @return the reason, for logs
	 */
	public String getReason() {
		return this.reason;
	}

}
