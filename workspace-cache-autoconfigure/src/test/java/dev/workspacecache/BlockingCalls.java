package dev.workspacecache;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;

/**
 * The blocking calls that BlockHound caught on non-blocking threads (Reactor's
 * schedulers, the Netty event loops on which Lettuce completes replies and Reactor Netty
 * serves requests) while a test watched for them.
 * <p>
 * BlockHound is installed once per JVM, and only the first installation counts: every
 * test that checks reactive code for blocking calls watches through this class, so that
 * all of them get the same one, whichever runs first (failsafe runs every integration
 * test in one JVM). While no watch is open, BlockHound lets every call through, so that
 * tests of the blocking caches in the same JVM are not affected.
 */
public final class BlockingCalls {

	private static final AtomicInteger failingWatches = new AtomicInteger();

	private static final AtomicInteger recordingWatches = new AtomicInteger();

	private static final List<String> caught = new CopyOnWriteArrayList<>();

	static {
		// Lettuce guards its command queue with a lock whose holders only update a
		// counter: two threads writing commands at once may park on it for that long.
		// Not a wait for I/O, and left allowed, as applications that use BlockHound with
		// Lettuce must (BlockHound's error thrown from inside the lock would corrupt it).
		// Resilience4j's count-based window, where a fail-fast reactive call records how
		// it ended, is the same: a lock held for a counter update.
		// A random UUID reads a few bytes of /dev/urandom now and then, which never
		// waits once the system has booted: a WebFlux application names what it creates
		// on the event loop.
		BlockHound.install((builder) -> builder
			.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters")
			.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "decrementWriters")
			.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive")
			.allowBlockingCallsInside("io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics", "record")
			.allowBlockingCallsInside("java.util.UUID", "randomUUID")
			.blockingMethodCallback((method) -> {
				if (failingWatches.get() > 0 || recordingWatches.get() > 0) {
					caught.add(method + " on " + Thread.currentThread().getName() + " at " + StackWalker.getInstance()
						.walk((frames) -> frames.skip(3).limit(25).map(Object::toString).toList()));
				}
				if (failingWatches.get() > 0) {
					throw new BlockingOperationError(method);
				}
			}));
	}

	private BlockingCalls() {
	}

	/**
	 * Watch for blocking calls and fail them: until the watch is closed, a blocking call
	 * on a non-blocking thread throws {@link BlockingOperationError} there, and is
	 * recorded. For a test that awaits each operation, which then fails.
	 * @return the watch, to close when the operation is over
	 */
	public static Watch failing() {
		failingWatches.incrementAndGet();
		return failingWatches::decrementAndGet;
	}

	/**
	 * Watch for blocking calls and only record them: for a test of running applications,
	 * whose I/O threads an error thrown into a library's code (a reconnect, a log line)
	 * could leave in a state that hides the call behind other failures. The test asserts
	 * {@link #caught()} instead.
	 * @return the watch, to close when the test is over
	 */
	public static Watch recording() {
		recordingWatches.incrementAndGet();
		return recordingWatches::decrementAndGet;
	}

	/**
	 * Return the blocking calls caught on non-blocking threads while a watch was open,
	 * since the JVM started or they were last {@link #forget() forgotten}.
	 * @return the calls, described with their thread and stack
	 */
	public static List<String> caught() {
		return List.copyOf(caught);
	}

	/**
	 * Forget the blocking calls caught so far: for a test that makes one on purpose.
	 */
	public static void forget() {
		caught.clear();
	}

	/**
	 * An open watch for blocking calls.
	 */
	@FunctionalInterface
	public interface Watch extends AutoCloseable {

		/**
		 * Stop watching.
		 */
		@Override
		void close();

	}

}
