package dev.workspacecache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static dev.workspacecache.WorkspaceFixtures.utf8;
import static dev.workspacecache.WorkspaceFixtures.wholeWorkspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.awaitility.Awaitility.await;

/**
 * Versions and writes made conditional on them ({@link WorkspaceCache#writeIfVersion}):
 * every write advances the version atomically, a write from a stale copy is refused and
 * tells the current version, and a pod that holds a lost workspace writes it back without
 * ever going over a newer version.
 */
interface VersionContract extends WorkspaceCacheContract {

	private long version() {
		return cache().recover(workspaceId()).orElseThrow().version();
	}

	@Test
	default void everyWriteAdvancesTheVersionByOneAndTouchDoesNot() {
		WorkspaceCache cache = cache();
		cache.cacheAll(workspaceId(), wholeWorkspace(workspaceId(), "one"));
		assertThat(version()).isEqualTo(1);
		cache.cacheWorkspace(workspaceId(), snapshot(workspaceId(), "two"));
		assertThat(version()).isEqualTo(2);
		cache.cacheFile(workspaceId(), "a.txt", added("a"));
		assertThat(version()).isEqualTo(3);
		cache.cacheFiles(workspaceId(), Map.of("b.txt", added("b"), "c.txt", added("c")));
		assertThat(version()).isEqualTo(4);
		cache.cacheGraph(workspaceId(), utf8("graph"));
		assertThat(version()).isEqualTo(5);
		cache.touch(workspaceId());
		cache.cacheFiles(workspaceId(), Map.of());
		assertThat(version()).as("a touch, and an empty batch, which is one").isEqualTo(5);
		assertThat(cache.writeIfVersion(workspaceId(), 5, WorkspaceWrite.file("d.txt", added("d"))))
			.isEqualTo(new ConditionalWriteResult(true, WriteOutcome.PRESENT, 6));
		assertThat(version()).isEqualTo(6);
	}

	@Test
	default void aWriteAtTheCurrentVersionIsAppliedAndAdvancesIt() {
		WorkspaceCache cache = cache();
		assertThat(cache.writeIfVersion(workspaceId(), 0, WorkspaceWrite.all(wholeWorkspace(workspaceId(), "new"))))
			.as("created at version 0: it must not exist yet")
			.isEqualTo(new ConditionalWriteResult(true, WriteOutcome.MISSING, 1));
		assertThat(cache.writeIfVersion(workspaceId(), 1, WorkspaceWrite.snapshot(snapshot(workspaceId(), "s"))))
			.isEqualTo(new ConditionalWriteResult(true, WriteOutcome.PRESENT, 2));
		assertThat(cache.writeIfVersion(workspaceId(), 2,
				WorkspaceWrite.files(Map.of("x.txt", modified("x"), "y.txt", added("y")))))
			.isEqualTo(new ConditionalWriteResult(true, WriteOutcome.PRESENT, 3));
		assertThat(cache.writeIfVersion(workspaceId(), 3, WorkspaceWrite.graph(utf8("g"))))
			.isEqualTo(new ConditionalWriteResult(true, WriteOutcome.PRESENT, 4));
		CachedWorkspace recovered = cache.recover(workspaceId()).orElseThrow();
		assertThat(recovered.version()).isEqualTo(4);
		assertThat(recovered.snapshot()).isEqualTo(snapshot(workspaceId(), "s"));
		assertThat(recovered.files()).containsEntry("x.txt", modified("x")).containsEntry("y.txt", added("y"));
		assertThat(recovered.graph()).hasValueSatisfying((graph) -> assertThat(graph).isEqualTo(utf8("g")));
	}

	@Test
	default void aWriteFromAStaleCopyIsRefusedWithTheCurrentVersionAndChangesNothing() {
		WorkspaceCache cache = cache();
		cache.cacheAll(workspaceId(), wholeWorkspace(workspaceId(), "base"));
		cache.cacheFile(workspaceId(), "theirs.txt", added("theirs"));
		CachedWorkspace before = cache.recover(workspaceId()).orElseThrow();
		for (WorkspaceWrite write : List.of(WorkspaceWrite.snapshot(snapshot(workspaceId(), "mine")),
				WorkspaceWrite.file("theirs.txt", added("mine")), WorkspaceWrite.graph(utf8("mine")),
				WorkspaceWrite.all(wholeWorkspace(workspaceId(), "mine")))) {
			ConditionalWriteResult result = cache.writeIfVersion(workspaceId(), 1, write);
			assertThat(result).as(write.toString())
				.isEqualTo(new ConditionalWriteResult(false, WriteOutcome.PRESENT, 2));
			assertThat(result.isConflict()).isTrue();
		}
		assertThat(cache.writeIfVersion(workspaceId(), 0, WorkspaceWrite.all(wholeWorkspace(workspaceId(), "dup"))))
			.as("a second create")
			.isEqualTo(new ConditionalWriteResult(false, WriteOutcome.PRESENT, 2));
		CachedWorkspace after = cache.recover(workspaceId()).orElseThrow();
		assertThat(after).isEqualTo(before);
		assertThat(after.version()).isEqualTo(2);
	}

