package dev.workspacecache.observation;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

/**
 * Records the bytes each {@link dev.workspacecache.WorkspaceCache} call read and wrote as
 * the distribution summaries {@value #BYTES_READ} and {@value #BYTES_WRITTEN}, tagged
 * with the observation's low-cardinality key values (so with the same tags as the
 * {@code workspace.cache.operations} timer, less {@code error}). Calls that threw or were
 * cancelled, and calls that measured nothing (see
 * {@link WorkspaceCacheObservationContext#NOT_MEASURED}), record nothing.
 * <p>
 * Deliberately not a {@code MeterObservationHandler}: Spring Boot lets only the first
 * matching handler of that kind (its {@code DefaultMeterObservationHandler}, which
 * records the timer) see an observation, so this one is registered beside it.
 */
public class WorkspaceCacheBytesObservationHandler implements ObservationHandler<WorkspaceCacheObservationContext> {

	/**
	 * Name of the distribution summary of the bytes a call read.
	 */
	public static final String BYTES_READ = "workspace.cache.bytes.read";

	/**
	 * Name of the distribution summary of the bytes a call wrote.
	 */
	public static final String BYTES_WRITTEN = "workspace.cache.bytes.written";

	private final MeterRegistry meterRegistry;

	/**
	 * Create a handler recording to the given registry.
	 * @param meterRegistry the registry of the summaries
	 */
	public WorkspaceCacheBytesObservationHandler(MeterRegistry meterRegistry) {
		this.meterRegistry = meterRegistry;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof WorkspaceCacheObservationContext;
	}

	@Override
	public void onStop(WorkspaceCacheObservationContext context) {
		if (context.getError() != null || context.getResult() == WorkspaceCacheObservationContext.Result.CANCELLED) {
			return;
		}
		record(BYTES_READ, "Bytes a workspace cache call read from the store", context.getBytesRead(), context);
		record(BYTES_WRITTEN, "Bytes a workspace cache call wrote to the store", context.getBytesWritten(), context);
	}

	private void record(String name, String description, long bytes, WorkspaceCacheObservationContext context) {
		if (bytes == WorkspaceCacheObservationContext.NOT_MEASURED) {
			return;
		}
		List<Tag> tags = new ArrayList<>();
		for (KeyValue keyValue : context.getLowCardinalityKeyValues()) {
			tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
		}
		DistributionSummary.builder(name)
			.description(description)
			.baseUnit("bytes")
			.tags(tags)
			.register(this.meterRegistry)
			.record(bytes);
	}

}
