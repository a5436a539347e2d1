package dev.workspacecache;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for what {@link AbstractWorkspaceChangeNotifications} records as changes arrive,
 * before its listeners hear of them.
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

		Transport(String instanceId) {
			super(instanceId);
		}

		void arrive(UUID id, long version, String origin) {
			received(id, WorkspaceChange.Kind.FILES, List.of("a.txt"), version, origin);
		}

		@Override
		protected void doWatch(UUID id) {
		}

		@Override
		protected void doUnwatch(UUID id) {
		}

	}

}
