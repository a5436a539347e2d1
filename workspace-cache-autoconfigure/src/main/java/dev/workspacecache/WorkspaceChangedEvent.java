package dev.workspacecache;

import org.springframework.context.ApplicationEvent;

/**
 * Published in the application context for every change of a watched workspace, on the
 * notifications' own thread ({@link WorkspaceChangeListener}).
 */
public class WorkspaceChangedEvent extends ApplicationEvent {

	private final WorkspaceChange change;

	/**
	 * Create an event.
	 * @param source the notifications that received the change
	 * @param change the change
	 */
	public WorkspaceChangedEvent(WorkspaceChangeNotifications source, WorkspaceChange change) {
		super(source);
		this.change = change;
	}

	/**
	 * Return the change.
	 * @return the change
	 */
	public WorkspaceChange getChange() {
		return this.change;
	}

	/**
	 * Return whether this instance made the change.
	 * @return {@code true} for this instance's own change
	 */
	public boolean isLocal() {
		return this.change.local();
	}

}
