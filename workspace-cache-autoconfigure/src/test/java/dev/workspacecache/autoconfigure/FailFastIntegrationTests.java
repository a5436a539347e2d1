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
 * Integration tests of fail-fast against a real server that goes away: killed and
 * restarted empty on its port, or stopped ({@code SIGSTOP}) and continued. The caches are
 * those the auto-configuration builds over Spring Boot's Lettuce client, with its default
 * fail-fast settings: the {@link ValkeyCache} and its reactive side, one circuit for
 * both, whichever API calls.
 */
class FailFastIntegrationTests {

	/** The command timeout; a stopped server is detected after one. */
	private static final Duration TIMEOUT = Duration.ofMillis(500);

	/**
	 * The command timeout of the tests that time reactive calls failing fast: long enough
	 * that a twentieth of it, their bound, leaves room for a loaded machine.
	 */
	private static final Duration LONG_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * How long a call may take while failing fast: a twentieth of the command timeout,
	 * which a call that waited for the server would take. Calls take a fraction of a
	 * millisecond (printed).
	 */
	private static final Duration FAIL_FAST_BOUND = LONG_TIMEOUT.dividedBy(20);

	private static final Duration BACK_WITHIN = Duration.ofSeconds(10);

	/** A hang guard for any one reactive call, never reached by a passing test. */
	private static final Duration HANG_GUARD = LONG_TIMEOUT.multipliedBy(3);

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
	void aKilledServerMakesCallsFailFastAndARestartedOneServesAgain() {
		run(TIMEOUT, (caches) -> {
			int port = this.server.port();
			this.server.kill();
			awaitFailingFast(() -> caches.blocking().getFile(this.id, "src/a.rs"), TIMEOUT);
			assertFailingFast(caches);
			this.server.close();
			this.server = RedisServer.builder().port(port).start();
			await("the cache serving again").atMost(BACK_WITHIN).until(caches.availability()::isAvailable);
			// Restarted empty: the cache says so, and the pod that holds the session
			// writes it back.
			assertThat(caches.blocking().cacheFile(this.id, "src/b.rs", modified("b"))).isEqualTo(WriteOutcome.MISSING);
			assertThat(caches.availability().getUnavailableSince()).isEmpty();
		});
	}

	@Test
	void aStoppedServerMakesCallsFailFastAfterOneTimeoutAndServesAgainOnceContinued() {
		run(TIMEOUT, (caches) -> {
			this.server.suspend();
			// The first call waits for its timeout: a silent server looks like a slow one
			// until then.
			assertThatExceptionOfType(WorkspaceCacheException.class)
				.isThrownBy(() -> caches.blocking().getFile(this.id, "src/a.rs"))
				.isNotInstanceOf(WorkspaceCacheUnavailableException.class);
			assertFailingFast(caches);
			this.server.resume();
			await("the cache serving again").atMost(BACK_WITHIN).until(caches.availability()::isAvailable);
			// Nothing was lost: the server kept its data.
			assertThat(caches.blocking().recover(this.id))
				.hasValueSatisfying((workspace) -> assertThat(workspace.files()).containsOnlyKeys("src/a.rs"));
			assertThat(caches.blocking().cacheFile(this.id, "src/b.rs", modified("b"))).isEqualTo(WriteOutcome.PRESENT);
		});
	}

