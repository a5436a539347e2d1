package dev.workspacecache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static dev.workspacecache.WorkspaceAssertions.assertWorkspaceIsEmpty;
import static dev.workspacecache.WorkspaceFixtures.entryOfKind;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static dev.workspacecache.WorkspaceFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrent callers: an evict that races writers strands no part and refuses every later
 * write, {@code getFiles} and {@code recover} never see half a batch or a mix of
 * versions, and writers of different paths all land.
 */
interface ConcurrencyContract extends WorkspaceCacheContract {

	@Test
	default void evictRacingWritersLeavesNoPartialWorkspaceAndRefusesEveryLaterWrite() throws Exception {
		int writers = 4;
		int maxIterations = 200;
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		WorkspaceSnapshot snapshot = snapshot(workspaceId());
		byte[] graph = utf8("raced graph");
		Map<String, CachedOverlayEntry> written = new ConcurrentHashMap<>();
		AtomicBoolean evicted = new AtomicBoolean();
		List<String> appliedAfterTheEvict = Collections.synchronizedList(new ArrayList<>());
		ExecutorService executor = Executors.newFixedThreadPool(writers + 2);
		try {
			CountDownLatch start = new CountDownLatch(1);
			CountDownLatch halfway = new CountDownLatch(writers);
			AtomicBoolean writing = new AtomicBoolean(true);
			List<Future<?>> writes = new ArrayList<>();
			for (int t = 0; t < writers; t++) {
				int thread = t;
				writes.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < maxIterations && System.nanoTime() - deadline < 0; i++) {
						if (i == maxIterations / 2) {
							halfway.countDown();
						}
						boolean afterTheEvict = evicted.get();
						Map<String, CachedOverlayEntry> batch = batch(thread, i);
						written.putAll(batch);
						List<WriteOutcome> outcomes = new ArrayList<>();
						outcomes.add(cache().cacheFiles(workspaceId(), batch));
						// Other parts raced too, so that evict can strand
						// none of them either.
						if (thread == 0) {
							outcomes.add(cache().cacheWorkspace(workspaceId(), snapshot));
						}
						else if (thread == 1) {
							outcomes.add(cache().cacheGraph(workspaceId(), graph));
						}
						if (afterTheEvict && outcomes.stream().anyMatch((outcome) -> outcome != WriteOutcome.EVICTED)) {
							appliedAfterTheEvict.add("writer " + thread + " iteration " + i + ": " + outcomes);
						}
					}
					halfway.countDown();
					return null;
				}));
			}
			// The evict lands while every writer is busy,
			// so writes race it on both sides.
			Future<?> eviction = executor.submit(() -> {
				start.await();
				halfway.await();
				cache().evict(workspaceId());
				evicted.set(true);
				return null;
			});
			// getFiles reads the overlay at once, so even mid-race
			// it must see whole batches only.
			Future<?> reads = executor.submit(() -> {
				start.await();
				do {
					assertWholeBatches(cache().getFiles(workspaceId()), written);
				}
				while (writing.get());
				return null;
			});
			start.countDown();
			try {
				for (Future<?> write : writes) {
					write.get(60, TimeUnit.SECONDS);
				}
			}
			finally {
				writing.set(false);
			}
			eviction.get(60, TimeUnit.SECONDS);
			reads.get(60, TimeUnit.SECONDS);
		}
		finally {
			executor.shutdownNow();
			executor.awaitTermination(10, TimeUnit.SECONDS);
		}

		assertThat(evicted).isTrue();
		assertThat(appliedAfterTheEvict).as("writes that started after the evict returned and were applied").isEmpty();
		assertWorkspaceIsEmpty(cache(), workspaceId());
		assertThat(cache().recover(workspaceId())).isEmpty();
		assertThat(remainingTtls(cache(), workspaceId())).as("time-to-live of workspace data").isEmpty();
	}

	/**
	 * Thousands of rounds, each on a fresh workspace: one thread replaces the whole
	 * workspace ({@code cacheAll}) with successive versions, one writes batches of files
	 * into it, one evicts it in every other round, and one recovers it all along. Every
	 * recovered workspace must be one version whole, plus whole batches, and nothing once
	 * the evict is done.
	 */
	@Test
	default void recoverRacingWritersAndEvictNeverSeesAMix() throws Exception {
		int rounds = 2000;
		int threads = 4;
		UUID[] ids = new UUID[rounds];
		for (int round = 0; round < rounds; round++) {
			ids[round] = UUID.randomUUID();
		}
		Map<String, CachedOverlayEntry> batches = new ConcurrentHashMap<>();
		AtomicLong recovered = new AtomicLong();
		CyclicBarrier roundStart = new CyclicBarrier(threads);
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> tasks = new ArrayList<>();
			tasks.add(executor.submit(() -> {
				for (int round = 0; round < rounds; round++) {
					roundStart.await(60, TimeUnit.SECONDS);
					for (int version = 0; version < 3; version++) {
						cache().cacheAll(ids[round], version(ids[round], version));
					}
				}
				return null;
			}));
			tasks.add(executor.submit(() -> {
				for (int round = 0; round < rounds; round++) {
					roundStart.await(60, TimeUnit.SECONDS);
					for (int i = 0; i < 2; i++) {
						Map<String, CachedOverlayEntry> batch = batch(round, i);
						batches.putAll(batch);
						cache().cacheFiles(ids[round], batch);
					}
				}
				return null;
			}));
			tasks.add(executor.submit(() -> {
				for (int round = 0; round < rounds; round++) {
					roundStart.await(60, TimeUnit.SECONDS);
					if (round % 2 == 1) {
						cache().evict(ids[round]);
					}
				}
				return null;
			}));
			tasks.add(executor.submit(() -> {
				for (int round = 0; round < rounds; round++) {
					roundStart.await(60, TimeUnit.SECONDS);
					for (int i = 0; i < 3; i++) {
						Optional<CachedWorkspace> workspace = cache().recover(ids[round]);
						workspace.ifPresent((read) -> assertOneVersionAndWholeBatches(read, batches));
						if (workspace.isPresent()) {
							recovered.incrementAndGet();
						}
					}
				}
				return null;
			}));
			for (Future<?> task : tasks) {
				task.get(300, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
			executor.awaitTermination(10, TimeUnit.SECONDS);
		}
		// Evicted rounds stay evicted whatever raced their evict;
		// the others end as some version.
		for (int round = 0; round < rounds; round++) {
			Optional<CachedWorkspace> end = cache().recover(ids[round]);
			if (round % 2 == 1) {
				assertThat(end).as("round %d, evicted", round).isEmpty();
			}
			else {
				CachedWorkspace last = version(ids[round], 2);
				assertThat(end).as("round %d", round).hasValueSatisfying((read) -> {
					assertOneVersionAndWholeBatches(read, batches);
					assertThat(read.snapshot()).isEqualTo(last.snapshot());
				});
			}
		}
		assertThat(recovered.get()).as("recoveries that found a workspace mid-race").isPositive();
	}

	@Test
	default void concurrentWritersOfDifferentPathsAllLand() throws Exception {
		int writers = 8;
		int filesPerWriter = 50;
		Map<String, CachedOverlayEntry> expected = new TreeMap<>();
		ExecutorService executor = Executors.newFixedThreadPool(writers);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> writes = new ArrayList<>();
			for (int t = 0; t < writers; t++) {
				Map<String, CachedOverlayEntry> files = new TreeMap<>();
				for (int i = 0; i < filesPerWriter; i++) {
					files.put("writer-" + t + "/file-" + i, entryOfKind(i, "writer " + t + " file " + i));
				}
				expected.putAll(files);
				writes.add(executor.submit(() -> {
					start.await();
					files.forEach((path, entry) -> cache().cacheFile(workspaceId(), path, entry));
					return null;
				}));
			}
			start.countDown();
			for (Future<?> write : writes) {
				write.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
			executor.awaitTermination(10, TimeUnit.SECONDS);
		}
		assertThat(cache().listFiles(workspaceId())).hasSize(writers * filesPerWriter)
			.containsExactlyElementsOf(expected.keySet());
		assertThat(cache().getFiles(workspaceId())).isEqualTo(expected);
	}

	/**
	 * A version of a whole workspace for
	 * {@link #recoverRacingWritersAndEvictNeverSeesAMix}: its snapshot, files and graph
	 * all name the version, and its files are a different set per version.
	 */
	private static CachedWorkspace version(UUID id, int version) {
		Map<String, CachedOverlayEntry> files = new TreeMap<>();
		for (int i = 0; i <= version + 2; i++) {
			files.put("version-" + version + "/file-" + i, entryOfKind(i, "version " + version + " file " + i));
		}
		return CachedWorkspace.of(snapshot(id, "version " + version), files, utf8("graph of version " + version));
	}

	private static void assertOneVersionAndWholeBatches(CachedWorkspace read, Map<String, CachedOverlayEntry> batches) {
		String intent = read.snapshot().intent();
		assertThat(intent).startsWith("version ");
		CachedWorkspace expected = version(read.snapshot().sessionId(),
				Integer.parseInt(intent.substring("version ".length())));
		Map<String, CachedOverlayEntry> versionFiles = new TreeMap<>(read.files());
		versionFiles.keySet().removeIf((path) -> path.startsWith("batch-"));
		assertThat(versionFiles).as("files of %s", intent).isEqualTo(expected.files());
		assertThat(read.graph()).as("graph of %s", intent)
			.hasValueSatisfying((graph) -> assertThat(graph).isEqualTo(expected.graph().orElseThrow()));
		Map<String, CachedOverlayEntry> batchFiles = new TreeMap<>(read.files());
		batchFiles.keySet().removeIf((path) -> !path.startsWith("batch-"));
		assertWholeBatches(batchFiles, batches);
	}

	/**
	 * A batch of 20 entries under a directory named for {@code thread} and
	 * {@code iteration}, so that {@link #assertWholeBatches} can tell the batches apart.
	 */
	private static Map<String, CachedOverlayEntry> batch(int thread, int iteration) {
		Map<String, CachedOverlayEntry> batch = new LinkedHashMap<>();
		for (int k = 0; k < 20; k++) {
			String path = "batch-" + thread + "-" + iteration + "/f" + k;
			batch.put(path, entryOfKind(k, path));
		}
		return batch;
	}

	/**
	 * Assert that the overlay holds each batch written by {@link #batch(int, int)} whole
	 * or not at all, with the entries written.
	 */
	private static void assertWholeBatches(Map<String, CachedOverlayEntry> files,
			Map<String, CachedOverlayEntry> written) {
		Map<String, List<String>> pathsByBatch = files.keySet()
			.stream()
			.collect(Collectors.groupingBy((path) -> path.substring(0, path.indexOf('/'))));
		pathsByBatch.forEach((batch, paths) -> assertThat(paths).as("files of %s", batch).hasSize(20));
		files.forEach((path, entry) -> assertThat(entry).as(path).isEqualTo(written.get(path)));
	}

}
