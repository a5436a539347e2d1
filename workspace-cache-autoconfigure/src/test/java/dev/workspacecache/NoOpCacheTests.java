package dev.workspacecache;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static dev.workspacecache.WorkspaceFixtures.deleted;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static dev.workspacecache.WorkspaceFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link NoOpCache}, ported from the original's {@code NoOpCache} unit tests.
 */
class NoOpCacheTests {

	private final WorkspaceCache cache = createCache();

	private final UUID id = UUID.randomUUID();

	/**
	 * Create the no-op cache under test.
	 * @return a no-op cache with the default maximum entry size
	 */
	WorkspaceCache createCache() {
		return new NoOpCache();
	}

	@Test
	void getWorkspaceReturnsEmpty() {
		assertThat(this.cache.getWorkspace(this.id)).isEmpty();
	}

	@Test
	void conditionalWritesAreDiscardedAsAppliedAtTheNextVersionAndStillValidated() {
		assertThat(this.cache.writeIfVersion(this.id, 3, WorkspaceWrite.file("a.txt", modified("a"))))
			.isEqualTo(new ConditionalWriteResult(true, WriteOutcome.DISCARDED, 4));
		assertThat(this.cache.recover(this.id)).isEmpty();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.cache.writeIfVersion(this.id, 0, WorkspaceWrite.file("", modified("a"))))
			.withMessageContaining("must not be empty");
	}

	@Test
	void cacheWorkspaceIsSilent() {
		assertThatNoException().isThrownBy(() -> this.cache.cacheWorkspace(this.id, snapshot(this.id)));
		// Nothing was stored.
		assertThat(this.cache.getWorkspace(this.id)).isEmpty();
	}

	@Test
	void getFileReturnsEmpty() {
		assertThat(this.cache.getFile(this.id, "src/lib.rs")).isEmpty();
	}

	@Test
	void cacheFileIsSilent() {
		assertThatNoException().isThrownBy(() -> this.cache.cacheFile(this.id, "src/lib.rs", modified("hello")));
		assertThat(this.cache.getFile(this.id, "src/lib.rs")).isEmpty();
		assertThat(this.cache.listFiles(this.id)).isEmpty();
	}

	@Test
	void listFilesReturnsEmpty() {
		assertThat(this.cache.listFiles(this.id)).isEmpty();
	}

	@Test
	void getGraphReturnsEmpty() {
		assertThat(this.cache.getGraph(this.id)).isEmpty();
	}

	@Test
	void cacheGraphIsSilent() {
		assertThatNoException().isThrownBy(() -> this.cache.cacheGraph(this.id, utf8("graph-bytes")));
		assertThat(this.cache.getGraph(this.id)).isEmpty();
	}

	@Test
	void evictIsSilent() {
		assertThatNoException().isThrownBy(() -> this.cache.evict(this.id));
	}

	@Test
	void touchIsSilent() {
		assertThatNoException().isThrownBy(() -> this.cache.touch(this.id));
	}

	@Test
	void getFilesReturnsAnUnmodifiableEmptyMap() {
		Map<String, CachedOverlayEntry> files = this.cache.getFiles(this.id);
		assertThat(files).isEmpty();
		assertThatThrownBy(() -> files.put("a.txt", deleted())).isInstanceOf(UnsupportedOperationException.class);
	}

	@Test
	void cacheFilesIsSilent() {
		assertThatNoException()
			.isThrownBy(() -> this.cache.cacheFiles(this.id, Map.of("a.txt", modified("a"), "b.txt", deleted())));
		assertThat(this.cache.getFiles(this.id)).isEmpty();
		assertThat(this.cache.getFile(this.id, "a.txt")).isEmpty();
	}

	@Test
	void canBeSharedByConcurrentThreads() throws Exception {
		// The original checked that the cache is Send + Sync; the Java analogue is
		// concurrent use through the interface.
		WorkspaceCache shared = this.cache;
		ExecutorService executor = Executors.newFixedThreadPool(4);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> results = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				results.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < 100; i++) {
						UUID workspaceId = UUID.randomUUID();
						shared.cacheWorkspace(workspaceId, snapshot(workspaceId));
						shared.cacheFile(workspaceId, "f" + i, modified("x"));
						assertThat(shared.getWorkspace(workspaceId)).isEmpty();
						assertThat(shared.listFiles(workspaceId)).isEmpty();
						shared.touch(workspaceId);
						shared.evict(workspaceId);
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> result : results) {
				result.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
			executor.awaitTermination(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void nullIdIsRejected() {
		// Validated like every other implementation, so that code developed against the
		// no-op cache does not start failing against a real one.
		assertThatNullPointerException().isThrownBy(() -> this.cache.getWorkspace(null)).withMessageContaining("id");
		assertThatNullPointerException().isThrownBy(() -> this.cache.cacheWorkspace(null, snapshot(this.id)))
			.withMessageContaining("id");
		assertThatNullPointerException().isThrownBy(() -> this.cache.evict(null)).withMessageContaining("id");
		assertThatNullPointerException().isThrownBy(() -> this.cache.touch(null)).withMessageContaining("id");
		assertThatNullPointerException().isThrownBy(() -> this.cache.listFiles(null))
			.withMessageContaining("workspaceId");
	}

	@Test
	void nullArgumentsAreRejected() {
		assertThatNullPointerException().isThrownBy(() -> this.cache.cacheWorkspace(this.id, null))
			.withMessageContaining("snapshot");
		assertThatNullPointerException().isThrownBy(() -> this.cache.cacheFile(this.id, "a.txt", null))
			.withMessageContaining("entry");
		assertThatNullPointerException().isThrownBy(() -> this.cache.cacheGraph(this.id, null))
			.withMessageContaining("graphData");
		assertThatNullPointerException().isThrownBy(() -> this.cache.cacheFiles(this.id, null))
			.withMessageContaining("entries");
	}

	@Test
	void emptyPathIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.cache.cacheFile(this.id, "", modified("x")))
			.withMessageContaining("path");
		assertThatIllegalArgumentException().isThrownBy(() -> this.cache.getFile(this.id, ""))
			.withMessageContaining("path");
	}

	@Test
	void tooLongPathIsRejected() {
		String tooLong = "x".repeat(WorkspaceCache.MAX_PATH_LENGTH + 1);
		assertThatIllegalArgumentException().isThrownBy(() -> this.cache.cacheFile(this.id, tooLong, deleted()))
			.withMessageContaining("path");
		assertThatNoException().isThrownBy(() -> this.cache.cacheFile(this.id, tooLong.substring(1), deleted()));
	}

	@Test
	void maximumEntrySizeIsEnforcedLikeTheSharedCaches() {
		NoOpCache limited = new NoOpCache(4);
		assertThat(limited.getMaxEntrySize()).isEqualTo(4);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> limited.cacheFile(this.id, "a.txt", new CachedOverlayEntry.Added(new byte[5], "h")))
			.withMessageContaining("maximum entry size");
		assertThatIllegalArgumentException().isThrownBy(() -> limited.cacheGraph(this.id, new byte[5]))
			.withMessageContaining("maximum entry size");
		assertThatNoException()
			.isThrownBy(() -> limited.cacheFile(this.id, "a.txt", new CachedOverlayEntry.Added(new byte[4], "h")));
		assertThat(new NoOpCache().getMaxEntrySize()).isEqualTo(Long.MAX_VALUE);
	}

	@Test
	void cacheAllIsDiscardedAndRecoverIsEmpty() {
		CachedWorkspace workspace = CachedWorkspace.of(snapshot(this.id), Map.of("a.txt", modified("a")), null);
		assertThat(this.cache.cacheAll(this.id, workspace)).isEqualTo(WriteOutcome.DISCARDED);
		assertThat(this.cache.recover(this.id)).isEmpty();
	}

	@Test
	void everyWriteAndTouchReportsDiscardedSoThatNoCallerTriesToHealIt() {
		assertThat(this.cache.cacheWorkspace(this.id, snapshot(this.id))).isEqualTo(WriteOutcome.DISCARDED);
		assertThat(this.cache.cacheFile(this.id, "a.txt", modified("a"))).isEqualTo(WriteOutcome.DISCARDED);
		assertThat(this.cache.cacheFiles(this.id, Map.of("a.txt", modified("a")))).isEqualTo(WriteOutcome.DISCARDED);
		assertThat(this.cache.cacheFiles(this.id, Map.of())).isEqualTo(WriteOutcome.DISCARDED);
		assertThat(this.cache.cacheGraph(this.id, new byte[] { 1 })).isEqualTo(WriteOutcome.DISCARDED);
		assertThat(this.cache.touch(this.id)).isEqualTo(WriteOutcome.DISCARDED);
		this.cache.evict(this.id);
		assertThat(this.cache.touch(this.id)).isEqualTo(WriteOutcome.DISCARDED);
	}

}
