package dev.workspacecache.autoconfigure;

import dev.workspacecache.ObservedCache;
import dev.workspacecache.observation.WorkspaceCacheObservationConvention;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Gives every cache the auto-configuration creates, blocking or reactive, of every mode,
 * the application's {@link ObservationRegistry} and, when the application declares one,
 * its {@link WorkspaceCacheObservationConvention} bean, as Spring Boot applies the
 * convention beans of its own observations.
 */
final class CacheObservationSettings {

	private CacheObservationSettings() {
	}

	/**
	 * Observe a cache through the application's registry and convention.
	 * @param <C> the type of cache
	 * @param cache the cache
	 * @param registry the application's registry, if it has exactly one
	 * @param convention the application's convention, if it has exactly one
	 * @return the cache
	 */
	static <C extends ObservedCache> C applyTo(C cache, ObjectProvider<ObservationRegistry> registry,
			ObjectProvider<WorkspaceCacheObservationConvention> convention) {
		registry.ifUnique(cache::setObservationRegistry);
		convention.ifUnique(cache::setObservationConvention);
		return cache;
	}

}
