package dev.workspacecache;

import dev.workspacecache.observation.DefaultWorkspaceCacheObservationConvention;
import dev.workspacecache.observation.WorkspaceCacheObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * What {@link AbstractWorkspaceCache} and {@link AbstractReactiveWorkspaceCache} share: a
 * cache, blocking or reactive, whose calls are observed
 * ({@link dev.workspacecache.observation.WorkspaceCacheObservationDocumentation#CACHE_OPERATION}),
 * and the registry, convention and mode they are observed with. Extend one of those two.
 */
public abstract class ObservedCache {

	private final CallObservations observations = new CallObservations();

	/**
	 * Create a cache observed through {@link ObservationRegistry#NOOP} until a registry
	 * is set.
	 */
	protected ObservedCache() {
	}

	/**
	 * Set the registry that observes every call of this cache. Set it before the cache is
	 * used.
	 * @param observationRegistry the registry, {@link ObservationRegistry#NOOP} (the
	 * default) for none
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		this.observations.setRegistry(observationRegistry);
	}

	/**
	 * Return the registry that observes every call of this cache.
	 * @return the registry; {@link ObservationRegistry#NOOP} unless one was set
	 */
	public ObservationRegistry getObservationRegistry() {
		return this.observations.getRegistry();
	}

	/**
	 * Set a convention that replaces {@link DefaultWorkspaceCacheObservationConvention}
	 * for this cache's observations. A {@code GlobalObservationConvention} registered
	 * with the registry serves the same purpose for every cache.
	 * @param observationConvention the convention, or {@code null} for the default
	 */
	public void setObservationConvention(@Nullable WorkspaceCacheObservationConvention observationConvention) {
		this.observations.setConvention(observationConvention);
	}

	/**
	 * Return the name of this backend in the {@code mode} key of observations. The
	 * built-in caches answer the value of {@code workspace.cache.mode} that selects them:
	 * {@code noop}, {@code memory}, {@code valkey}.
	 * @return the mode, {@code custom} unless overridden
	 */
	protected String getObservationMode() {
		return "custom";
	}

	final CallObservations observations() {
		return this.observations;
	}

}
