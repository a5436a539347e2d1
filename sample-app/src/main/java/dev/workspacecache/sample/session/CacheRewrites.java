package dev.workspacecache.sample.session;

import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.log.LogMessage;
import org.springframework.stereotype.Component;

/**
 * Reports the sessions that the workspace cache had lost and this pod wrote back whole:
 * one INFO line per write-back and the {@value #METRIC} counter.
 * <p>
 * A loss is not a failure of this pod (the server restarted without persistence, was
 * flushed, evicted under memory pressure or failed over), but whoever runs the cache
 * wants to know it happened, and how often: hence INFO rather than WARN, and a counter
 * registered at startup, so that it shows zero rather than nothing while all is well.
 */
@Component
public class CacheRewrites {

	/** Name of the counter of sessions written back whole. */
	public static final String METRIC = "sample.cache.rewrites";

	private static final Log logger = LogFactory.getLog(CacheRewrites.class);

	private final Counter counter;

	public CacheRewrites(MeterRegistry registry) {
		this.counter = Counter.builder(METRIC)
			.description("Sessions the workspace cache had lost that this pod wrote back whole")
			.register(registry);
	}

	/**
	 * Report that a session the cache had lost was written back.
	 * @param sessionId the session
	 * @param files how many overlay entries were written back with it
	 */
	void record(UUID sessionId, int files) {
		this.counter.increment();
		logger.info(LogMessage.format("Workspace cache had lost session %s; wrote it back whole (%d files)", sessionId,
				files));
	}

}
