package dev.workspacecache;

/**
 * Hears the changes to the workspaces an instance
 * {@link WorkspaceChangeNotifications#watch(java.util.UUID) watches}. Listeners run on
 * the notifications' own thread, one at a time and in the order changes arrived, never on
 * a Redis I/O thread: a listener may call the cache, but a slow listener delays the ones
 * after it. An exception thrown by a listener is logged and does not stop delivery.
 * <p>
 * Spring beans of this type are registered automatically; the same changes are also
 * published as {@link WorkspaceChangedEvent} and
 * {@link WorkspaceCacheResynchronizeEvent}.
 */
@FunctionalInterface
public interface WorkspaceChangeListener {

	/**
	 * Called for each change of a watched workspace, this instance's own included
	 * ({@link WorkspaceChange#local()}).
	 * @param change the change
	 */
	void onWorkspaceChange(WorkspaceChange change);

	/**
	 * Called when changes may have been missed: the subscription was lost (a disconnect,
	 * a server restart, a failover) or has just been restored. Everything the instance
	 * holds may be stale: revalidate it (its {@link CachedWorkspace#version() version}
	 * against the cache's) before serving it again.
	 * @param reason what happened, for logs
	 */
	default void onResynchronize(String reason) {
	}

}
