package dev.workspacecache;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A change to a workspace, as another instance (or this one) made it and as
 * {@link WorkspaceChangeNotifications} deliver it: which workspace, what changed, the
 * version the workspace reached with the change, and which instance made it.
 * <p>
 * Notifications are fire-and-forget: a listener that was disconnected may have missed
 * some, which is why it then gets {@link WorkspaceChangeListener#onResynchronize(String)
 * onResynchronize}.
 *
 * @param workspaceId the workspace that changed
 * @param kind what changed
 * @param paths the paths of the files that changed, in the order they were written, for
 * {@link Kind#FILES}; empty for every other kind
 * @param version the version the workspace reached with this change (see
 * {@link WorkspaceCache#writeIfVersion})
 * @param origin the {@link WorkspaceChangeNotifications#getInstanceId() instance id} of
 * the instance that made the change
 * @param local whether the instance that received the change made it
 */
public record WorkspaceChange(UUID workspaceId, Kind kind, List<String> paths, long version, String origin,
		boolean local) {

	/**
	 * Create a change.
	 * @param workspaceId the workspace that changed
	 * @param kind what changed
	 * @param paths the paths of the files that changed (copied)
	 * @param version the version the workspace reached
	 * @param origin the instance that made the change
	 * @param local whether the receiving instance made it
	 */
	public WorkspaceChange {
		Objects.requireNonNull(workspaceId, "workspaceId must not be null");
		Objects.requireNonNull(kind, "kind must not be null");
		Objects.requireNonNull(origin, "origin must not be null");
		paths = List.copyOf(Objects.requireNonNull(paths, "paths must not be null"));
	}

	/**
	 * What a change changed.
	 */
	public enum Kind {

		/** The snapshot was replaced. */
		SNAPSHOT,

		/** Some files were written: {@link WorkspaceChange#paths()} says which. */
		FILES,

		/** The graph was replaced. */
		GRAPH,

		/** The whole workspace was replaced ({@code cacheAll}). */
		WORKSPACE,

		/** The workspace was evicted, for good. */
		EVICTED

	}

}
