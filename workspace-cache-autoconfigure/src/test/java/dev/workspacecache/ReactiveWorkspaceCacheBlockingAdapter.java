package dev.workspacecache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The {@link WorkspaceCache} contract over a {@link ReactiveWorkspaceCache}, so that the
 * contract suite ({@link WorkspaceCacheContractTests}) runs against the reactive caches
 * too and the two APIs cannot drift apart.
 * <p>
 * Every operation is subscribed to on Reactor's parallel scheduler, a non-blocking
 * thread, and awaited ({@code block()}) on the calling test thread. BlockHound watches
 * the non-blocking threads (Reactor's, and the Netty event loops on which Lettuce
 * completes replies) while an operation runs: a blocking call there (a lock that parks, a
 * sleep, file or socket I/O) fails the operation, and is reported by
 * {@link #blockingCalls()} even if a library swallowed the error. Outside operations,
 * BlockHound only records, so that tests of the blocking caches in the same JVM are not
 * affected.
 */
public final class ReactiveWorkspaceCacheBlockingAdapter implements WorkspaceCache {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final AtomicInteger operationsRunning = new AtomicInteger();

	private static final List<String> blockingCalls = new CopyOnWriteArrayList<>();

	static {
		// Lettuce guards its command queue with a lock whose holders only update a
		// counter: two threads writing commands at once may park on it for that long.
		// Resilience4j's count-based window, where a fail-fast reactive call records how
		// it ended, is the same: a lock held for a counter update. Neither is a wait for
		// I/O; both are left allowed, as applications that use BlockHound with them must
		// (BlockHound's error thrown from inside a lock would corrupt it).
		BlockHound.install(
				(builder) -> builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters")
					.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "decrementWriters")
					.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive")
					.allowBlockingCallsInside("io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics",
							"record")
					.blockingMethodCallback((method) -> {
						if (operationsRunning.get() > 0) {
							blockingCalls.add(method + " on " + Thread.currentThread().getName() + " at "
									+ StackWalker.getInstance()
										.walk((frames) -> frames.skip(3).limit(25).map(Object::toString).toList()));
							throw new BlockingOperationError(method);
						}
					}));
	}

	private final ReactiveWorkspaceCache cache;

	public ReactiveWorkspaceCacheBlockingAdapter(ReactiveWorkspaceCache cache) {
		this.cache = cache;
	}

	/**
	 * Return the blocking calls BlockHound caught on non-blocking threads during an
	 * operation of any adapter, since the JVM started.
	 * @return the calls, described
	 */
	public static List<String> blockingCalls() {
		return List.copyOf(blockingCalls);
	}

	/**
	 * Forget the blocking calls caught so far: for a test that makes one on purpose.
	 */
	static void forgetBlockingCalls() {
		blockingCalls.clear();
	}

	public ReactiveWorkspaceCache reactive() {
		return this.cache;
	}

	private <T> Optional<T> await(Mono<T> operation) {
		operationsRunning.incrementAndGet();
		try {
			return operation.subscribeOn(Schedulers.parallel()).blockOptional(TIMEOUT);
		}
		finally {
			operationsRunning.decrementAndGet();
		}
	}

	private <T> T awaitValue(Mono<T> operation) {
		return await(operation).orElseThrow(() -> new AssertionError("completed empty"));
	}

	@Override
	public long getMaxEntrySize() {
		return this.cache.getMaxEntrySize();
	}

	@Override
	public WriteOutcome cacheWorkspace(UUID id, WorkspaceSnapshot snapshot) {
		return awaitValue(this.cache.cacheWorkspace(id, snapshot));
	}

	@Override
	public Optional<WorkspaceSnapshot> getWorkspace(UUID id) {
		return await(this.cache.getWorkspace(id));
	}

	@Override
	public WriteOutcome cacheFile(UUID workspaceId, String path, CachedOverlayEntry entry) {
		return awaitValue(this.cache.cacheFile(workspaceId, path, entry));
	}

	@Override
	public Optional<CachedOverlayEntry> getFile(UUID workspaceId, String path) {
		return await(this.cache.getFile(workspaceId, path));
	}

	@Override
	public List<String> listFiles(UUID workspaceId) {
		return awaitValue(this.cache.listFiles(workspaceId));
	}

	@Override
	public WriteOutcome cacheGraph(UUID workspaceId, byte[] graphData) {
		return awaitValue(this.cache.cacheGraph(workspaceId, graphData));
	}

	@Override
	public Optional<byte[]> getGraph(UUID workspaceId) {
		return await(this.cache.getGraph(workspaceId));
	}

	@Override
	public void evict(UUID id) {
		await(this.cache.evict(id));
	}

	@Override
	public WriteOutcome touch(UUID id) {
		return awaitValue(this.cache.touch(id));
	}

	@Override
	public Map<String, CachedOverlayEntry> getFiles(UUID workspaceId) {
		return awaitValue(this.cache.getFiles(workspaceId));
	}

	@Override
	public WriteOutcome cacheFiles(UUID workspaceId, Map<String, CachedOverlayEntry> entries) {
		return awaitValue(this.cache.cacheFiles(workspaceId, entries));
	}

	@Override
	public Optional<CachedWorkspace> recover(UUID id) {
		return await(this.cache.recover(id));
	}

	@Override
	public WriteOutcome cacheAll(UUID id, CachedWorkspace workspace) {
		return awaitValue(this.cache.cacheAll(id, workspace));
	}

	@Override
	public ConditionalWriteResult writeIfVersion(UUID id, long expectedVersion, WorkspaceWrite write) {
		return awaitValue(this.cache.writeIfVersion(id, expectedVersion, write));
	}

	@Override
	public Optional<WorkspaceDescription> describe(UUID id) {
		return await(this.cache.describe(id));
	}

	@Override
	public String toString() {
		return "ReactiveWorkspaceCacheBlockingAdapter[" + this.cache + "]";
	}

}
