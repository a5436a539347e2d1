package dev.workspacecache.autoconfigure;

import dev.workspacecache.valkey.ValkeyCache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Publishes the counters of a {@link ValkeyCache} to Micrometer, so that unreadable
 * values (corrupt, unknown format version, wrong Redis type), which the cache reads as
 * misses, show on dashboards rather than only in the log.
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
	}

}
