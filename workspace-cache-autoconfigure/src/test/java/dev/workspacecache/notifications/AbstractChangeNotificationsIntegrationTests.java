package dev.workspacecache.notifications;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.ConditionalWriteResult;
import dev.workspacecache.WorkspaceChange;
import dev.workspacecache.WorkspaceChange.Kind;
import dev.workspacecache.WorkspaceWrite;
import dev.workspacecache.testsupport.RedisConnections;
import dev.workspacecache.testsupport.TestCluster;
import dev.workspacecache.valkey.ValkeyCache;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.deleted;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static dev.workspacecache.WorkspaceFixtures.utf8;
import static dev.workspacecache.WorkspaceFixtures.wholeWorkspace;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Change notifications between two instances of a service, A and B, each with its own
 * connection to the same server and the same key prefix, as two pods have: what every
 * kind of write announces, to whom, on which thread and in which order. A subclass says
 * which topology the server is, and adds what a restart or failover of it does.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AbstractChangeNotificationsIntegrationTests {

	/** The order of a test that breaks the topology: after every other test. */
	static final int LAST = Integer.MAX_VALUE;

	protected String prefix;

	protected NotifyingInstance a;

	protected NotifyingInstance b;

	/**
	 * Return a new started connection factory for the topology under test.
	 * @return the factory, which the caller destroys
	 */
	protected abstract LettuceConnectionFactory connectionFactory();

	/**
	 * Return workspace ids for a test that writes several: a subclass spreads them over
	 * the shards of its topology.
	 * @param count how many
	 * @return distinct ids
	 */
	protected List<UUID> workspaces(int count) {
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(UUID.randomUUID());
		}
		return ids;
	}

	@BeforeEach
	void startInstances() {
		this.prefix = RedisConnections.randomKeyPrefix();
		this.a = new NotifyingInstance(connectionFactory(), this.prefix, "pod-a-" + UUID.randomUUID());
		this.b = new NotifyingInstance(connectionFactory(), this.prefix, "pod-b-" + UUID.randomUUID());
	}

	@AfterEach
	void stopInstances() {
		if (this.a != null) {
			this.a.close();
		}
		if (this.b != null) {
			this.b.close();
		}
	}

	@Test
	void everyWriteReachesEveryWatcherWithItsKindPathsVersionOriginAndLocalFlag() {
		UUID id = workspaces(1).get(0);
		this.a.notifications().watch(id);
		this.b.notifications().watch(id);
		List<WorkspaceChange> announced = new ArrayList<>();
		ValkeyCache byA = this.a.cache();
		ValkeyCache byB = this.b.cache();

		announced.add(expectChange(id, this.b, Kind.SNAPSHOT, List.of(),
				() -> byB.cacheWorkspace(id, snapshot(id, "first"))));
		announced.add(expectChange(id, this.b, Kind.FILES, List.of("src/lib.rs"),
				() -> byB.cacheFile(id, "src/lib.rs", modified("fn lib() {}"))));
		Map<String, CachedOverlayEntry> files = new LinkedHashMap<>();
		files.put("z/last-in-path-order.rs", added("z"));
		files.put("a/first-in-path-order.rs", modified("a"));
		files.put("m/deleted.rs", deleted());
		// The paths come in the order they were written, not sorted.
		announced.add(expectChange(id, this.b, Kind.FILES,
				List.of("z/last-in-path-order.rs", "a/first-in-path-order.rs", "m/deleted.rs"),
				() -> byB.cacheFiles(id, files)));
		announced.add(expectChange(id, this.b, Kind.GRAPH, List.of(), () -> byB.cacheGraph(id, utf8("graph of B"))));
		announced.add(expectChange(id, this.b, Kind.WORKSPACE, List.of(),
				() -> byB.cacheAll(id, wholeWorkspace(id, "replaced by B"))));

		// A's own writes: conditional on the version it read, each kind.
		long version = currentVersion(id);
		announced.add(expectConditionalChange(id, this.a, version, WorkspaceWrite.files(files), Kind.FILES,
				List.copyOf(files.keySet())));
		announced.add(expectConditionalChange(id, this.a, version + 1, WorkspaceWrite.snapshot(snapshot(id, "second")),
				Kind.SNAPSHOT, List.of()));
		announced.add(expectConditionalChange(id, this.a, version + 2, WorkspaceWrite.graph(utf8("graph of A")),
				Kind.GRAPH, List.of()));
		announced.add(expectConditionalChange(id, this.a, version + 3, WorkspaceWrite.file("one.txt", modified("one")),
				Kind.FILES, List.of("one.txt")));

		// What changes nothing announces nothing: a refused write (B's copy is stale) and
		// a touch. The next write shows that nothing arrived in between.
		ConditionalWriteResult refused = byB.writeIfVersion(id, version, WorkspaceWrite.graph(utf8("stale")));
		assertThat(refused.applied()).as("a write at a stale version").isFalse();
		assertThat(refused.version()).isEqualTo(version + 4);
		byB.touch(id);
		announced.add(expectConditionalChange(id, this.b, version + 4,
				WorkspaceWrite.all(wholeWorkspace(id, "replaced by B again")), Kind.WORKSPACE, List.of()));

		long beforeEvict = currentVersion(id);
		byB.evict(id);
		announced.add(new WorkspaceChange(id, Kind.EVICTED, List.of(), beforeEvict + 1, this.b.id(), false));
		this.a.heard().awaitLast(id, beforeEvict + 1);
		this.b.heard().awaitLast(id, beforeEvict + 1);

		assertThat(announced).extracting(WorkspaceChange::version)
			.as("one version a write")
			.containsExactlyElementsOf(LongStream.rangeClosed(1, announced.size()).boxed().toList());
		assertThat(this.a.heard().of(id)).as("what A heard").containsExactlyElementsOf(asHeardBy(this.a, announced));
		assertThat(this.b.heard().of(id)).as("what B heard").containsExactlyElementsOf(asHeardBy(this.b, announced));
		assertThat(this.a.heard().resynchronizations()).isEmpty();
	}

	@Test
	void aWorkspaceThatIsNotWatchedIsNotDelivered() {
		UUID unwatched = workspaces(1).get(0);
		// In the slot of the unwatched workspace, so that its messages would come over
		// the
		// same connection, before the watched workspace's: hearing the latter means that
		// the former would have arrived by then.
		UUID watched = TestCluster.workspaceInSlot(this.prefix, SlotHash.getSlot(unwatched.toString()));
		this.a.notifications().watch(watched);
		this.b.cache().cacheAll(unwatched, wholeWorkspace(unwatched, "not watched"));
		this.b.cache().cacheAll(watched, wholeWorkspace(watched, "watched"));
		this.a.heard().await(watched, 1);
		assertThat(this.a.heard().of(unwatched)).isEmpty();

		// Unwatched, a workspace falls silent at once.
		this.a.notifications().watch(unwatched);
		this.a.notifications().unwatch(watched);
		assertThat(this.a.notifications().isWatching(watched)).isFalse();
		this.b.cache().cacheFile(watched, "after-unwatch.txt", added("late"));
		this.b.cache().cacheFile(unwatched, "now-watched.txt", added("now"));
		this.a.heard().await(unwatched, 2);
		assertThat(this.a.heard().of(watched)).extracting(WorkspaceChange::version).containsExactly(1L);
		// Nobody heard B's writes of workspaces it does not watch, itself included.
		assertThat(this.b.heard().deliveries()).isEmpty();
	}

	@Test
	void eachWatcherHearsEveryVersionOfEveryWorkspaceInOrderOffTheIoThreads() throws Exception {
		List<UUID> ids = workspaces(6);
		ids.forEach(this.a.notifications()::watch);
		ids.forEach(this.b.notifications()::watch);
		ids.forEach((id) -> this.b.cache().cacheAll(id, wholeWorkspace(id, "created")));
		int writesPerInstance = 40;
		ExecutorService writers = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> running = new ArrayList<>();
			for (NotifyingInstance writer : List.of(this.a, this.b)) {
				for (int half = 0; half < 2; half++) {
					List<UUID> share = ids.subList(half * ids.size() / 2, (half + 1) * ids.size() / 2);
					// Both instances write every workspace at once: the server orders
					// their
					// writes, and every watcher must hear them in that order.
					running.add(writers.submit(() -> {
						for (int i = 0; i < writesPerInstance; i++) {
							for (UUID id : share) {
								writer.cache().cacheFile(id, writer.id() + "/" + i, modified("write " + i));
							}
						}
					}));
				}
			}
			for (Future<?> writer : running) {
				writer.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			writers.shutdownNow();
		}
		List<Long> everyVersion = LongStream.rangeClosed(1, 1 + 2L * writesPerInstance).boxed().toList();
		for (UUID id : ids) {
			assertThat(currentVersion(id)).isEqualTo(everyVersion.size());
			for (NotifyingInstance watcher : List.of(this.a, this.b)) {
				watcher.heard().await(id, everyVersion.size());
				List<WorkspaceChange> heard = watcher.heard().of(id);
				assertThat(heard).extracting(WorkspaceChange::version)
					.as("versions of %s heard by %s", id, watcher.id())
					.containsExactlyElementsOf(everyVersion);
				assertThat(heard.subList(1, heard.size())).allSatisfy((change) -> {
					assertThat(change.local()).isEqualTo(change.origin().equals(watcher.id()));
					assertThat(change.paths()).singleElement().asString().startsWith(change.origin() + "/");
				});
				assertThat(heard).filteredOn((change) -> change.origin().equals(this.a.id()))
					.hasSize(writesPerInstance);
			}
		}
		for (NotifyingInstance watcher : List.of(this.a, this.b)) {
			assertThat(watcher.heard().deliveries()).extracting(RecordedChanges.Delivery::thread)
				.allSatisfy((thread) -> assertThat(thread).startsWith("workspace-cache-changes-")
					.doesNotStartWith("lettuce-"));
		}
	}

	@Test
	void watchingAgainRightAfterUnwatchingNeitherLosesChangesNorResynchronizes() {
		UUID id = workspaces(1).get(0);
		this.a.notifications().watch(id);
		this.b.cache().cacheAll(id, wholeWorkspace(id, "held"));
		this.a.heard().await(id, 1);
		for (int i = 0; i < 5; i++) {
			// A pod drops its copy and takes the session back at once.
			this.a.notifications().unwatch(id);
			this.a.notifications().watch(id);
			this.b.cache().cacheFile(id, "round-" + i, added("round " + i));
			this.a.heard().await(id, i + 2);
		}
		// The server's confirmation of each unsubscribe comes after the workspace was
		// watched again: it is the answer to A's own request, not a lost subscription.
		this.b.cache().cacheFile(id, "fence", added("fence"));
		this.a.heard().await(id, 7);
		assertThat(this.a.heard().resynchronizations()).isEmpty();
	}

	/**
	 * Run an unconditional write by an instance, and check that both instances hear it,
	 * as the last change of the workspace, at the version the cache now reads.
	 * @return the change as announced (as heard by an instance that did not make it)
	 */
	private WorkspaceChange expectChange(UUID id, NotifyingInstance writer, Kind kind, List<String> paths,
			Runnable write) {
		write.run();
		return awaitEverywhere(id, writer, kind, paths, currentVersion(id));
	}

	private WorkspaceChange expectConditionalChange(UUID id, NotifyingInstance writer, long expectedVersion,
			WorkspaceWrite write, Kind kind, List<String> paths) {
		ConditionalWriteResult result = writer.cache().writeIfVersion(id, expectedVersion, write);
		assertThat(result.applied()).as("%s at version %d", write, expectedVersion).isTrue();
		assertThat(result.version()).isEqualTo(expectedVersion + 1).isEqualTo(currentVersion(id));
		return awaitEverywhere(id, writer, kind, paths, result.version());
	}

	private WorkspaceChange awaitEverywhere(UUID id, NotifyingInstance writer, Kind kind, List<String> paths,
			long version) {
		WorkspaceChange announced = new WorkspaceChange(id, kind, paths, version, writer.id(), false);
		for (NotifyingInstance watcher : List.of(this.a, this.b)) {
			assertThat(watcher.heard().awaitLast(id, version)).as("last change heard by %s", watcher.id())
				.isEqualTo(asHeardBy(watcher, List.of(announced)).get(0));
		}
		return announced;
	}

	private static List<WorkspaceChange> asHeardBy(NotifyingInstance watcher, List<WorkspaceChange> announced) {
		return announced.stream()
			.map((change) -> new WorkspaceChange(change.workspaceId(), change.kind(), change.paths(), change.version(),
					change.origin(), change.origin().equals(watcher.id())))
			.toList();
	}

	/**
	 * Return the version of a workspace as {@code recover} reads it.
	 */
	protected long currentVersion(UUID id) {
		return this.a.cache().recover(id).map(CachedWorkspace::version).orElseThrow();
	}

}
