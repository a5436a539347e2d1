package dev.workspacecache;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for what {@link AbstractWorkspaceChangeNotifications} records as changes arrive,
 * before its listeners hear of them, and for concurrent watches.
 */
class AbstractWorkspaceChangeNotificationsTests {

	@Test
	void theNewestVersionAnotherInstanceAnnouncedIsKnownBeforeTheListenersHearOfIt() throws Exception {
		UUID id = UUID.randomUUID();
		CountDownLatch blocked = new CountDownLatch(1);
		try (Transport notifications = new Transport("pod-a")) {
			// A listener that is behind: the delivery thread waits on it.
			notifications.addListener((change) -> await(blocked));
			assertThat(notifications.getAnnouncedVersion(id)).isZero();
			notifications.arrive(id, 3, "pod-b");
			assertThat(notifications.getAnnouncedVersion(id)).as("not watched").isZero();
			notifications.watch(id);
			notifications.arrive(id, 3, "pod-b");
			notifications.arrive(id, 5, "pod-b");
			notifications.arrive(id, 4, "pod-c");
			notifications.arrive(id, 9, "pod-a");
			assertThat(notifications.getAnnouncedVersion(id)).as("the newest, this pod's own left out").isEqualTo(5);
			notifications.unwatch(id);
			assertThat(notifications.getAnnouncedVersion(id)).as("forgotten with the workspace").isZero();
			blocked.countDown();
		}
	}

	@Test
	void aWatchOfAWorkspaceAnotherThreadIsSubscribingToReturnsOnceThatSubscriptionIsLive() throws Exception {
		UUID id = UUID.randomUUID();
		CountDownLatch subscribing = new CountDownLatch(1);
		CountDownLatch live = new CountDownLatch(1);
		try (Transport notifications = new Transport("pod-a", () -> {
			subscribing.countDown();
			await(live);
		})) {
			CompletableFuture<Void> first = CompletableFuture.runAsync(() -> notifications.watch(id));
			assertThat(subscribing.await(10, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<Void> second = CompletableFuture.runAsync(() -> notifications.watch(id));
			assertThat(notifications.isWatching(id)).as("watched before the subscription is live").isFalse();
			notifications.arrive(id, 2, "pod-b");
			assertThat(notifications.getAnnouncedVersion(id)).as("heard while subscribing").isEqualTo(2);
			assertThatExceptionOfType(TimeoutException.class)
				.as("the second watch returned before the subscription was live")
				.isThrownBy(() -> second.get(200, TimeUnit.MILLISECONDS));
			live.countDown();
			first.get(10, TimeUnit.SECONDS);
			second.get(10, TimeUnit.SECONDS);
			assertThat(notifications.isWatching(id)).isTrue();
			assertThat(notifications.subscriptions).as("subscribed once").hasValue(1);
		}
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A transport driven by the test.
	 */
	private static final class Transport extends AbstractWorkspaceChangeNotifications {

		private final Runnable subscription;

		private final AtomicInteger subscriptions = new AtomicInteger();

		Transport(String instanceId) {
			this(instanceId, () -> {
			});
		}

		Transport(String instanceId, Runnable subscription) {
			super(instanceId);
			this.subscription = subscription;
		}

		void arrive(UUID id, long version, String origin) {
			received(id, WorkspaceChange.Kind.FILES, List.of("a.txt"), version, origin);
		}

		@Override
		protected void doWatch(UUID id) {
			this.subscriptions.incrementAndGet();
			this.subscription.run();
		}

		@Override
		protected void doUnwatch(UUID id) {
		}

	}

}
