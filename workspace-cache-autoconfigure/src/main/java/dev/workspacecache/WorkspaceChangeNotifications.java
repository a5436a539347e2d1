package dev.workspacecache;

import java.util.UUID;

/**
 * Tells an instance about changes that any instance sharing its cache (the same server
 * and key prefix) makes to the workspaces it watches: every write, {@code cacheAll} and
 * {@code evict} is announced to the {@link WorkspaceChangeListener listeners} of every
 * instance that watches the workspace, with the version it reached and the instance that
 * made it ({@link WorkspaceChange}).
 * <p>
 * An instance watches the workspaces it holds, and only hears about those: in
 * {@code valkey} mode each workspace has its own sharded Pub/Sub channel, so a change
 * reaches only the instances that hold the workspace, on the one server node that owns
 * it. Watch a workspace <em>before</em> reading it from the cache, so that no change can
 * fall between the read and the subscription: {@link #watch(UUID)} returns once the
 * subscription is live, or, when the server cannot be reached, once it has arranged for a
 * {@link WorkspaceChangeListener#onResynchronize(String) resynchronize} signal after it
 * is.
 * <p>
 * Notifications are fire-and-forget. When they may have been lost (a disconnect, a
 * restart, a failover), listeners are told to resynchronize.
 */
public interface WorkspaceChangeNotifications {

	/**
	 * Return the id that marks this instance's changes as theirs
	 * ({@link WorkspaceChange#origin()}).
	 * @return the instance id
	 */
	String getInstanceId();

	/**
	 * Start hearing about changes to a workspace. Watching a watched workspace does
	 * nothing. Returns once the subscription is live (or once a resynchronize signal is
	 * certain to follow it), also when another thread started watching the workspace
	 * first: a read that follows cannot miss a change.
	 * @param id the workspace id
	 */
	void watch(UUID id);

	/**
	 * Stop hearing about changes to a workspace, for example when the instance drops its
	 * copy. Unwatching a workspace that is not watched does nothing.
	 * @param id the workspace id
	 */
	void unwatch(UUID id);

	/**
	 * Return whether this instance watches a workspace: whether a {@link #watch(UUID)} of
	 * it has returned, and no {@link #unwatch(UUID)} followed.
	 * @param id the workspace id
	 * @return {@code true} while watched
	 */
	boolean isWatching(UUID id);

	/**
	 * Return the newest version another instance announced for a watched workspace,
	 * recorded as soon as the notification arrives, before any listener runs. This
	 * instance's own changes are left out: its copy took them when its write returned. A
	 * pod that keeps a copy at version {@code v} can check
	 * {@code getAnnouncedVersion(id) > v} on every read, at the cost of a map lookup, and
	 * so never waits for its listeners to catch up before it stops serving a copy another
	 * instance has changed.
	 * @param id the workspace id
	 * @return the newest version another instance announced, {@code 0} when none did
	 * since the workspace was watched
	 */
	default long getAnnouncedVersion(UUID id) {
		return 0;
	}

	/**
	 * Add a listener.
	 * @param listener the listener
	 */
	void addListener(WorkspaceChangeListener listener);

	/**
	 * Remove a listener.
	 * @param listener the listener
	 */
	void removeListener(WorkspaceChangeListener listener);

}
