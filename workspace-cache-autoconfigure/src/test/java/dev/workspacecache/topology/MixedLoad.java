package dev.workspacecache.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.WriteOutcome;

import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static dev.workspacecache.WorkspaceFixtures.utf8;

/**
 * A steady load of mixed operations from several threads, for failover tests. It reads a
 * set of workspaces written before the load ({@link #writeFixedWorkspaces}), checking
 * every read against what was written (a miss is allowed, wrong data is not), touches
 * them, and writes, reads and evicts workspaces of its own whose every value is a
 * function of its path, so that a read can tell a stale or wrong value from a right one.
 * An evict is final, so a thread moves on to a new workspace of its own after each, as a
 * pod does when a session ends; a write to a workspace that was never evicted must never
 * be refused as evicted.
 * <p>
 * Every call is timed; a {@link WorkspaceCacheException} is counted as a failure of the
 * operation, anything else thrown is an unexpected error; no worker thread ever stops
 * before {@link #stop()}.
 */
final class MixedLoad implements AutoCloseable {

	private static final long PAUSE_NANOS = 500_000;

	private final WorkspaceCache cache;

	private final Map<UUID, Workspace> fixed;

	private final int threads;

	private final AtomicBoolean running = new AtomicBoolean();

	private final ConcurrentLinkedQueue<Call> failures = new ConcurrentLinkedQueue<>();

	private final ConcurrentLinkedQueue<String> wrongData = new ConcurrentLinkedQueue<>();

	private final ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();

	private final ConcurrentLinkedQueue<Call> successes = new ConcurrentLinkedQueue<>();

	private final AtomicLong calls = new AtomicLong();

	private final AtomicReference<Call> slowest = new AtomicReference<>();

	private final List<Future<?>> workers = new ArrayList<>();

	private ExecutorService executor;

	/**
	 * What was written to a workspace before the load started.
	 */
	record Workspace(UUID id, WorkspaceSnapshot snapshot, Map<String, CachedOverlayEntry> files, byte[] graph) {

	}

	/**
	 * One timed call.
	 *
	 * @param operation the operation name
	 * @param startNanos {@link System#nanoTime()} when it started
	 * @param endNanos {@link System#nanoTime()} when it returned or threw
	 * @param thread the worker
	 * @param error what it threw, or {@code null}
	 */
	record Call(String operation, long startNanos, long endNanos, int thread, Throwable error) {

		Duration latency() {
			return Duration.ofNanos(this.endNanos - this.startNanos);
		}

		@Override
		public String toString() {
			return this.operation + " took " + latency().toMillis() + " ms"
					+ ((this.error != null) ? " and failed: " + this.error.getMessage() : "");
		}

	}

	MixedLoad(WorkspaceCache cache, Map<UUID, Workspace> fixed, int threads) {
		this.cache = cache;
		this.fixed = fixed;
		this.threads = threads;
	}

	/**
	 * Write workspaces with a snapshot, five files and a graph.
	 * @param cache the cache
	 * @param ids the workspace ids
	 * @return what was written, by id
	 */
	static Map<UUID, Workspace> writeFixedWorkspaces(WorkspaceCache cache, List<UUID> ids) {
		Map<UUID, Workspace> written = new LinkedHashMap<>();
		for (UUID id : ids) {
			Map<String, CachedOverlayEntry> files = new LinkedHashMap<>();
			for (int i = 0; i < 5; i++) {
				files.put("src/" + id + "/file-" + i, (i % 2 == 0) ? modified(id + " " + i) : added(id + " " + i));
			}
			Workspace workspace = new Workspace(id, snapshot(id, "fixed " + id), files, utf8("graph of " + id));
			cache.cacheWorkspace(id, workspace.snapshot());
			cache.cacheFiles(id, files);
			cache.cacheGraph(id, workspace.graph());
			written.put(id, workspace);
		}
		return written;
	}

	void start() {
		this.running.set(true);
		this.executor = Executors.newFixedThreadPool(this.threads);
		for (int t = 0; t < this.threads; t++) {
			int thread = t;
			this.workers.add(this.executor.submit(() -> work(thread)));
		}
	}

