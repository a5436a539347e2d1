package dev.workspacecache.valkey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceCacheOperation;
import dev.workspacecache.WorkspaceCacheUnavailableException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ServerAvailability}, without a server: calls are suppliers that
 * succeed or throw what Spring Data Redis and Lettuce throw.
 */
class ServerAvailabilityTests {

	private static final Instant NOW = Instant.parse("2026-12-01T10:15:30Z");

	private static final Duration PROBE_INTERVAL = Duration.ofMillis(10);

	private final UUID id = UUID.randomUUID();

	private final AtomicInteger calls = new AtomicInteger();

	private ServerAvailability availability = availability(1);

	@AfterEach
	void stopProbing() {
		this.availability.close();
	}

	@Test
	void failuresToReachTheServerCount() {
		assertThat(ServerAvailability.isUnavailable(new QueryTimeoutException("Redis command timed out"))).isTrue();
		assertThat(ServerAvailability.isUnavailable(new RedisConnectionFailureException("Unable to connect"))).isTrue();
		assertThat(ServerAvailability.isUnavailable(new RedisCommandTimeoutException("Command timed out"))).isTrue();
		assertThat(ServerAvailability.isUnavailable(new RedisConnectionException("Connection refused"))).isTrue();
		assertThat(ServerAvailability.isUnavailable(new RedisSystemException("Error in execution",
				new RedisException("Currently not connected. Commands are rejected."))))
			.isTrue();
		assertThat(ServerAvailability.isUnavailable(new RedisException("Connection closed"))).isTrue();
		assertThat(ServerAvailability.isUnavailable(new RedisException("LOADING Redis is loading the dataset")))
			.isTrue();
		assertThat(ServerAvailability.isUnavailable(new RedisException("CLUSTERDOWN The cluster is down"))).isTrue();
		// As the cache throws them: wrapped, with the backend failure as the cause.
		assertThat(ServerAvailability.isUnavailable(wrapped(new QueryTimeoutException("timed out")))).isTrue();
	}

	@Test
	void errorsTheServerAnsweredWithDoNotCount() {
		assertThat(ServerAvailability.isUnavailable(new RedisSystemException("Error in execution",
				new RedisException("WRONGTYPE Operation against a key holding the wrong kind of value"))))
			.isFalse();
		assertThat(ServerAvailability.isUnavailable(wrapped(
				new RedisSystemException("Error in execution", new RedisException("ERR Error running script")))))
			.isFalse();
		assertThat(ServerAvailability.isUnavailable(new IllegalStateException("bug"))).isFalse();
	}

	@Test
	void oneFailureToReachTheServerMakesTheNextCallsFailFastSayingSinceWhen() {
		assertThatExceptionOfType(WorkspaceCacheException.class)
			.isThrownBy(() -> call(failing(new QueryTimeoutException("Redis command timed out after 2 seconds"))))
			.isNotInstanceOf(WorkspaceCacheUnavailableException.class);
		assertThat(this.availability.isAvailable()).isFalse();
		assertThat(this.availability.getUnavailableSince()).contains(NOW);
		int before = this.calls.get();
		assertThatExceptionOfType(WorkspaceCacheUnavailableException.class).isThrownBy(() -> call(succeeding()))
			.satisfies((ex) -> {
				assertThat(ex.getUnavailableSince()).isEqualTo(NOW);
				assertThat(ex.getOperation()).isEqualTo(WorkspaceCacheOperation.GET_FILE);
				assertThat(ex.getWorkspaceId()).isEqualTo(this.id);
			})
			.withMessageContaining("unavailable since " + NOW)
			.withMessageContaining("Redis command timed out after 2 seconds");
		assertThat(this.calls).as("calls that reached the server while failing fast").hasValue(before);
	}

	@Test
	void errorsTheServerAnsweredWithNeverMakeCallsFailFast() {
		for (int i = 0; i < 5; i++) {
			assertThatExceptionOfType(WorkspaceCacheException.class).isThrownBy(() -> call(failing(
					new RedisSystemException("Error in execution", new RedisException("WRONGTYPE wrong kind")))));
		}
		assertThat(this.availability.isAvailable()).isTrue();
		assertThat(call(succeeding())).isEqualTo("value");
	}

