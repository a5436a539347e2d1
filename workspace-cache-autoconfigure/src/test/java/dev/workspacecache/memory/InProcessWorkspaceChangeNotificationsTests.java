package dev.workspacecache.memory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.workspacecache.WorkspaceChange;
import dev.workspacecache.WorkspaceChange.Kind;
import dev.workspacecache.WorkspaceChangeListener;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.WorkspaceWrite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static dev.workspacecache.WorkspaceFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link InProcessWorkspaceChangeNotifications} fed by an
 * {@link InMemoryWorkspaceCache}: what the {@code memory} mode delivers, and the delivery
 * rules of every mode ({@link dev.workspacecache.AbstractWorkspaceChangeNotifications}).
 */
class InProcessWorkspaceChangeNotificationsTests {

	private final InMemoryWorkspaceCache cache = new InMemoryWorkspaceCache(Duration.ofHours(1), 1024);

	private final InProcessWorkspaceChangeNotifications notifications = new InProcessWorkspaceChangeNotifications(
			"pod-a");

	private final BlockingQueue<WorkspaceChange> changes = new LinkedBlockingQueue<>();

	private final BlockingQueue<String> threads = new LinkedBlockingQueue<>();

	private final UUID id = UUID.randomUUID();

	@BeforeEach
	void listen() {
		this.cache.setChangeNotifications(this.notifications);
		this.notifications.addListener((change) -> {
			this.threads.add(Thread.currentThread().getName());
			this.changes.add(change);
		});
	}

	@AfterEach
	void close() {
		this.notifications.close();
	}

	@Test
	void everyChangeOfAWatchedWorkspaceIsDeliveredWithItsKindPathsVersionAndOrigin() throws Exception {
		this.notifications.watch(this.id);
		this.cache.cacheAll(this.id, WorkspaceFixtures.wholeWorkspace(this.id, "one"));
		this.cache.cacheWorkspace(this.id, snapshot(this.id, "two"));
		this.cache.cacheFile(this.id, "a.txt", added("a"));
		this.cache.cacheFiles(this.id, Map.of("b.txt", added("b")));
		this.cache.cacheGraph(this.id, utf8("graph"));
		this.cache.touch(this.id);
		this.cache.writeIfVersion(this.id, 1, WorkspaceWrite.graph(utf8("refused: stale")));
		this.cache.writeIfVersion(this.id, 5, WorkspaceWrite.file("c.txt", added("c")));
		this.cache.evict(this.id);
		assertThat(next()).isEqualTo(change(Kind.WORKSPACE, List.of(), 1));
		assertThat(next()).isEqualTo(change(Kind.SNAPSHOT, List.of(), 2));
		assertThat(next()).isEqualTo(change(Kind.FILES, List.of("a.txt"), 3));
		assertThat(next()).isEqualTo(change(Kind.FILES, List.of("b.txt"), 4));
		assertThat(next()).isEqualTo(change(Kind.GRAPH, List.of(), 5));
		assertThat(next()).as("the touch and the refused write announce nothing")
			.isEqualTo(change(Kind.FILES, List.of("c.txt"), 6));
		assertThat(next()).isEqualTo(change(Kind.EVICTED, List.of(), 7));
		assertThat(this.changes.poll(100, TimeUnit.MILLISECONDS)).isNull();
		assertThat(this.threads).allSatisfy((thread) -> assertThat(thread).startsWith("workspace-cache-changes-"));
	}

	@Test
	void onlyWatchedWorkspacesAreDelivered() throws Exception {
		UUID other = UUID.randomUUID();
		this.notifications.watch(this.id);
		this.cache.cacheFile(other, "not-watched.txt", added("x"));
		this.cache.cacheFile(this.id, "watched.txt", added("x"));
		assertThat(next().workspaceId()).isEqualTo(this.id);
		this.notifications.unwatch(this.id);
		assertThat(this.notifications.isWatching(this.id)).isFalse();
		this.cache.cacheFile(this.id, "after-unwatch.txt", added("x"));
		assertThat(this.changes.poll(200, TimeUnit.MILLISECONDS)).isNull();
	}

	@Test
	void aFailingListenerDoesNotStopDeliveryToTheOthers() throws Exception {
		WorkspaceChangeListener failing = (change) -> {
			throw new IllegalStateException("listener bug");
		};
		InProcessWorkspaceChangeNotifications ordered = new InProcessWorkspaceChangeNotifications("pod-b");
		try {
			BlockingQueue<Long> versions = new LinkedBlockingQueue<>();
			ordered.addListener(failing);
			ordered.addListener((change) -> versions.add(change.version()));
			ordered.watch(this.id);
			this.cache.setChangeNotifications(ordered);
			this.cache.cacheFile(this.id, "one.txt", added("1"));
			this.cache.cacheFile(this.id, "two.txt", added("2"));
			assertThat(versions.poll(5, TimeUnit.SECONDS)).isEqualTo(1);
			assertThat(versions.poll(5, TimeUnit.SECONDS)).isEqualTo(2);
		}
		finally {
			ordered.close();
		}
	}

	@Test
	void aBlankInstanceIdIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new InProcessWorkspaceChangeNotifications(" "))
			.withMessageContaining("instanceId");
	}

	private WorkspaceChange next() throws InterruptedException {
		WorkspaceChange change = this.changes.poll(5, TimeUnit.SECONDS);
		assertThat(change).as("a change within 5 s").isNotNull();
		return change;
	}

	private WorkspaceChange change(Kind kind, List<String> paths, long version) {
		return new WorkspaceChange(this.id, kind, paths, version, "pod-a", true);
	}

}
