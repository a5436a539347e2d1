package dev.workspacecache;

import java.util.Objects;
import java.util.UUID;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link WorkspaceChangeNotifications} for reactive applications: the same notifications,
 * the same instance and the same watched workspaces, with changes and resynchronize
 * signals as {@link Flux fluxes} and {@link #watch(UUID)} as a {@link Mono} that never
 * blocks its subscriber's thread.
 * <p>
 * Watch a workspace before reading it from the cache, as with the blocking API: the
 * {@link Mono} of {@link #watch(UUID)} completes once the subscription is live (or once a
 * resynchronize signal is certain to follow it), so
 * {@code notifications.watch(id).then(cache.recover(id))} cannot miss a change made
 * between the two.
 * <p>
 * {@link #changes()} and {@link #resynchronizations()} are hot: a subscriber receives
 * what is delivered while it is subscribed, on the notifications' delivery thread, in the
 * order the notifications deliver it (changes of one workspace in version order). Each
 * subscriber is a listener of its own, whose signals are buffered when it requests less
 * than arrives, and removed when it cancels.
 */
public interface ReactiveWorkspaceChangeNotifications {

	/**
	 * Return the id that marks this instance's changes as theirs
	 * ({@link WorkspaceChange#origin()}).
	 * @return the instance id
	 */
	String getInstanceId();

	/**
	 * Start hearing about changes to a workspace, as
	 * {@link WorkspaceChangeNotifications#watch(UUID)} does. A watched workspace
	 * completes at once, on the subscriber's thread: call it before every read.
	 * @param id the workspace id
	 * @return a {@link Mono} that completes once the subscription is live
	 */
	Mono<Void> watch(UUID id);

	/**
	 * Stop hearing about changes to a workspace, as
	 * {@link WorkspaceChangeNotifications#unwatch(UUID)} does.
	 * @param id the workspace id
	 * @return a {@link Mono} that completes once the workspace is no longer watched
	 */
	Mono<Void> unwatch(UUID id);

	/**
	 * Return whether this instance watches a workspace.
	 * @param id the workspace id
	 * @return {@code true} while watched
	 */
	boolean isWatching(UUID id);

	/**
	 * Return the newest version another instance announced for a watched workspace, as
	 * {@link WorkspaceChangeNotifications#getAnnouncedVersion(UUID)} does: a map lookup,
	 * cheap enough for every read.
	 * @param id the workspace id
	 * @return the newest version another instance announced, {@code 0} when none did
	 */
	long getAnnouncedVersion(UUID id);

	/**
	 * Return the changes to the watched workspaces, from subscription on.
	 * @return a hot flux of changes that never completes while the notifications are open
	 */
	Flux<WorkspaceChange> changes();

	/**
	 * Return the signals that changes may have been missed, from subscription on, as
	 * {@link WorkspaceChangeListener#onResynchronize(String)} receives them: revalidate
	 * every copy held.
	 * @return a hot flux of the reasons
	 */
	Flux<String> resynchronizations();

	/**
	 * Return reactive notifications over blocking ones: both see the same watched
	 * workspaces and the same changes.
	 * @param notifications the notifications
	 * @return the reactive notifications
	 */
	static ReactiveWorkspaceChangeNotifications of(WorkspaceChangeNotifications notifications) {
		return new ListenerBackedReactiveNotifications(
				Objects.requireNonNull(notifications, "notifications must not be null"));
	}

}
