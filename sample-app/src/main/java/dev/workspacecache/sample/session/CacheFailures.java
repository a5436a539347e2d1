package dev.workspacecache.sample.session;

import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.log.LogMessage;
import org.springframework.stereotype.Component;

/**
 * Reports the failed calls to the workspace cache that the sample tolerates: one WARN line per
 * failure and the {@value #METRIC} counter, tagged with the {@link CacheOperation}.
 * <p>
 * An unreachable cache fails every call until it is back, so the WARN line carries the message
 * only; the stack trace is logged at DEBUG for whoever needs it. The counters are registered at
 * startup, so that {@code /actuator/metrics/sample.cache.failures} shows zero rather than nothing
 * while all is well.
 */
@Component
public class CacheFailures {

	/** Name of the counter of tolerated cache failures. */
	public static final String METRIC = "sample.cache.failures";

	private static final Log logger = LogFactory.getLog(CacheFailures.class);

	private final Map<CacheOperation, Counter> counters = new EnumMap<>(CacheOperation.class);

	public CacheFailures(MeterRegistry registry) {
		for (CacheOperation operation : CacheOperation.values()) {
			this.counters.put(operation,
					Counter.builder(METRIC)
						.description("Workspace cache calls that failed; the sample carried on with this pod's copy")
						.tag("operation", operation.methodName())
						.register(registry));
		}
	}

	/**
	 * Report a failed cache call.
	 * @param operation the call that failed
	 * @param sessionId the session it was for
	 * @param failure what the cache threw
	 */
	void record(CacheOperation operation, UUID sessionId, RuntimeException failure) {
		this.counters.get(operation).increment();
		logger.warn(LogMessage.format("Workspace cache call %s failed for session %s (%s): %s",
				operation.methodName(), sessionId, failure.getClass().getSimpleName(), failure.getMessage()));
		if (logger.isDebugEnabled()) {
			logger.debug("Stack trace of the failed " + operation.methodName() + " call", failure);
		}
	}

}
