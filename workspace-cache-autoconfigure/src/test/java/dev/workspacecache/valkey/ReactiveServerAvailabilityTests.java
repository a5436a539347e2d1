package dev.workspacecache.valkey;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceCacheOperation;
import dev.workspacecache.WorkspaceCacheUnavailableException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the reactive side of {@link ServerAvailability}
 * ({@link ReactiveServerAvailability}), without a server: calls are {@code Mono}s that
 * complete, fail as the reactive cache's calls fail, or never end; what counts and what
 * does not is what {@link ServerAvailabilityTests} says of blocking calls.
 */
class ReactiveServerAvailabilityTests {

	private static final Instant NOW = Instant.parse("2026-12-01T10:15:30Z");

	private final UUID id = UUID.randomUUID();

	private final AtomicInteger subscriptions = new AtomicInteger();

	private final ServerAvailability availability = new ServerAvailability(1, Duration.ofMillis(10),
			Clock.fixed(NOW, ZoneOffset.UTC));

	@AfterEach
	void stopProbing() {
		this.availability.close();
	}

	@Test
	void oneFailureToReachTheServerMakesTheNextCallsFailAtSubscriptionWithoutSubscribingToThem() {
		assertThatExceptionOfType(WorkspaceCacheException.class)
			.isThrownBy(() -> call(failing(new QueryTimeoutException("Redis command timed out"))).block())
			.isNotInstanceOf(WorkspaceCacheUnavailableException.class);
		assertThat(this.availability.isAvailable()).isFalse();
		int before = this.subscriptions.get();
		assertThatExceptionOfType(WorkspaceCacheUnavailableException.class)
			.isThrownBy(() -> call(Mono.just("value")).block())
			.satisfies((ex) -> {
				assertThat(ex.getUnavailableSince()).isEqualTo(NOW);
				assertThat(ex.getOperation()).isEqualTo(WorkspaceCacheOperation.GET_FILE);
				assertThat(ex.getWorkspaceId()).isEqualTo(this.id);
			})
			.withMessageContaining("unavailable since " + NOW)
			.withMessageContaining("Redis command timed out");
		assertThat(this.subscriptions).as("calls subscribed to while failing fast").hasValue(before);
	}

	@Test
	void errorsTheServerAnsweredWithCountAsSuccesses() {
		for (int i = 0; i < 5; i++) {
			assertThatExceptionOfType(WorkspaceCacheException.class).isThrownBy(() -> call(failing(
					new RedisSystemException("Error in execution", new RuntimeException("WRONGTYPE wrong kind"))))
				.block());
		}
		assertThat(this.availability.isAvailable()).isTrue();
		assertThat(this.availability.getCircuitBreaker().getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
		assertThat(call(Mono.just("value")).block()).isEqualTo("value");
	}

	@Test
	void aCallThatCompletesEmptyIsASuccess() {
		assertThat(call(Mono.<String>empty()).blockOptional()).isEmpty();
		assertThat(this.availability.getCircuitBreaker().getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
	}

	@Test
	void aCancelledCallIsNotCounted() {
		Sinks.One<String> reply = Sinks.one();
		Disposable subscription = call(reply.asMono()).subscribe();
		assertThat(this.subscriptions).hasValue(1);
		subscription.dispose();
		CircuitBreaker.Metrics metrics = this.availability.getCircuitBreaker().getMetrics();
		assertThat(metrics.getNumberOfBufferedCalls()).isZero();
		assertThat(metrics.getNumberOfNotPermittedCalls()).isZero();
		assertThat(this.availability.isAvailable()).isTrue();
	}

	@Test
	void aReactiveFailureStartsTheProbeThatClosesTheCircuit() {
		AtomicInteger probes = new AtomicInteger();
		this.availability.probeWith(() -> {
			if (probes.incrementAndGet() < 3) {
				throw new RedisConnectionFailureException("Connection refused");
			}
		});
		assertThatExceptionOfType(WorkspaceCacheException.class)
			.isThrownBy(() -> call(failing(new RedisConnectionFailureException("Connection refused"))).block());
		await("the probe to close the circuit").until(this.availability::isAvailable);
		assertThat(probes).hasValue(3);
		assertThat(call(Mono.just("value")).block()).isEqualTo("value");
	}

	@Test
	void serverAvailabilityNeedsNoReactorToLoad() throws IOException {
		// Blocking applications may have no Reactor: nothing Reactor-specific may be
		// named in the class (its constant pool) that they load.
		for (Class<?> type : new Class<?>[] { ServerAvailability.class, ValkeyCache.class }) {
			try (InputStream classFile = type.getResourceAsStream(type.getSimpleName() + ".class")) {
				assertThat(classFile).as(type.getName()).isNotNull();
				String constants = new String(classFile.readAllBytes(), StandardCharsets.ISO_8859_1);
				assertThat(constants).as(type.getName())
					.doesNotContain("reactor/")
					.doesNotContain("ReactiveServerAvailability");
			}
		}
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void withoutResilience4jsReactorModuleTheReactiveSideWaitsForTheServerAndSaysSo(CapturedOutput output) {
		ValkeyCache cache = new ValkeyCache(new LettuceConnectionFactory(), "p:", Duration.ofMinutes(1), 1024,
				this.availability, ContentCompression.none());
		assertThat(ReactiveValkeyCache.of(cache).getServerAvailability()).containsSame(this.availability);
		assertThat(output).doesNotContain("do not fail fast");
		ReactiveValkeyCache withoutModule = ReactiveValkeyCache.of(cache,
				new FilteredClassLoader("io.github.resilience4j.reactor"));
		assertThat(withoutModule.getServerAvailability()).isEmpty();
		assertThat(output).contains("Reactive workspace cache calls do not fail fast: "
				+ "io.github.resilience4j:resilience4j-reactor is not on the classpath");
	}

	private Mono<String> call(Mono<String> call) {
		return ReactiveServerAvailability.guard(this.availability, WorkspaceCacheOperation.GET_FILE, this.id,
				call.doOnSubscribe((subscription) -> this.subscriptions.incrementAndGet()));
	}

	/**
	 * A call that fails as the cache's calls do: the backend failure wrapped in a
	 * {@link WorkspaceCacheException}.
	 */
	private Mono<String> failing(RuntimeException failure) {
		return Mono.error(new WorkspaceCacheException(WorkspaceCacheOperation.GET_FILE, this.id, "failed", failure));
	}

}
