package dev.workspacecache.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceCacheUnavailableException;
import dev.workspacecache.WriteOutcome;
import dev.workspacecache.actuate.WorkspaceCacheHealthIndicator;
import dev.workspacecache.testsupport.RedisInspector;
import dev.workspacecache.testsupport.RedisServer;
import dev.workspacecache.valkey.ReactiveValkeyCache;
import dev.workspacecache.valkey.ServerAvailability;
import dev.workspacecache.valkey.ValkeyCache;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests of fail-fast for the reactive cache against a real server that goes
 * away: killed and restarted empty on its port, or stopped ({@code SIGSTOP}) and
 * continued. The caches are those the auto-configuration builds over Spring Boot's
 * Lettuce client, with the default fail-fast settings: a {@link ValkeyCache} and its
 * reactive side, one circuit for both.
 */
class ReactiveFailFastIntegrationTests {

	/** The command timeout; a stopped server is detected after one. */
	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	/**
	 * How long a call may take while failing fast: a twentieth of the command timeout,
	 * which a call that waited for the server would take. A generous bound for a loaded
	 * machine; calls take microseconds (printed).
	 */
	private static final Duration FAIL_FAST_BOUND = TIMEOUT.dividedBy(20);

	private static final Duration BACK_WITHIN = Duration.ofSeconds(10);

	/** A hang guard for any one call, never reached by a passing test. */
	private static final Duration HANG_GUARD = TIMEOUT.multipliedBy(3);

	private RedisServer server;

	private final UUID id = UUID.randomUUID();

	@BeforeEach
	void startServer() {
		this.server = RedisServer.start();
	}

	@AfterEach
	void stopServer() {
		if (this.server.isRunning()) {
			// A suspended process ignores SIGTERM until it runs again.
			this.server.resume();
		}
		this.server.close();
	}

