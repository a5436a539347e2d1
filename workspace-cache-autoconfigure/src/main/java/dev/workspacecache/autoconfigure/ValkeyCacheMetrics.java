package dev.workspacecache.autoconfigure;

import dev.workspacecache.valkey.ValkeyCache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Publishes the meters that describe the state of a {@link ValkeyCache}, rather than its
 * calls, to Micrometer: the count of unreadable values (corrupt, unknown format version,
 * wrong Redis type), which the cache reads as misses, so that they show on dashboards
 * rather than only in the log. Gauges of the cache's state (such as a circuit breaker's)
 * belong here too, registered per cache in {@link #bindTo(MeterRegistry)}. The timers and
 * byte summaries of every call come from observations instead
 * ({@link WorkspaceCacheObservationAutoConfiguration}).
 */
class ValkeyCacheMetrics implements MeterBinder {

	static final String UNREADABLE_VALUES = "workspace.cache.unreadable.values";

	private final ObjectProvider<ValkeyCache> caches;

	// A provider rather than the bean: the cache may be the application's own
	// ValkeyCache.
	ValkeyCacheMetrics(ObjectProvider<ValkeyCache> caches) {
		this.caches = caches;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.caches.orderedStream()
			.forEach((cache) -> FunctionCounter.builder(UNREADABLE_VALUES, cache, ValkeyCache::getUnreadableValueCount)
				.description("Stored workspace cache values that could not be decoded and were read as misses")
				.baseUnit("values")
				.tag("key.prefix", cache.getKeyPrefix())
				.register(registry));
		// State gauges of the cache (the circuit breaker's state) are bound here, with
		// the
		// same key.prefix tag.
	}

}