	/**
	 * Stop the workers and wait for them.
	 * @throws AssertionError if a worker thread ended abnormally
	 */
	void stop() throws InterruptedException {
		this.running.set(false);
		for (Future<?> worker : this.workers) {
			try {
				worker.get(30, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				throw new AssertionError("A load thread died: " + ex, ex);
			}
		}
		this.executor.shutdown();
		this.executor.awaitTermination(10, TimeUnit.SECONDS);
	}

	/**
	 * Stop the workers, if still running, without waiting: for a test that failed early.
	 */
	@Override
	public void close() {
		this.running.set(false);
		if (this.executor != null) {
			this.executor.shutdownNow();
		}
	}

	private void work(int thread) {
		Random random = new Random(thread);
		List<UUID> fixedIds = new ArrayList<>(this.fixed.keySet());
		UUID current = UUID.randomUUID();
		int generation = 0;
		while (this.running.get()) {
			UUID own = current;
			Workspace workspace = this.fixed.get(fixedIds.get(random.nextInt(fixedIds.size())));
			String path = "file-" + random.nextInt(20);
			int choice = random.nextInt(12);
			try {
				switch (choice) {
					case 0 -> call(thread, "getWorkspace", () -> check(workspace.id(), "snapshot",
							this.cache.getWorkspace(workspace.id()), workspace.snapshot()));
					case 1 -> {
						String file = workspace.files().keySet().iterator().next();
						call(thread, "getFile", () -> check(workspace.id(), file,
								this.cache.getFile(workspace.id(), file), workspace.files().get(file)));
					}
					case 2 -> call(thread, "getFiles", () -> {
						Map<String, CachedOverlayEntry> files = this.cache.getFiles(workspace.id());
						if (!files.isEmpty() && !files.equals(workspace.files())) {
							this.wrongData.add("getFiles of " + workspace.id() + " returned " + files.keySet());
						}
					});
					case 3 -> call(thread, "listFiles", () -> {
						List<String> paths = this.cache.listFiles(workspace.id());
						List<String> expected = new ArrayList<>(new TreeSet<>(workspace.files().keySet()));
						if (!paths.isEmpty() && !paths.equals(expected)) {
							this.wrongData.add("listFiles of " + workspace.id() + " returned " + paths);
						}
					});
					case 4 -> call(thread, "getGraph", () -> {
						Optional<byte[]> graph = this.cache.getGraph(workspace.id());
						if (graph.isPresent() && !Arrays.equals(graph.get(), workspace.graph())) {
							this.wrongData.add("getGraph of " + workspace.id() + " returned other bytes");
						}
					});
					case 5 ->
						call(thread, "touch", () -> checkNotEvicted(workspace.id(), this.cache.touch(workspace.id())));
					case 6, 7 -> call(thread, "cacheFile",
							() -> checkNotEvicted(own, this.cache.cacheFile(own, path, contentOf(own, path))));
					case 8 -> call(thread, "getFile",
							() -> check(own, path, this.cache.getFile(own, path), contentOf(own, path)));
					case 9 -> call(thread, "cacheFiles", () -> {
						Map<String, CachedOverlayEntry> batch = new LinkedHashMap<>();
						for (int i = 0; i < 5; i++) {
							String batchPath = "file-" + random.nextInt(20);
							batch.put(batchPath, contentOf(own, batchPath));
						}
						checkNotEvicted(own, this.cache.cacheFiles(own, batch));
					});
					case 10 -> call(thread, "getFiles", () -> this.cache.getFiles(own).forEach((p, entry) -> {
						if (!entry.equals(contentOf(own, p))) {
							this.wrongData.add("getFiles of " + own + " returned a wrong " + p);
						}
					}));
					default -> {
						if (random.nextInt(4) == 0) {
							call(thread, "evict", () -> this.cache.evict(own));
							// Even when the evict failed: it may have been applied before
							// the failure.
							current = UUID.randomUUID();
						}
						else {
							String text = "graph of " + own + " " + (generation++ % 3);
							byte[] graph = text.getBytes(StandardCharsets.UTF_8);
							call(thread, "cacheGraph", () -> checkNotEvicted(own, this.cache.cacheGraph(own, graph)));
						}
					}
				}
			}
			catch (Throwable ex) {
				// A bug of the load itself must not end the thread either.
				this.unexpected.add(ex);
			}
			// Steady, not flat out: leaves the two cores of a CI machine to the servers
			// and the test.
			LockSupport.parkNanos(PAUSE_NANOS);
		}
	}

	private static CachedOverlayEntry contentOf(UUID workspace, String path) {
		return modified(workspace + ":" + path);
	}

	private <T> void check(UUID workspace, String part, Optional<T> actual, T expected) {
		if (actual.isPresent() && !actual.get().equals(expected)) {
			this.wrongData.add(part + " of " + workspace + " was " + actual.get() + " instead of " + expected);
		}
	}

	private void checkNotEvicted(UUID workspace, WriteOutcome outcome) {
		if (outcome == WriteOutcome.EVICTED) {
			this.wrongData.add("a write to " + workspace + ", never evicted, was refused as evicted");
		}
	}

	private void call(int thread, String operation, Runnable body) {
		long start = System.nanoTime();
		Throwable error = null;
		try {
			body.run();
		}
		catch (WorkspaceCacheException ex) {
			error = ex;
		}
		catch (RuntimeException | Error ex) {
			error = ex;
			this.unexpected.add(ex);
		}
		Call call = new Call(operation, start, System.nanoTime(), thread, error);
		this.calls.incrementAndGet();
		this.slowest.accumulateAndGet(call, (a, b) -> (a == null || b.latency().compareTo(a.latency()) > 0) ? b : a);
		if (error != null) {
			this.failures.add(call);
		}
		else {
			this.successes.add(call);
		}
		if (error != null) {
			// Pace a failing thread a little, as a real caller's retry would.
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	long calls() {
		return this.calls.get();
	}

	List<Call> failures() {
		return new ArrayList<>(this.failures);
	}

	List<Call> failuresStartedAfter(long nanos) {
		return this.failures.stream().filter((call) -> call.startNanos() - nanos > 0).toList();
	}

	List<String> wrongData() {
		return new ArrayList<>(this.wrongData);
	}

	List<Throwable> unexpectedErrors() {
		return new ArrayList<>(this.unexpected);
	}

	Call slowest() {
		return this.slowest.get();
	}

	/**
	 * Return the number of successful calls of each worker that started after the given
	 * instant.
	 */
	Map<Integer, Long> successesPerThreadAfter(long nanos) {
		Map<Integer, Long> counts = new LinkedHashMap<>();
		for (int t = 0; t < this.threads; t++) {
			counts.put(t, 0L);
		}
		this.successes.stream()
			.filter((call) -> call.startNanos() - nanos > 0)
			.forEach((call) -> counts.merge(call.thread(), 1L, Long::sum));
		return counts;
	}

}
