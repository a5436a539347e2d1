package dev.workspacecache.sample.session;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.workspacecache.WorkspaceCacheOperation;
import dev.workspacecache.WorkspaceCacheUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.log.LogMessage;
import org.springframework.stereotype.Component;

/**
 * Reports the failed calls to the workspace cache that the sample tolerates: one WARN
 * line per failure and the {@value #METRIC} counter, tagged with the
 * {@link WorkspaceCacheOperation}.
 * <p>
 * An unreachable cache fails every call until it is back, so the WARN line carries the
 * message only; the stack trace is logged at DEBUG for whoever needs it. Calls refused at
 * once while the cache fails fast ({@link WorkspaceCacheUnavailableException}) are
 * counted but logged at DEBUG only: the cache logs the outage once, when it starts. The
 * counters are registered at startup, so that
 * {@code /actuator/metrics/sample.cache.failures} shows zero rather than nothing while
 * all is well.
 */
@Component
public class CacheFailures {

	/** Name of the counter of tolerated cache failures. */
	public static final String METRIC = "sample.cache.failures";

	private static final Log logger = LogFactory.getLog(CacheFailures.class);

	/** The calls the sample makes: their counters exist from the start, at zero. */
	private static final Set<WorkspaceCacheOperation> SAMPLE_OPERATIONS = EnumSet.of(
			WorkspaceCacheOperation.WRITE_IF_VERSION, WorkspaceCacheOperation.TOUCH, WorkspaceCacheOperation.EVICT,
			WorkspaceCacheOperation.RECOVER);

	private final MeterRegistry registry;

	private final Map<WorkspaceCacheOperation, Counter> counters = new EnumMap<>(WorkspaceCacheOperation.class);

	public CacheFailures(MeterRegistry registry) {
		this.registry = registry;
		SAMPLE_OPERATIONS.forEach((operation) -> this.counters.put(operation, counter(operation)));
	}

	private Counter counter(WorkspaceCacheOperation operation) {
		return Counter.builder(METRIC)
			.description("Workspace cache calls that failed; the sample carried on with this pod's copy")
			.tag("operation", operation.methodName())
			.register(this.registry);
	}

	/**
	 * Report a failed cache call.
	 * @param operation the call that failed
	 * @param sessionId the session it was for
	 * @param failure what the cache threw
	 */
	void record(WorkspaceCacheOperation operation, UUID sessionId, RuntimeException failure) {
		// Registering again returns the same counter: an operation the sample does not
		// make yet still counts.
		Counter counter = this.counters.get(operation);
		((counter != null) ? counter : counter(operation)).increment();
		if (failure instanceof WorkspaceCacheUnavailableException) {
			// Failing fast during an outage: one WARN line per call would flood the log
			// with what the cache logged once when it found the server unavailable.
			if (logger.isDebugEnabled()) {
				logger.debug(LogMessage.format("Workspace cache call %s skipped for session %s: %s",
						operation.methodName(), sessionId, failure.getMessage()));
			}
			return;
		}
		logger.warn(LogMessage.format("Workspace cache call %s failed for session %s (%s): %s", operation.methodName(),
				sessionId, failure.getClass().getSimpleName(), failure.getMessage()));
		if (logger.isDebugEnabled()) {
			logger.debug("Stack trace of the failed " + operation.methodName() + " call", failure);
		}
	}

}
