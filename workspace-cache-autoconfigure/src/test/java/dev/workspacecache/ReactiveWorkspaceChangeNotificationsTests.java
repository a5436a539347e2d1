package dev.workspacecache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;

import dev.workspacecache.WorkspaceChange.Kind;
import dev.workspacecache.memory.InMemoryWorkspaceCache;
import dev.workspacecache.memory.InProcessWorkspaceChangeNotifications;

import static dev.workspacecache.WorkspaceFixtures.added;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ReactiveWorkspaceChangeNotifications#of}, over the {@code memory}
 * mode's notifications.
 */
class ReactiveWorkspaceChangeNotificationsTests {

	private final InMemoryWorkspaceCache cache = new InMemoryWorkspaceCache(Duration.ofHours(1), 1024);

	private final RecordingNotifications blocking = new RecordingNotifications();

	private final ReactiveWorkspaceChangeNotifications notifications = ReactiveWorkspaceChangeNotifications
		.of(this.blocking);

	private final UUID id = UUID.randomUUID();

	private final List<Disposable> subscriptions = new ArrayList<>();

	@BeforeEach
	void announce() {
		this.cache.setChangeNotifications(this.blocking.delegate);
	}

	@AfterEach
	void close() {
		this.subscriptions.forEach(Disposable::dispose);
		this.blocking.delegate.close();
	}

	@Test
	void changesOfWatchedWorkspacesArriveOnTheFluxInVersionOrder() throws Exception {
		BlockingQueue<WorkspaceChange> changes = subscribe();
		this.notifications.watch(this.id).block(Duration.ofSeconds(5));
		assertThat(this.notifications.isWatching(this.id)).isTrue();
		this.cache.cacheFile(UUID.randomUUID(), "not-watched.txt", added("x"));
		this.cache.cacheFile(this.id, "a.txt", added("a"));
		this.cache.evict(this.id);
		WorkspaceChange first = changes.poll(5, TimeUnit.SECONDS);
		assertThat(first).isNotNull();
		assertThat(first.workspaceId()).isEqualTo(this.id);
		assertThat(first.kind()).isEqualTo(Kind.FILES);
		assertThat(first.paths()).containsExactly("a.txt");
		assertThat(first.version()).isEqualTo(1);
		WorkspaceChange second = changes.poll(5, TimeUnit.SECONDS);
		assertThat(second).isNotNull();
		assertThat(second.kind()).isEqualTo(Kind.EVICTED);
		assertThat(second.version()).isEqualTo(2);
		assertThat(changes.poll(100, TimeUnit.MILLISECONDS)).isNull();
	}

	@Test
	void watchAndUnwatchRunOffTheSubscribingThreadAndCompleteOnceDone() {
		this.notifications.watch(this.id).block(Duration.ofSeconds(5));
		assertThat(this.blocking.watchedOn).isNotNull().startsWith("boundedElastic");
		assertThat(this.blocking.isWatching(this.id)).isTrue();
		this.notifications.unwatch(this.id).block(Duration.ofSeconds(5));
		assertThat(this.blocking.isWatching(this.id)).isFalse();
	}

	@Test
	void watchingAWatchedWorkspaceCompletesOnTheSubscribingThread() {
		this.notifications.watch(this.id).block(Duration.ofSeconds(5));
		this.blocking.watchedOn = null;
		assertThat(this.notifications.watch(this.id).toFuture()).as("completed during subscription").isDone();
		assertThat(this.blocking.watchedOn).as("the blocking watch was called again").isNull();
	}

	@Test
	void watchingIsLazyAndANullIdIsAnErrorSignal() {
		Mono<Void> watch = this.notifications.watch(this.id);
		assertThat(this.blocking.isWatching(this.id)).as("watched before subscription").isFalse();
		assertThatNullPointerException().isThrownBy(() -> this.notifications.watch(null).block())
			.withMessage("id must not be null");
		watch.block(Duration.ofSeconds(5));
		assertThat(this.blocking.isWatching(this.id)).isTrue();
	}

