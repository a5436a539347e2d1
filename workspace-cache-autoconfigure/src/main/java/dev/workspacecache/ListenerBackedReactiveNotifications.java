package dev.workspacecache;

import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

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
		return Mono.defer(() -> this.notifications.isWatching(Objects.requireNonNull(id, "id must not be null"))
				? Mono.empty() : offReactorThreads(id, this.notifications::watch));
	}

	@Override
	public Mono<Void> unwatch(UUID id) {
		return offReactorThreads(id, this.notifications::unwatch);
	}

	private static Mono<Void> offReactorThreads(UUID id, Consumer<UUID> call) {
		// Validated at subscription, as the reactive cache validates its arguments.
		return Mono.defer(() -> {
			Objects.requireNonNull(id, "id must not be null");
			return Mono.<Void>fromRunnable(() -> call.accept(id)).subscribeOn(Schedulers.boundedElastic());
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
