package dev.workspacecache.observation;

import java.util.Locale;

import dev.workspacecache.WriteOutcome;
import dev.workspacecache.observation.WorkspaceCacheObservationContext.Result;
import dev.workspacecache.observation.WorkspaceCacheObservationDocumentation.HighCardinalityKeyNames;
import dev.workspacecache.observation.WorkspaceCacheObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default {@link WorkspaceCacheObservationConvention}: an observation named
 * {@value #NAME} with the low-cardinality keys {@code operation}, {@code mode} and, once
 * the call has ended, {@code result} and {@code write.outcome}; the workspace id is the
 * high-cardinality key {@code workspace.id}. Spans are named
 * {@code workspace-cache <operation>}.
 */
public class DefaultWorkspaceCacheObservationConvention implements WorkspaceCacheObservationConvention {

	/**
	 * The name of the observation, and so of the timer that Micrometer's
	 * {@code DefaultMeterObservationHandler} records from it.
	 */
	public static final String NAME = "workspace.cache.operations";

	/**
	 * The shared instance.
	 */
	public static final DefaultWorkspaceCacheObservationConvention INSTANCE = new DefaultWorkspaceCacheObservationConvention();

	private static final KeyValue RESULT_ERROR = LowCardinalityKeyNames.RESULT.withValue("error");

	private static final KeyValue NO_WRITE_OUTCOME = LowCardinalityKeyNames.WRITE_OUTCOME.withValue("none");

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(WorkspaceCacheObservationContext context) {
		return "workspace-cache " + context.getOperation().methodName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(WorkspaceCacheObservationContext context) {
		KeyValues keyValues = KeyValues.of(
				LowCardinalityKeyNames.OPERATION.withValue(context.getOperation().methodName()),
				LowCardinalityKeyNames.MODE.withValue(context.getMode()));
		Result result = context.getResult();
		if (context.getError() != null) {
			return keyValues.and(RESULT_ERROR, NO_WRITE_OUTCOME);
		}
		if (result == null) {
			// Still running (the start of a span, the long task timer): no result yet.
			return keyValues;
		}
		return keyValues.and(LowCardinalityKeyNames.RESULT.withValue(result.value()), writeOutcome(context));
	}

	private static KeyValue writeOutcome(WorkspaceCacheObservationContext context) {
		WriteOutcome outcome = context.getWriteOutcome();
		return (outcome != null)
				? LowCardinalityKeyNames.WRITE_OUTCOME.withValue(outcome.name().toLowerCase(Locale.ROOT))
				: NO_WRITE_OUTCOME;
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(WorkspaceCacheObservationContext context) {
		return KeyValues.of(HighCardinalityKeyNames.WORKSPACE_ID.withValue(context.getWorkspaceId().toString()));
	}

}