	@Test
	void aCancelledSubscriberStopsListeningAndTheOthersGoOn() throws Exception {
		BlockingQueue<WorkspaceChange> cancelled = subscribe();
		BlockingQueue<WorkspaceChange> kept = subscribe();
		this.notifications.watch(this.id).block(Duration.ofSeconds(5));
		this.subscriptions.get(0).dispose();
		this.cache.cacheFile(this.id, "a.txt", added("a"));
		assertThat(kept.poll(5, TimeUnit.SECONDS)).isNotNull();
		assertThat(cancelled).isEmpty();
		assertThat(this.blocking.listeners).as("listeners left").isEqualTo(1);
	}

	@Test
	void aSubscriberThatRequestsOneAtATimeGetsEveryChangeInOrder() {
		List<Long> versions = new ArrayList<>();
		BaseSubscriber<WorkspaceChange> slow = new BaseSubscriber<>() {

			@Override
			protected void hookOnSubscribe(Subscription subscription) {
				request(1);
			}

			@Override
			protected void hookOnNext(WorkspaceChange change) {
				synchronized (versions) {
					versions.add(change.version());
				}
				request(1);
			}

		};
		this.notifications.changes().subscribe(slow);
		this.subscriptions.add(slow);
		this.notifications.watch(this.id).block(Duration.ofSeconds(5));
		for (int i = 0; i < 100; i++) {
			this.cache.cacheFile(this.id, "f" + i + ".txt", added("x"));
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			synchronized (versions) {
				assertThat(versions).hasSize(100).isSorted().startsWith(1L).endsWith(100L);
			}
		});
	}

	@Test
	void resynchronizeSignalsArriveOnTheirOwnFlux() throws Exception {
		BlockingQueue<String> reasons = new LinkedBlockingQueue<>();
		this.subscriptions.add(this.notifications.resynchronizations().subscribe(reasons::add));
		this.blocking.delegate.lose("subscription lost: test");
		assertThat(reasons.poll(5, TimeUnit.SECONDS)).isEqualTo("subscription lost: test");
	}

	@Test
	void theInstanceIdAndAnnouncedVersionsAreTheBlockingNotifications() {
		assertThat(this.notifications.getInstanceId()).isEqualTo("pod-a");
		assertThat(this.notifications.getAnnouncedVersion(this.id)).isZero();
	}

	private BlockingQueue<WorkspaceChange> subscribe() {
		BlockingQueue<WorkspaceChange> changes = new LinkedBlockingQueue<>();
		this.subscriptions.add(this.notifications.changes().subscribe(changes::add));
		return changes;
	}

	/**
	 * The {@code memory} mode's notifications, recording the thread {@code watch} runs on
	 * and counting listeners.
	 */
	static final class RecordingNotifications implements WorkspaceChangeNotifications {

		private final LosableNotifications delegate = new LosableNotifications();

		private volatile @Nullable String watchedOn;

		private volatile int listeners;

		@Override
		public String getInstanceId() {
			return this.delegate.getInstanceId();
		}

		@Override
		public void watch(UUID id) {
			this.watchedOn = Thread.currentThread().getName();
			this.delegate.watch(id);
		}

		@Override
		public void unwatch(UUID id) {
			this.delegate.unwatch(id);
		}

		@Override
		public boolean isWatching(UUID id) {
			return this.delegate.isWatching(id);
		}

		@Override
		public long getAnnouncedVersion(UUID id) {
			return this.delegate.getAnnouncedVersion(id);
		}

		@Override
		public synchronized void addListener(WorkspaceChangeListener listener) {
			this.delegate.addListener(listener);
			this.listeners++;
		}

		@Override
		public synchronized void removeListener(WorkspaceChangeListener listener) {
			this.delegate.removeListener(listener);
			this.listeners--;
		}

	}

	/**
	 * In-process notifications that can be told their subscriptions were lost.
	 */
	static final class LosableNotifications extends InProcessWorkspaceChangeNotifications {

		LosableNotifications() {
			super("pod-a");
		}

		void lose(String reason) {
			resynchronize(reason);
		}

	}

}