	@Test
	default void aLostWorkspaceIsWrittenBackFromTheHeldVersionAndNeverOverANewerOne() {
		// Expiry is how a test makes the store lose a workspace; a restart or an eviction
		// looks the same to the next write.
		WorkspaceCache cache = createCache(Duration.ofSeconds(1), DEFAULT_MAX_ENTRY_SIZE);
		CachedWorkspace held = wholeWorkspace(workspaceId(), "held");
		cache.cacheAll(workspaceId(), held);
		cache.cacheFile(workspaceId(), "more.txt", added("more"));
		long heldVersion = cache.recover(workspaceId()).orElseThrow().version();
		assertThat(heldVersion).isEqualTo(2);
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> cache.recover(workspaceId()).isEmpty());
		assertThat(cache.writeIfVersion(workspaceId(), heldVersion, WorkspaceWrite.file("late.txt", added("late"))))
			.as("a part written alone to a lost workspace would leave it partial: refused, re-seed instead")
			.isEqualTo(new ConditionalWriteResult(false, WriteOutcome.MISSING, 0));
		assertThat(cache.writeIfVersion(workspaceId(), heldVersion, WorkspaceWrite.all(held)))
			.isEqualTo(new ConditionalWriteResult(true, WriteOutcome.MISSING, heldVersion + 1));
		assertThat(cache.recover(workspaceId())).hasValueSatisfying((recovered) -> {
			assertThat(recovered).isEqualTo(held);
			assertThat(recovered.version()).isEqualTo(heldVersion + 1);
		});
		assertThat(cache.writeIfVersion(workspaceId(), heldVersion - 1,
				WorkspaceWrite.all(wholeWorkspace(workspaceId(), "older"))))
			.as("a pod whose copy is older than the one written back")
			.isEqualTo(new ConditionalWriteResult(false, WriteOutcome.PRESENT, heldVersion + 1));
		assertThat(cache.recover(workspaceId())).contains(held);
	}

	@Test
	default void aWriteAfterAnEvictIsRefusedWithANewerVersion() {
		WorkspaceCache cache = cache();
		cache.cacheAll(workspaceId(), wholeWorkspace(workspaceId(), "evicted"));
		cache.evict(workspaceId());
		for (long expected : new long[] { 0, 1, 2, 100 }) {
			ConditionalWriteResult result = cache.writeIfVersion(workspaceId(), expected,
					WorkspaceWrite.all(wholeWorkspace(workspaceId(), "late")));
			assertThat(result.applied()).isFalse();
			assertThat(result.outcome()).isEqualTo(WriteOutcome.EVICTED);
			assertThat(result.version()).as("the evict advanced the version").isEqualTo(2);
			assertThat(result.isConflict()).isFalse();
		}
		assertThat(cache.recover(workspaceId())).isEmpty();
	}

	@Test
	default void racingConditionalWritersLoseNoUpdate() throws Exception {
		WorkspaceCache cache = cache();
		cache.cacheAll(workspaceId(), wholeWorkspace(workspaceId(), "race"));
		int writers = 4;
		int writesEach = 25;
		CyclicBarrier start = new CyclicBarrier(writers);
		ExecutorService executor = Executors.newFixedThreadPool(writers);
		try {
			List<Future<Integer>> refusals = new ArrayList<>();
			for (int w = 0; w < writers; w++) {
				int writer = w;
				refusals.add(executor.submit(() -> {
					start.await();
					int refused = 0;
					for (int i = 0; i < writesEach; i++) {
						String path = "w" + writer + "/" + i + ".txt";
						while (true) {
							long held = cache.recover(workspaceId()).orElseThrow().version();
							ConditionalWriteResult result = cache.writeIfVersion(workspaceId(), held,
									WorkspaceWrite.file(path, added(path)));
							if (result.applied()) {
								break;
							}
							assertThat(result.isConflict()).isTrue();
							assertThat(result.version()).isGreaterThan(held);
							refused++;
						}
					}
					return refused;
				}));
			}
			for (Future<Integer> refused : refusals) {
				refused.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		CachedWorkspace result = cache.recover(workspaceId()).orElseThrow();
		assertThat(result.version()).as("one version per applied write").isEqualTo(1 + writers * writesEach);
		for (int w = 0; w < writers; w++) {
			for (int i = 0; i < writesEach; i++) {
				String path = "w" + w + "/" + i + ".txt";
				assertThat(result.files()).containsEntry(path, added(path));
			}
		}
	}

	@Test
	default void badConditionalWritesAreRejectedBeforeAnythingIsWritten() {
		WorkspaceCache cache = cache();
		cache.cacheAll(workspaceId(), wholeWorkspace(workspaceId(), "kept"));
		CachedWorkspace before = cache.recover(workspaceId()).orElseThrow();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> cache.writeIfVersion(workspaceId(), -1, WorkspaceWrite.graph(utf8("g"))))
			.withMessageContaining("expectedVersion");
		assertThatNullPointerException().isThrownBy(() -> cache.writeIfVersion(workspaceId(), 1, null))
			.withMessageContaining("write");
		assertThatNullPointerException()
			.isThrownBy(() -> cache.writeIfVersion(null, 1, WorkspaceWrite.graph(utf8("g"))))
			.withMessageContaining("id");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> cache.writeIfVersion(workspaceId(), 1,
					WorkspaceWrite.files(Map.of("ok.txt", added("ok"), "", added("empty path")))))
			.withMessageContaining("must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> WorkspaceWrite.files(Map.of()))
			.withMessageContaining("entries must not be empty");
		assertThat(cache.recover(workspaceId())).hasValueSatisfying((after) -> {
			assertThat(after).isEqualTo(before);
			assertThat(after.version()).isEqualTo(before.version());
		});
	}

}
