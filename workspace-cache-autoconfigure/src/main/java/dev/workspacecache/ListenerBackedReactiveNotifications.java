package dev.workspacecache;

import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@link ReactiveWorkspaceChangeNotifications} over blocking
 * {@link WorkspaceChangeNotifications}: each subscriber to a flux is a listener of its
 * own, added on subscription and removed on cancel.
 * <p>
 * {@code watch} (of a workspace not watched yet) and {@code unwatch} run on Reactor's
 * bounded elastic scheduler: in {@code valkey} mode they wait for the server to confirm
 * the (un)subscription, which must not hold a Reactor thread.
 */
final class ListenerBackedReactiveNotifications implements ReactiveWorkspaceChangeNotifications {

	private final WorkspaceChangeNotifications notifications;

	ListenerBackedReactiveNotifications(WorkspaceChangeNotifications notifications) {
		this.notifications = notifications;
	}

	@Override
	public String getInstanceId() {
		return this.notifications.getInstanceId();
	}

	@Override
	public Mono<Void> watch(UUID id) {
		// A watched workspace needs no hop to another thread: most reads watch a
		// workspace that already is.
		return offReactorThreads(id, this.notifications::isWatching, this.notifications::watch);
	}

	@Override
	public Mono<Void> unwatch(UUID id) {
		return offReactorThreads(id, (unused) -> false, this.notifications::unwatch);
	}

	/**
	 * Make a call on the bounded elastic scheduler, at subscription, unless it has
	 * nothing to do.
	 * @param id the workspace id, validated at subscription as the reactive cache
	 * validates its arguments
	 * @param done whether the call would have nothing to do; tested on the subscribing
	 * thread, so it must not block
	 * @param call the blocking call
	 * @return a {@code Mono} that completes once the call has returned
	 */
	private static Mono<Void> offReactorThreads(UUID id, Predicate<UUID> done, Consumer<UUID> call) {
		return Mono.defer(() -> {
			Objects.requireNonNull(id, "id must not be null");
			return done.test(id) ? Mono.empty()
					: Mono.<Void>fromRunnable(() -> call.accept(id)).subscribeOn(Schedulers.boundedElastic());
		});
	}

	@Override
	public boolean isWatching(UUID id) {
		return this.notifications.isWatching(id);
	}

	@Override
	public long getAnnouncedVersion(UUID id) {
		return this.notifications.getAnnouncedVersion(id);
	}

	@Override
	public Flux<WorkspaceChange> changes() {
		return listened((sink) -> new WorkspaceChangeListener() {

			@Override
			public void onWorkspaceChange(WorkspaceChange change) {
				sink.next(change);
			}

		});
	}

	@Override
	public Flux<String> resynchronizations() {
		return listened((sink) -> new WorkspaceChangeListener() {

			@Override
			public void onWorkspaceChange(WorkspaceChange change) {
			}

			@Override
			public void onResynchronize(String reason) {
				sink.next(reason);
			}

		});
	}

	// A listener per subscriber; BUFFER so that a subscriber that requests less than
	// arrives loses nothing (notifications are small, and a slow subscriber is its
	// own to bound).
	private <T> Flux<T> listened(Function<FluxSink<T>, WorkspaceChangeListener> listenerFor) {
		return Flux.create((sink) -> {
			WorkspaceChangeListener listener = listenerFor.apply(sink);
			this.notifications.addListener(listener);
			sink.onDispose(() -> this.notifications.removeListener(listener));
		}, FluxSink.OverflowStrategy.BUFFER);
	}

	@Override
	public String toString() {
		return "ReactiveWorkspaceChangeNotifications[" + this.notifications + "]";
	}

}