	@Test
	void aKilledServerMakesReactiveCallsFailFastAndTheProbeTheyStartedLetsThemServeOnceItIsBack() {
		run(LONG_TIMEOUT, (caches) -> {
			int port = this.server.port();
			this.server.kill();
			// Only reactive calls from here to the restart: the circuit they open and
			// the probe that closes it are the blocking cache's too.
			awaitFailingFast(() -> caches.reactive().getFile(this.id, "src/a.rs").block(HANG_GUARD), LONG_TIMEOUT);
			assertReactiveCallsFailFast(caches);
			assertThatExceptionOfType(WorkspaceCacheUnavailableException.class)
				.isThrownBy(() -> caches.blocking().getFile(this.id, "src/a.rs"));
			assertThat(caches.health().health().getStatus()).isEqualTo(Status.DOWN);
			this.server.close();
			this.server = RedisServer.builder().port(port).start();
			await("the probe closing the circuit").atMost(BACK_WITHIN).until(caches.availability()::isAvailable);
			assertThat(caches.reactive().cacheFile(this.id, "src/b.rs", modified("b")).block(HANG_GUARD))
				.isEqualTo(WriteOutcome.MISSING);
			assertThat(caches.availability().getUnavailableSince()).isEmpty();
			assertThat(caches.health().health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void aBlockingCallThatFindsTheServerGoneMakesReactiveCallsFailFastToo() {
		run(LONG_TIMEOUT, (caches) -> {
			this.server.kill();
			awaitFailingFast(() -> caches.blocking().getFile(this.id, "src/a.rs"), LONG_TIMEOUT);
			// The first reactive call already fails fast: no reactive call ever reached
			// the dead server.
			assertReactiveCallsFailFast(caches);
		});
	}

	@Test
	void aStoppedServerMakesReactiveCallsFailFastAfterOneTimeoutAndServeAgainOnceContinued() {
		run(LONG_TIMEOUT, (caches) -> {
			this.server.suspend();
			// The first call waits for its timeout (Lettuce's command timeout applies to
			// reactive commands too): a silent server looks like a slow one until then.
			long start = System.nanoTime();
			assertThatExceptionOfType(WorkspaceCacheException.class)
				.isThrownBy(() -> caches.reactive().getFile(this.id, "src/a.rs").block(HANG_GUARD))
				.isNotInstanceOf(WorkspaceCacheUnavailableException.class);
			assertThat(Duration.ofNanos(System.nanoTime() - start))
				.isGreaterThanOrEqualTo(LONG_TIMEOUT.minusMillis(100));
			assertReactiveCallsFailFast(caches);
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
		run(LONG_TIMEOUT, (caches) -> {
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
	private void awaitFailingFast(Runnable call, Duration timeout) {
		await("calls failing fast").atMost(timeout.multipliedBy(4)).until(() -> {
			try {
				call.run();
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

	private void assertFailingFast(Caches caches) {
		ServerAvailability availability = caches.availability();
		assertThat(availability.isAvailable()).isFalse();
		assertThat(availability.getUnavailableSince()).isPresent();
		for (int i = 0; i < 100; i++) {
			assertThatExceptionOfType(WorkspaceCacheUnavailableException.class)
				.isThrownBy(() -> caches.blocking().cacheFile(this.id, "src/c.rs", modified("c")))
				.withMessageContaining("unavailable since " + availability.getUnavailableSince().orElseThrow());
		}
	}

	private void assertReactiveCallsFailFast(Caches caches) {
		ServerAvailability availability = caches.availability();
		assertThat(availability.isAvailable()).isFalse();
		String since = "unavailable since " + availability.getUnavailableSince().orElseThrow();
		List<Long> nanos = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			long start = System.nanoTime();
			Throwable failure = null;
			try {
				caches.reactive().cacheFile(this.id, "src/c.rs", modified("c")).block(HANG_GUARD);
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

	private void run(Duration timeout, OutageScenario scenario) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					WorkspaceCacheAutoConfiguration.class, ReactiveWorkspaceCacheAutoConfiguration.class,
					WorkspaceCacheHealthContributorAutoConfiguration.class))
			.withPropertyValues("workspace.cache.mode=valkey", "spring.data.redis.host=" + this.server.host(),
					"spring.data.redis.port=" + this.server.port(), "spring.data.redis.timeout=" + timeout.toMillis())
			.run((context) -> runIn(context, scenario));
	}

	private void runIn(AssertableApplicationContext context, OutageScenario scenario) {
		assertThat(context).hasNotFailed();
		Caches caches = new Caches(context.getBean(ValkeyCache.class), context.getBean(ReactiveValkeyCache.class),
				context.getBean(ServerAvailability.class), context.getBean(WorkspaceCacheHealthIndicator.class));
		assertThat(caches.blocking().getServerAvailability()).containsSame(caches.availability());
		CachedWorkspace workspace = CachedWorkspace.of(snapshot(this.id), Map.of("src/a.rs", modified("a")), null);
		assertThat(caches.blocking().cacheAll(this.id, workspace)).isEqualTo(WriteOutcome.MISSING);
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
