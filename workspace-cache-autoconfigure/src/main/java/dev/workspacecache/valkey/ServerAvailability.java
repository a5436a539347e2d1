package dev.workspacecache.valkey;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.workspacecache.WorkspaceCacheOperation;
import dev.workspacecache.WorkspaceCacheUnavailableException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * Makes a {@link ValkeyCache} fail fast while its server is unavailable, so that an
 * outage of the cache costs each caller microseconds rather than a command timeout; and
 * with it the {@link ReactiveValkeyCache} made of it ({@link ReactiveValkeyCache#of}):
 * one server, one circuit, whichever API called.
 * <p>
 * A Resilience4j {@link CircuitBreaker} counts the caches' calls: the blocking cache's
 * through {@link CircuitBreaker#executeSupplier}, the reactive cache's through
 * Resilience4j's Reactor operator, which takes a permission when a {@code Mono} is
 * subscribed to and records how it ended (a cancelled one is not counted), on the
 * client's I/O thread. Recording takes Resilience4j's window lock for a counter update
 * only: two threads recording at once may contend on it for that long, as they may on
 * Lettuce's command-queue lock. Only failures that say the server cannot be reached count
 * against it: a refused or lost connection, a command rejected while disconnected, a
 * timeout, a cluster or server that is down or loading. Errors of the command itself (a
 * wrong type, a script error) prove the server answered and count as successes. After the
 * configured number of consecutive such failures the circuit opens: each call then throws
 * {@link WorkspaceCacheUnavailableException} at once (a reactive call: signals it),
 * saying since when. A refusal is detected as soon as it happens, a silent server (a
 * stopped process, a network partition) after one command timeout.
 * <p>
 * The circuit does not let callers probe the server: a probe against a silent server
 * would hold the request that made it for a whole command timeout. Instead, while the
 * circuit is open, one background thread pings the server (over the cache's own
 * connection), waiting the probe interval between attempts, and closes the circuit as
 * soon as a ping succeeds.
 * <p>
 * Thread-safe. {@link #close()} stops the probe thread.
 */
public final class ServerAvailability implements AutoCloseable {

	/** The name of the circuit breaker, for Resilience4j's metrics and events. */
	public static final String CIRCUIT_BREAKER_NAME = "workspaceCache";

	static final String PROBE_THREAD_NAME = "workspace-cache-probe";

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(ServerAvailability.class);

	/**
	 * Long enough that the circuit never half-opens by itself: only a successful probe
	 * closes it (see the class comment).
	 */
	private static final Duration NEVER = Duration.ofDays(365);

	private final CircuitBreaker circuitBreaker;

	private final Duration probeInterval;

	private final Clock clock;

	private final AtomicBoolean probing = new AtomicBoolean();

	private volatile @Nullable Runnable probe;

	private volatile @Nullable Instant unavailableSince;

	private volatile String lastFailure = "no failure recorded";

	private volatile boolean closed;

	private volatile @Nullable Thread prober;

	/**
	 * Create the fail-fast guard of a cache.
	 * @param consecutiveFailures how many calls in a row must fail to reach the server
	 * before calls fail fast; at least 1
	 * @param probeInterval how long the probe waits between two pings while the server is
	 * unavailable; positive
	 */
	public ServerAvailability(int consecutiveFailures, Duration probeInterval) {
		this(consecutiveFailures, probeInterval, Clock.systemUTC());
	}

	ServerAvailability(int consecutiveFailures, Duration probeInterval, Clock clock) {
		if (consecutiveFailures < 1) {
			throw new IllegalArgumentException("consecutiveFailures must be at least 1 but was " + consecutiveFailures);
		}
		Objects.requireNonNull(probeInterval, "probeInterval must not be null");
		if (probeInterval.isNegative() || probeInterval.isZero()) {
			throw new IllegalArgumentException("probeInterval must be positive but was " + probeInterval);
		}
		this.probeInterval = probeInterval;
		this.clock = clock;
		// Every one of the last n calls failed: the rate over a window of n, once n calls
		// are in it, is 100%.
		CircuitBreakerConfig config = CircuitBreakerConfig.custom()
			// The synchronized window (a lock held for a counter update), not the
			// lock-free one: in Resilience4j 2.4.0, with a window of one call (the
			// default here), that one loses its head on the first call and throws a
			// NullPointerException on every later one.
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(consecutiveFailures)
			.minimumNumberOfCalls(consecutiveFailures)
			.failureRateThreshold(100)
			.recordException(ServerAvailability::isUnavailable)
			.waitDurationInOpenState(NEVER)
			.automaticTransitionFromOpenToHalfOpenEnabled(false)
			// A refusal becomes a WorkspaceCacheUnavailableException with its own stack
			// trace: Resilience4j's exception would fill one for nothing.
			.writableStackTraceEnabled(false)
			.build();
		this.circuitBreaker = CircuitBreaker.of(CIRCUIT_BREAKER_NAME, config);
		this.circuitBreaker.getEventPublisher()
			.onError((event) -> this.lastFailure = CredentialMasking.rootCauseMessage(event.getThrowable()))
			.onStateTransition((event) -> {
				if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
					opened();
				}
				else if (event.getStateTransition().getToState() == CircuitBreaker.State.CLOSED) {
					this.unavailableSince = null;
				}
			});
	}

	/**
	 * Return the circuit breaker, for its state, metrics (Resilience4j's Micrometer
	 * binders) and events.
	 * @return the circuit breaker named {@value #CIRCUIT_BREAKER_NAME}
	 */
	public CircuitBreaker getCircuitBreaker() {
		return this.circuitBreaker;
	}

	/**
	 * Return whether calls reach the server, as far as the cache knows.
	 * @return {@code false} while calls fail fast
	 */
	public boolean isAvailable() {
		return this.circuitBreaker.getState() != CircuitBreaker.State.OPEN;
	}

	/**
	 * Return since when calls fail fast.
	 * @return the instant the circuit opened, or empty while calls reach the server
	 */
	public Optional<Instant> getUnavailableSince() {
		return Optional.ofNullable(this.unavailableSince);
	}

	/**
	 * Set what pings the server while it is unavailable; the cache sets it to a
	 * {@code PING} over its own connection.
	 * @param probe throws when the server cannot be reached
	 */
	void probeWith(Runnable probe) {
		this.probe = probe;
	}

	/**
	 * Make one call to the server unless it is known to be unavailable.
	 * @param <T> what the call returns
	 * @param operation the cache operation, for the exception
	 * @param id the workspace, for the exception
	 * @param call the call
	 * @return what the call returned
	 * @throws WorkspaceCacheUnavailableException if calls fail fast
	 */
	<T> T call(WorkspaceCacheOperation operation, @Nullable UUID id, Supplier<T> call) {
		try {
			return this.circuitBreaker.executeSupplier(call);
		}
		catch (CallNotPermittedException ex) {
			throw unavailable(operation, id);
		}
	}

	/**
	 * Return what a call refused while the circuit is open fails with.
	 * @param operation the cache operation
	 * @param id the workspace
	 * @return the exception, saying since when and why
	 */
	WorkspaceCacheUnavailableException unavailable(WorkspaceCacheOperation operation, @Nullable UUID id) {
		Instant since = this.unavailableSince;
		return new WorkspaceCacheUnavailableException(operation, id, (since != null) ? since : this.clock.instant(),
				this.lastFailure);
	}

	// On the thread of the call that opened the circuit, for a reactive call an I/O
	// thread: the warning is logged by the probe thread.
	private void opened() {
		this.unavailableSince = this.clock.instant();
		if (!startProbing()) {
			logUnavailable();
		}
	}

	private void logUnavailable() {
		logger.warn("Workspace cache server unavailable (" + this.lastFailure + "): calls fail fast until a probe "
				+ "reaches it again, every " + this.probeInterval.toMillis() + "ms");
	}

	// Whether a probe is running, started now or before.
	private boolean startProbing() {
		if (this.probe == null || this.closed) {
			return false;
		}
		if (this.probing.compareAndSet(false, true)) {
			Thread thread = new Thread(this::probeUntilAvailable, PROBE_THREAD_NAME);
			thread.setDaemon(true);
			this.prober = thread;
			thread.start();
		}
		return true;
	}

	private void probeUntilAvailable() {
		if (this.circuitBreaker.getState() == CircuitBreaker.State.OPEN) {
			logUnavailable();
		}
		try {
			while (!this.closed && this.circuitBreaker.getState() == CircuitBreaker.State.OPEN) {
				if (probeOnce()) {
					Instant since = this.unavailableSince;
					this.circuitBreaker.transitionToClosedState();
					logger.info("Workspace cache server reachable again"
							+ ((since != null)
									? " after " + Duration.between(since, this.clock.instant()).toMillis() + "ms" : "")
							+ ": calls reach it again");
					return;
				}
				// Pacing a background loop, not waiting for a condition.
				Thread.sleep(this.probeInterval.toMillis());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.probing.set(false);
			// A failure that reopened the circuit while this loop was ending would
			// otherwise find no probe running.
			if (!this.closed && this.circuitBreaker.getState() == CircuitBreaker.State.OPEN) {
				startProbing();
			}
		}
	}

	private boolean probeOnce() {
		Runnable probe = this.probe;
		if (probe == null) {
			return false;
		}
		try {
			probe.run();
			return true;
		}
		catch (RuntimeException ex) {
			this.lastFailure = CredentialMasking.rootCauseMessage(ex);
			return false;
		}
	}

	boolean isProbing() {
		Thread prober = this.prober;
		return prober != null && prober.isAlive();
	}

	/**
	 * Stop probing, and wait for the probe thread to end. The circuit keeps its state.
	 */
	@Override
	public void close() {
		this.closed = true;
		Thread prober = this.prober;
		if (prober != null) {
			prober.interrupt();
			try {
				prober.join(CLOSE_TIMEOUT.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Return whether a failure says the server could not be reached, rather than that it
	 * answered with an error.
	 * @param failure the failure of a call
	 * @return whether it counts against the server's availability
	 */
	static boolean isUnavailable(Throwable failure) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof QueryTimeoutException || candidate instanceof RedisConnectionFailureException
					|| candidate instanceof IOException
					|| candidate instanceof io.lettuce.core.RedisCommandTimeoutException
					|| candidate instanceof io.lettuce.core.RedisConnectionException) {
				return true;
			}
			String message = candidate.getMessage();
			if (message != null && isUnavailableReply(message)) {
				return true;
			}
			if (candidate.getCause() == candidate) {
				break;
			}
		}
		return false;
	}

	private static boolean isUnavailableReply(String message) {
		// Lettuce's words for a connection that is gone, and the server's for a node that
		// cannot serve yet.
		return message.startsWith("Currently not connected") || message.startsWith("Connection closed")
				|| message.startsWith("Connection reset") || message.startsWith("CLUSTERDOWN")
				|| message.startsWith("LOADING") || message.startsWith("MASTERDOWN");
	}

}
