package dev.workspacecache.autoconfigure;

import java.util.List;
import java.util.Locale;

import dev.workspacecache.valkey.ServerAvailability;
import dev.workspacecache.valkey.ValkeyCache;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Publishes the meters that describe the state of a {@link ValkeyCache}, rather than its
 * calls, to Micrometer: the count of unreadable values (corrupt, unknown format version,
 * wrong Redis type), which the cache reads as misses, so that they show on dashboards
 * rather than only in the log; and, when the cache fails fast, the state of its circuit
 * breaker. Both include the cache's reactive side
 * ({@link dev.workspacecache.valkey.ReactiveValkeyCache#of}), which counts unreadable
 * values in the same count and shares the circuit: one meter each, whichever API met
 * them. The timers and byte summaries of every call come from observations instead
 * ({@link WorkspaceCacheObservationAutoConfiguration}).
 */
class ValkeyCacheMetrics implements MeterBinder {

	static final String UNREADABLE_VALUES = "workspace.cache.unreadable.values";

	static final String CIRCUIT_STATE = "workspace.cache.circuit.state";

	/**
	 * The states a fail-fast circuit takes: it never half-opens (see ServerAvailability).
	 */
	private static final List<CircuitBreaker.State> CIRCUIT_STATES = List.of(CircuitBreaker.State.CLOSED,
			CircuitBreaker.State.OPEN);

	private final ObjectProvider<ValkeyCache> caches;

	// A provider rather than the bean: the cache may be the application's own
	// ValkeyCache.
	ValkeyCacheMetrics(ObjectProvider<ValkeyCache> caches) {
		this.caches = caches;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.caches.orderedStream().forEach((cache) -> {
			FunctionCounter.builder(UNREADABLE_VALUES, cache, ValkeyCache::getUnreadableValueCount)
				.description("Stored workspace cache values that could not be decoded and were read as misses")
				.baseUnit("values")
				.tag("key.prefix", cache.getKeyPrefix())
				.register(registry);
			cache.getServerAvailability().ifPresent((availability) -> bindCircuitState(registry, cache, availability));
		});
	}

	// One gauge per state of the circuit breaker, 1 for the current state and 0 for the
	// others, as Resilience4j's own Micrometer binder publishes it: a dashboard sums or
	// filters by the state tag.
	private static void bindCircuitState(MeterRegistry registry, ValkeyCache cache, ServerAvailability availability) {
		for (CircuitBreaker.State state : CIRCUIT_STATES) {
			Gauge
				.builder(CIRCUIT_STATE, availability,
						(measured) -> (measured.getCircuitBreaker().getState() == state) ? 1 : 0)
				.description("State of the workspace cache's circuit breaker: 1 for the current state; "
						+ "while it is open, calls fail fast")
				.tag("key.prefix", cache.getKeyPrefix())
				.tag("state", state.name().toLowerCase(Locale.ROOT))
				.register(registry);
		}
	}

}
