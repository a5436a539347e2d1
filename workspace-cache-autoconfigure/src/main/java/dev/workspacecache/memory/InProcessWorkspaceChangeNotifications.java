package dev.workspacecache.memory;

import java.util.List;
import java.util.UUID;

import dev.workspacecache.AbstractWorkspaceChangeNotifications;
import dev.workspacecache.WorkspaceChange;
import dev.workspacecache.WorkspaceChangeNotifications;

/**
 * {@link WorkspaceChangeNotifications} delivered within this JVM: what the
 * {@link InMemoryWorkspaceCache} it is
 * {@link InMemoryWorkspaceCache#setChangeNotifications given to} changes, announced from
 * inside the change, so that a change is announced if and only if it happened. Nothing to
 * subscribe to, and nothing is ever missed, so there is never a resynchronize signal.
 * With no cache announcing to it (the {@code noop} mode), it never notifies.
 */
public class InProcessWorkspaceChangeNotifications extends AbstractWorkspaceChangeNotifications {

	/**
	 * Create notifications for an instance.
	 * @param instanceId the id that marks this instance's changes, not empty
	 */
	public InProcessWorkspaceChangeNotifications(String instanceId) {
		super(instanceId);
	}

	void announce(UUID workspaceId, WorkspaceChange.Kind kind, List<String> paths, long version) {
		received(workspaceId, kind, paths, version, getInstanceId());
	}

	@Override
	protected void doWatch(UUID id) {
		// Every change happens in this JVM, so there is nothing to subscribe to.
	}

	@Override
	protected void doUnwatch(UUID id) {
	}

	@Override
	public String toString() {
		return "InProcessWorkspaceChangeNotifications[instanceId=" + getInstanceId() + "]";
	}

}
