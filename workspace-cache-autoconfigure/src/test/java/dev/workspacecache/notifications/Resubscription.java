package dev.workspacecache.notifications;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.workspacecache.WorkspaceChange;
import dev.workspacecache.notifications.RecordedChanges.Resynchronization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an instance's listener heard after its server was disrupted (restarted, failed
 * over): the subscription was lost, then restored, perhaps more than once, and after that
 * changes are heard again.
 */
final class Resubscription {

	/** A failover takes seconds; a topology refresh may follow it by up to ten more. */
	static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(60);

	private final NotifyingInstance watcher;

	private final List<Resynchronization> signals;

	private final long disruptedAt;

	private Resubscription(NotifyingInstance watcher, List<Resynchronization> signals, long disruptedAt) {
		this.watcher = watcher;
		this.signals = signals;
		this.disruptedAt = disruptedAt;
	}

	/**
	 * Wait until the instance heard its subscription lost and then restored, and check
	 * that the signals alternate: lost, restored, (lost, restored...).
	 * @param watcher the instance
	 * @param position how many signals it had heard before the disruption
	 * @param disruptedAt {@link System#nanoTime()} of the disruption
	 * @return what it heard
	 */
	static Resubscription awaitRestored(NotifyingInstance watcher, int position, long disruptedAt) {
		List<Resynchronization> signals = await("the subscription of " + watcher.id() + " lost and restored")
			.atMost(RESTORE_TIMEOUT)
			.until(() -> since(watcher, position),
					(heard) -> !heard.isEmpty() && heard.get(0).isLost() && heard.get(heard.size() - 1).isRestored());
		for (int i = 0; i < signals.size(); i++) {
			Resynchronization signal = signals.get(i);
			assertThat((i % 2 == 0) ? signal.isLost() : signal.isRestored())
				.as("signal #%d of %s, lost and restored in turn", i, signals)
				.isTrue();
		}
		return new Resubscription(watcher, signals, disruptedAt);
	}

	private static List<Resynchronization> since(NotifyingInstance watcher, int position) {
		List<Resynchronization> all = watcher.heard().resynchronizations();
		return all.subList(Math.min(position, all.size()), all.size());
	}

	/**
	 * Check that a write made after the restore is heard, and that the instance then
	 * reads the version it heard (no stale read).
	 * @param writer the instance that wrote
	 * @param id the workspace it wrote
	 * @param version the version its write reached
	 */
	void assertHeardAfterRestore(NotifyingInstance writer, UUID id, long version) {
		WorkspaceChange change = this.watcher.heard().await(id, version);
		assertThat(change.origin()).isEqualTo(writer.id());
		assertThat(change.local()).isEqualTo(writer == this.watcher);
		assertThat(this.watcher.cache().recover(id)).as("what %s reads after the restore", this.watcher.id())
			.hasValueSatisfying((workspace) -> assertThat(workspace.version()).isEqualTo(version));
		assertThat(since(this.watcher, 0)).as("signals once the change was heard")
			.last()
			.satisfies((last) -> assertThat(last.isRestored()).isTrue());
	}

	/**
	 * Describe the signals and their timing, for the test's output.
	 * @param what the disruption
	 * @return one line
	 */
	String describe(String what) {
		return String.format(Locale.ROOT, "%s: %s", what,
				this.signals.stream()
					.map((signal) -> String.format(Locale.ROOT, "'%s' after %d ms", signal.reason(),
							Duration.ofNanos(signal.nanoTime() - this.disruptedAt).toMillis()))
					.collect(Collectors.joining(", ")));
	}

}
