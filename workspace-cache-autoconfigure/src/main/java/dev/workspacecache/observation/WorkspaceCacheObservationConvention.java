package dev.workspacecache.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * An {@link ObservationConvention} for {@link WorkspaceCacheObservationContext}:
 * implement it (or extend {@link DefaultWorkspaceCacheObservationConvention}) to change
 * the name or key values of the {@code workspace.cache.operations} observation.
 */
public interface WorkspaceCacheObservationConvention extends ObservationConvention<WorkspaceCacheObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof WorkspaceCacheObservationContext;
	}

}
