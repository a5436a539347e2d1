package dev.workspacecache.notifications;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.workspacecache.WorkspaceChange;
import dev.workspacecache.WorkspaceChangeListener;
import org.awaitility.Awaitility;

/**
 * A listener that keeps everything it hears, with the thread it heard it on, for tests to
 * await and inspect.
 */
final class RecordedChanges implements WorkspaceChangeListener {

	/** How long a change may take to arrive before a test gives up on it. */
	static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(10);

	private final List<Delivery> changes = new CopyOnWriteArrayList<>();

	private final List<Resynchronization> resynchronizations = new CopyOnWriteArrayList<>();

	@Override
	public void onWorkspaceChange(WorkspaceChange change) {
		this.changes.add(new Delivery(change, Thread.currentThread().getName(), System.nanoTime()));
	}

	@Override
	public void onResynchronize(String reason) {
		this.resynchronizations.add(new Resynchronization(reason, System.nanoTime()));
	}

	/**
	 * Return every change heard so far, in the order heard.
	 */
	List<Delivery> deliveries() {
		return List.copyOf(this.changes);
	}

	/**
	 * Return the changes of one workspace heard so far, in the order heard.
	 */
	List<WorkspaceChange> of(UUID workspace) {
		List<WorkspaceChange> of = new ArrayList<>();
		for (Delivery delivery : this.changes) {
			if (delivery.change().workspaceId().equals(workspace)) {
				of.add(delivery.change());
			}
		}
		return of;
	}

	/**
	 * Wait for the change of a workspace that reached a version.
	 * @return that change
	 */
	WorkspaceChange await(UUID workspace, long version) {
		return Awaitility.await()
			.atMost(DELIVERY_TIMEOUT)
			.until(() -> of(workspace).stream().filter((change) -> change.version() == version).findFirst(),
					Optional::isPresent)
			.orElseThrow();
	}

	/**
	 * Wait for a workspace's last heard change to be the one that reached a version, and
	 * return it: nothing else may have arrived after it.
	 */
	WorkspaceChange awaitLast(UUID workspace, long version) {
		await(workspace, version);
		List<WorkspaceChange> of = of(workspace);
		return of.get(of.size() - 1);
	}

	/**
	 * Return every resynchronize signal heard so far, in the order heard.
	 */
	List<Resynchronization> resynchronizations() {
		return List.copyOf(this.resynchronizations);
	}

	/**
	 * Return the resynchronize signals heard since a position in
	 * {@link #resynchronizations()}.
	 */
	List<String> reasonsSince(int position) {
		List<Resynchronization> all = resynchronizations();
		return all.subList(Math.min(position, all.size()), all.size()).stream().map(Resynchronization::reason).toList();
	}

	/**
	 * A change as heard: on which thread, and when ({@link System#nanoTime()}).
	 */
	record Delivery(WorkspaceChange change, String thread, long nanoTime) {
	}

	/**
	 * A resynchronize signal as heard, and when ({@link System#nanoTime()}).
	 */
	record Resynchronization(String reason, long nanoTime) {

		boolean isLost() {
			return this.reason.startsWith("subscription lost");
		}

		boolean isRestored() {
			return this.reason.equals("subscription restored");
		}

	}

}
