package dev.workspacecache.actuate;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceCacheOperation;
import dev.workspacecache.valkey.ServerPing;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WorkspaceCacheHealthIndicator} with stand-in probes: what each outcome
 * reports, and that a hanging server holds the check no longer than the timeout.
 */
class WorkspaceCacheHealthIndicatorTests {

	private static final ServerPing PONG = new ServerPing("valkey", "8.0.1", ServerPing.Topology.STANDALONE,
			Duration.ofNanos(1_500_000));

	@Test
	void withoutAProbeIsUpWithTheMode() {
		Health health = indicator(null, null, null).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsExactlyEntriesOf(Map.of("mode", "valkey"));
	}

	@Test
	void anAnsweredProbeIsUpWithWhatTheServerSaid() {
		Health health = indicator(() -> PONG, Duration.ofSeconds(30), null).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("mode", "valkey")
			.containsEntry("server", "valkey")
			.containsEntry("version", "8.0.1")
			.containsEntry("topology", "standalone")
			.containsEntry("latencyMillis", 1.5);
	}

	@Test
	void aFailedProbeIsDownWithTheErrorAndNeverThrows() {
		WorkspaceCacheException failure = new WorkspaceCacheException(WorkspaceCacheOperation.PING, null,
				"Connection refused: /127.0.0.1:1", null);
		for (Duration timeout : new Duration[] { null, Duration.ofSeconds(30) }) {
			Health health = indicator(() -> {
				throw failure;
			}, timeout, null).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("mode", "valkey");
			assertThat(health.getDetails().get("error")).asString().contains("'ping' failed", "Connection refused");
		}
	}

	@Test
	void aHangingServerIsDownAfterTheTimeoutWithOneCheckRunningAtATime() throws InterruptedException {
		CountDownLatch answer = new CountDownLatch(1);
		AtomicInteger checks = new AtomicInteger();
		WorkspaceCacheHealthIndicator indicator = indicator(() -> {
			checks.incrementAndGet();
			try {
				answer.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return PONG;
		}, Duration.ofMillis(100), null);

		for (int i = 0; i < 3; i++) {
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("error")).asString().contains("did not answer within 100 ms");
		}
		assertThat(checks).hasValue(1);

		answer.countDown();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.UP));
	}

	@Test
	void showsTheCircuitBreakerStateWhenTheCacheHasOne() {
		Health health = indicator(() -> PONG, Duration.ofSeconds(30), () -> Map.of("state", "closed")).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("circuitBreaker", Map.of("state", "closed"));
		assertThat(indicator(() -> PONG, null, null).health().getDetails()).doesNotContainKey("circuitBreaker");
	}

	@Test
	void anOpenCircuitIsDownWithoutAPing() {
		AtomicInteger pings = new AtomicInteger();
		Map<String, Object> open = Map.of("state", "open", "unavailableSince", "2026-12-01T10:15:30Z");
		Health health = indicator(() -> {
			pings.incrementAndGet();
			return PONG;
		}, Duration.ofSeconds(30), () -> open).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("circuitBreaker", open).containsEntry("mode", "valkey");
		assertThat(pings).hasValue(0);
	}

	private static WorkspaceCacheHealthIndicator indicator(Supplier<ServerPing> probe, Duration timeout,
			@Nullable Supplier<Map<String, Object>> circuitBreaker) {
		return new WorkspaceCacheHealthIndicator(new CacheFacts(null, null, Map.of(), probe, timeout, circuitBreaker),
				"valkey");
	}

}