	@Test
	void consecutiveFailuresAreWhatCounts() {
		this.availability.close();
		this.availability = availability(3);
		Supplier<String> timeout = failing(new QueryTimeoutException("timed out"));
		assertThatExceptionOfType(WorkspaceCacheException.class).isThrownBy(() -> call(timeout));
		assertThatExceptionOfType(WorkspaceCacheException.class).isThrownBy(() -> call(timeout));
		assertThat(call(succeeding())).isEqualTo("value");
		assertThatExceptionOfType(WorkspaceCacheException.class).isThrownBy(() -> call(timeout));
		assertThatExceptionOfType(WorkspaceCacheException.class).isThrownBy(() -> call(timeout));
		assertThat(this.availability.isAvailable()).as("after two failures in a row").isTrue();
		assertThatExceptionOfType(WorkspaceCacheException.class).isThrownBy(() -> call(timeout))
			.isNotInstanceOf(WorkspaceCacheUnavailableException.class);
		assertThat(this.availability.isAvailable()).as("after three failures in a row").isFalse();
	}

	@Test
	void aSuccessfulProbeLetsCallsThrough() {
		AtomicBoolean serverUp = new AtomicBoolean();
		AtomicInteger probes = new AtomicInteger();
		this.availability.probeWith(() -> {
			probes.incrementAndGet();
			if (!serverUp.get()) {
				throw new RedisConnectionFailureException("Connection refused");
			}
		});
		assertThatExceptionOfType(WorkspaceCacheException.class)
			.isThrownBy(() -> call(failing(new RedisConnectionFailureException("Connection refused"))));
		await().untilAsserted(() -> assertThat(probes).hasValueGreaterThanOrEqualTo(3));
		assertThat(this.availability.isAvailable()).as("while probes fail").isFalse();
		assertThatExceptionOfType(WorkspaceCacheUnavailableException.class).isThrownBy(() -> call(succeeding()));
		serverUp.set(true);
		await().until(this.availability::isAvailable);
		assertThat(this.availability.getUnavailableSince()).isEmpty();
		assertThat(call(succeeding())).isEqualTo("value");
	}

	@Test
	void theCircuitNeverHalfOpensByItselfSoNoCallerProbesASilentServer() {
		assertThatExceptionOfType(WorkspaceCacheException.class)
			.isThrownBy(() -> call(failing(new QueryTimeoutException("timed out"))));
		// Without a probe, nothing may close it, however many calls come.
		for (int i = 0; i < 100; i++) {
			assertThatExceptionOfType(WorkspaceCacheUnavailableException.class).isThrownBy(() -> call(succeeding()));
		}
		assertThat(this.availability.getCircuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(this.calls).hasValue(1);
	}

	@Test
	void closingStopsProbing() {
		AtomicInteger probes = new AtomicInteger();
		this.availability.probeWith(() -> {
			probes.incrementAndGet();
			throw new RedisConnectionFailureException("Connection refused");
		});
		assertThatExceptionOfType(WorkspaceCacheException.class)
			.isThrownBy(() -> call(failing(new RedisConnectionFailureException("Connection refused"))));
		await().untilAsserted(() -> assertThat(probes).hasValueGreaterThan(0));
		assertThat(this.availability.isProbing()).isTrue();
		this.availability.close();
		assertThat(this.availability.isProbing()).as("probing once close() returned").isFalse();
	}

	@Test
	void invalidSettingsAreRejectedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ServerAvailability(0, PROBE_INTERVAL))
			.withMessage("consecutiveFailures must be at least 1 but was 0");
		assertThatIllegalArgumentException().isThrownBy(() -> new ServerAvailability(1, Duration.ZERO))
			.withMessage("probeInterval must be positive but was PT0S");
	}

	private ServerAvailability availability(int consecutiveFailures) {
		return new ServerAvailability(consecutiveFailures, PROBE_INTERVAL, Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private String call(Supplier<String> call) {
		return this.availability.call(WorkspaceCacheOperation.GET_FILE, this.id, () -> {
			this.calls.incrementAndGet();
			return call.get();
		});
	}

	private Supplier<String> succeeding() {
		return () -> "value";
	}

	/**
	 * A call that fails as the cache's calls do: the backend failure wrapped in a
	 * {@link WorkspaceCacheException}.
	 */
	private Supplier<String> failing(RuntimeException failure) {
		return () -> {
			throw wrapped(failure);
		};
	}

	private WorkspaceCacheException wrapped(RuntimeException failure) {
		return new WorkspaceCacheException(WorkspaceCacheOperation.GET_FILE, this.id, "failed", failure);
	}

}
