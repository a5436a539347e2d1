package dev.workspacecache.valkey;

import java.util.UUID;

import dev.workspacecache.WorkspaceCacheOperation;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.util.ClassUtils;

/**
 * What {@link ServerAvailability#call} does for a {@link ValkeyCache} call, done for a
 * {@link ReactiveValkeyCache} {@code Mono}: Resilience4j's Reactor operator over the same
 * circuit breaker, so that a reactive call is refused while the circuit is open and is
 * otherwise counted exactly as a blocking one. A class of its own so that neither
 * {@link ServerAvailability} (loaded by blocking applications, which may have no Reactor)
 * nor {@link ReactiveValkeyCache} loads Resilience4j's Reactor module, an optional
 * dependency, unless a reactive cache fails fast.
 */
final class ReactiveServerAvailability {

	/**
	 * A class of {@code io.github.resilience4j:resilience4j-reactor}, looked up by name:
	 * {@link ValkeyCacheRuntimeHints} registers it for a native image.
	 */
	static final String CIRCUIT_BREAKER_OPERATOR = "io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator";

	private ReactiveServerAvailability() {
	}

	/**
	 * Return whether reactive calls can fail fast: Resilience4j's Reactor module is on
	 * the classpath.
	 * @param classLoader the class loader to look in
	 * @return whether the operator is there
	 */
	static boolean isSupported(@Nullable ClassLoader classLoader) {
		return ClassUtils.isPresent(CIRCUIT_BREAKER_OPERATOR, classLoader);
	}

	/**
	 * Return the call, refused at subscription while the circuit is open, and otherwise
	 * counted when it ends: a failure to reach the server against the server, any other
	 * end for it; a cancelled call is not counted.
	 * @param <T> what the call emits
	 * @param availability the availability of the server
	 * @param operation the cache operation, for the exception
	 * @param id the workspace, for the exception
	 * @param call the call
	 * @return the guarded call
	 */
	static <T> Mono<T> guard(ServerAvailability availability, WorkspaceCacheOperation operation, UUID id,
			Mono<T> call) {
		return call.transform(CircuitBreakerOperator.of(availability.getCircuitBreaker()))
			.onErrorMap(CallNotPermittedException.class, (ex) -> availability.unavailable(operation, id));
	}

}
