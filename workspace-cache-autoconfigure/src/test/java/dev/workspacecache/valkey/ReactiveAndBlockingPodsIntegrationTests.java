package dev.workspacecache.valkey;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.ConditionalWriteResult;
import dev.workspacecache.WorkspaceChange;
import dev.workspacecache.WorkspaceWrite;
import dev.workspacecache.WriteOutcome;
import dev.workspacecache.testsupport.RedisConnections;
import dev.workspacecache.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static dev.workspacecache.WorkspaceFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reactive pod ({@link ReactiveValkeyCache}) and a blocking pod ({@link ValkeyCache}),
 * each with its own connection, configured alike on one real server: they share
 * workspaces, versions and change notifications, whichever writes.
 */
class ReactiveAndBlockingPodsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final List<WorkspaceChange> heardByBlockingPod = new CopyOnWriteArrayList<>();

	private LettuceConnectionFactory blockingConnection;

	private LettuceConnectionFactory reactiveConnection;

	private ValkeyCache blockingPod;

	private ReactiveValkeyCache reactivePod;

	private ValkeyWorkspaceChangeNotifications blockingPodNotifications;

	private ValkeyWorkspaceChangeNotifications reactivePodNotifications;

	private final UUID id = UUID.randomUUID();

	@BeforeEach
	void startPods() {
		String keyPrefix = RedisConnections.randomKeyPrefix();
		Duration ttl = Duration.ofMinutes(5);
		this.blockingConnection = RedisConnections.connectionFactory(RedisServer.shared());
		this.reactiveConnection = RedisConnections.connectionFactory(RedisServer.shared());
		this.blockingPodNotifications = new ValkeyWorkspaceChangeNotifications(this.blockingConnection, keyPrefix,
				"blocking-pod", Duration.ofMillis(200));
		this.blockingPodNotifications.addListener(this.heardByBlockingPod::add);
		this.reactivePodNotifications = new ValkeyWorkspaceChangeNotifications(this.reactiveConnection, keyPrefix,
				"reactive-pod", Duration.ofMillis(200));
		this.blockingPod = new ValkeyCache(this.blockingConnection, keyPrefix, ttl, 1024 * 1024, null,
				ContentCompression.none());
		this.blockingPod.setChangeNotifications(this.blockingPodNotifications);
		// Different compression settings: each reads what the other wrote.
		this.reactivePod = new ReactiveValkeyCache(this.reactiveConnection, keyPrefix, ttl, 1024 * 1024,
				ContentCompression.zstd(0));
		this.reactivePod.setChangeNotifications(this.reactivePodNotifications);
	}

	@AfterEach
	void stopPods() {
		this.blockingPodNotifications.close();
		this.reactivePodNotifications.close();
		this.blockingConnection.destroy();
		this.reactiveConnection.destroy();
	}

	@Test
	void theReactivePodRecoversWhatTheBlockingPodWroteAtItsVersion() {
		CachedWorkspace written = CachedWorkspace.of(snapshot(this.id),
				Map.of("src/A.java", modified("class A {}".repeat(50)), "gone.txt", new CachedOverlayEntry.Deleted()),
				utf8("graph"));
		assertThat(this.blockingPod.cacheAll(this.id, written)).isEqualTo(WriteOutcome.MISSING);
		long version = this.blockingPod.recover(this.id).orElseThrow().version();

		CachedWorkspace recovered = this.reactivePod.recover(this.id).block(TIMEOUT);

		assertThat(recovered).isEqualTo(written);
		assertThat(recovered.version()).isEqualTo(version).isPositive();
		assertThat(this.reactivePod.listFiles(this.id).block(TIMEOUT)).containsExactly("gone.txt", "src/A.java");
	}

	@Test
	void theBlockingPodSeesTheReactivePodsVersionedWritesAndHearsOfThem() {
		this.blockingPodNotifications.watch(this.id);
		CachedWorkspace created = CachedWorkspace.of(snapshot(this.id), Map.of(), null);
		ConditionalWriteResult creation = this.reactivePod.writeIfVersion(this.id, 0, WorkspaceWrite.all(created))
			.block(TIMEOUT);
		assertThat(creation.applied()).isTrue();
		ConditionalWriteResult edit = this.reactivePod
			.writeIfVersion(this.id, creation.version(),
					WorkspaceWrite.file("src/B.java", modified("class B {}".repeat(50))))
			.block(TIMEOUT);
		assertThat(edit.applied()).isTrue();

		CachedWorkspace seen = this.blockingPod.recover(this.id).orElseThrow();
		assertThat(seen.version()).isEqualTo(edit.version());
		assertThat(seen.files()).containsEntry("src/B.java", modified("class B {}".repeat(50)));
		// A stale write from the blocking pod is refused: the versions are one sequence.
		assertThat(this.blockingPod.writeIfVersion(this.id, creation.version(), WorkspaceWrite.graph(utf8("stale")))
			.isConflict()).isTrue();
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.heardByBlockingPod).extracting(WorkspaceChange::version)
				.contains(creation.version(), edit.version()));
		assertThat(this.heardByBlockingPod).allSatisfy((change) -> {
			assertThat(change.origin()).isEqualTo("reactive-pod");
			assertThat(change.local()).isFalse();
		});
		assertThat(this.heardByBlockingPod).filteredOn((change) -> change.version() == edit.version())
			.singleElement()
			.satisfies((change) -> assertThat(change.paths()).containsExactly("src/B.java"));
	}

	@Test
	void anEvictByEitherPodIsFinalForTheOther() {
		this.reactivePod.cacheAll(this.id, CachedWorkspace.of(snapshot(this.id), Map.of(), null)).block(TIMEOUT);
		this.blockingPod.evict(this.id);
		assertThat(this.reactivePod.recover(this.id).blockOptional(TIMEOUT)).isEmpty();
		assertThat(this.reactivePod.cacheWorkspace(this.id, snapshot(this.id)).block(TIMEOUT))
			.isEqualTo(WriteOutcome.EVICTED);
		assertThat(this.blockingPod.describe(this.id)).isEmpty();
	}

}