	@Test
	void aKilledServerMakesReactiveCallsFailFastAndTheProbeTheyStartedLetsThemServeOnceItIsBack() {
		run((caches) -> {
			int port = this.server.port();
			this.server.kill();
			// Only reactive calls from here to the restart: the circuit they open and
			// the probe that closes it are the blocking cache's too.
			awaitFailingFast(caches.reactive());
			assertReactiveCallsFailFast(caches.reactive(), caches.availability());
			assertThatExceptionOfType(WorkspaceCacheUnavailableException.class)
				.isThrownBy(() -> caches.blocking().getFile(this.id, "src/a.rs"));
			assertThat(caches.health().health().getStatus()).isEqualTo(Status.DOWN);
			this.server.close();
			this.server = RedisServer.builder().port(port).start();
			await("the probe closing the circuit").atMost(BACK_WITHIN).until(caches.availability()::isAvailable);
			// Restarted empty: the cache says so, and the pod that holds the session
			// writes it back.
			assertThat(caches.reactive().cacheFile(this.id, "src/b.rs", modified("b")).block(HANG_GUARD))
				.isEqualTo(WriteOutcome.MISSING);
			assertThat(caches.availability().getUnavailableSince()).isEmpty();
			assertThat(caches.health().health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void aBlockingCallThatFindsTheServerGoneMakesReactiveCallsFailFastToo() {
		run((caches) -> {
			this.server.kill();
			await("blocking calls failing fast").atMost(TIMEOUT.multipliedBy(4)).until(() -> {
				try {
					caches.blocking().getFile(this.id, "src/a.rs");
					return false;
				}
				catch (WorkspaceCacheUnavailableException ex) {
					return true;
				}
				catch (WorkspaceCacheException ex) {
					return false;
				}
			});
			// The first reactive call already fails fast: no reactive call ever reached
			// the dead server.
			assertReactiveCallsFailFast(caches.reactive(), caches.availability());
		});
	}

	@Test
	void aStoppedServerMakesReactiveCallsFailFastAfterOneTimeoutAndServeAgainOnceContinued() {
		run((caches) -> {
			this.server.suspend();
			// The first call waits for its timeout (Lettuce's command timeout applies to
			// reactive commands too): a silent server looks like a slow one until then.
			long start = System.nanoTime();
			assertThatExceptionOfType(WorkspaceCacheException.class)
				.isThrownBy(() -> caches.reactive().getFile(this.id, "src/a.rs").block(HANG_GUARD))
				.isNotInstanceOf(WorkspaceCacheUnavailableException.class);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(TIMEOUT.minusMillis(100));
			assertReactiveCallsFailFast(caches.reactive(), caches.availability());
			this.server.resume();
			await("the probe closing the circuit").atMost(BACK_WITHIN).until(caches.availability()::isAvailable);
			// Nothing was lost: the server kept its data.
			assertThat(caches.reactive().recover(this.id).block(HANG_GUARD)).isNotNull()
				.satisfies((workspace) -> assertThat(workspace.files()).containsOnlyKeys("src/a.rs"));
			assertThat(caches.reactive().cacheFile(this.id, "src/b.rs", modified("b")).block(HANG_GUARD))
				.isEqualTo(WriteOutcome.PRESENT);
		});
	}

	@Test
	void aCallCancelledWhileTheServerDoesNotAnswerIsNotCounted() {
		run((caches) -> {
			AtomicInteger counted = new AtomicInteger();
			caches.availability()
				.getCircuitBreaker()
				.getEventPublisher()
				.onSuccess((event) -> counted.incrementAndGet())
				.onError((event) -> counted.incrementAndGet());
			try (RedisInspector control = new RedisInspector(this.server)) {
				// Every client waits: the reply comes after the subscriber gave up.
				assertThat(control.sync().clientPause(1_000)).isEqualTo("OK");
				assertThatExceptionOfType(RuntimeException.class)
					.isThrownBy(() -> caches.reactive()
						.getFile(this.id, "src/a.rs")
						.timeout(Duration.ofMillis(100))
						.block(HANG_GUARD))
					.withCauseInstanceOf(TimeoutException.class);
			}
			assertThat(counted).as("calls counted").hasValue(0);
			assertThat(caches.availability().isAvailable()).isTrue();
			// The next call, answered once the pause ends, is counted.
			assertThat(caches.reactive().getFile(this.id, "src/a.rs").block(HANG_GUARD)).isEqualTo(modified("a"));
			assertThat(counted).as("calls counted").hasValue(1);
			assertThat(caches.availability().getCircuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
		});
	}

	// The first calls after the kill may still fail one by one while Lettuce notices the
	// lost connection; from then on they fail fast.
	private void awaitFailingFast(ReactiveValkeyCache reactive) {
		await("reactive calls failing fast").atMost(TIMEOUT.multipliedBy(4)).until(() -> {
			try {
				reactive.getFile(this.id, "src/a.rs").block(HANG_GUARD);
				return false;
			}
			catch (WorkspaceCacheUnavailableException ex) {
				return true;
			}
			catch (WorkspaceCacheException ex) {
				return false;
			}
		});
	}

	private void assertReactiveCallsFailFast(ReactiveValkeyCache reactive, ServerAvailability availability) {
		assertThat(availability.isAvailable()).isFalse();
		String since = "unavailable since " + availability.getUnavailableSince().orElseThrow();
		List<Long> nanos = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			long start = System.nanoTime();
			Throwable failure = null;
			try {
				reactive.cacheFile(this.id, "src/c.rs", modified("c")).block(HANG_GUARD);
			}
			catch (RuntimeException ex) {
				failure = ex;
			}
			nanos.add(System.nanoTime() - start);
			assertThat(failure).isInstanceOf(WorkspaceCacheUnavailableException.class).hasMessageContaining(since);
		}
		Collections.sort(nanos);
		// The figures the README quotes, from this machine's run.
		System.out.printf("REACTIVE FAIL-FAST %s: %d calls, median %.1f us, p99 %.1f us, max %.1f us%n",
				this.server.flavour(), nanos.size(), nanos.get(nanos.size() / 2) / 1_000.0,
				nanos.get(nanos.size() * 99 / 100) / 1_000.0, nanos.get(nanos.size() - 1) / 1_000.0);
		assertThat(Duration.ofNanos(nanos.get(nanos.size() - 1))).isLessThan(FAIL_FAST_BOUND);
	}

	private void run(OutageScenario scenario) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					WorkspaceCacheAutoConfiguration.class, ReactiveWorkspaceCacheAutoConfiguration.class,
					WorkspaceCacheHealthContributorAutoConfiguration.class))
			.withPropertyValues("workspace.cache.mode=valkey", "spring.data.redis.host=" + this.server.host(),
					"spring.data.redis.port=" + this.server.port(), "spring.data.redis.timeout=" + TIMEOUT.toMillis())
			.run((context) -> runIn(context, scenario));
	}

	private void runIn(AssertableApplicationContext context, OutageScenario scenario) {
		assertThat(context).hasNotFailed();
		Caches caches = new Caches(context.getBean(ValkeyCache.class), context.getBean(ReactiveValkeyCache.class),
				context.getBean(ServerAvailability.class), context.getBean(WorkspaceCacheHealthIndicator.class));
		CachedWorkspace workspace = CachedWorkspace.of(snapshot(this.id), Map.of("src/a.rs", modified("a")), null);
		assertThat(caches.reactive().cacheAll(this.id, workspace).block(HANG_GUARD)).isEqualTo(WriteOutcome.MISSING);
		assertThat(caches.health().health().getStatus()).isEqualTo(Status.UP);
		scenario.run(caches);
	}

	private record Caches(ValkeyCache blocking, ReactiveValkeyCache reactive, ServerAvailability availability,
			WorkspaceCacheHealthIndicator health) {

	}

	@FunctionalInterface
	private interface OutageScenario {

		void run(Caches caches);

	}

}
