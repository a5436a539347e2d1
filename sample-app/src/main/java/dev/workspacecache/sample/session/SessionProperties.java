package dev.workspacecache.sample.session;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the sample keeps its live sessions, under {@code sample.sessions}.
 *
 * @param touchInterval Minimum time between two 'touch' calls to the workspace cache for
 * one session. Every access to a session keeps it alive in the cache, but touching on
 * every request would cost a round trip each; once per interval is enough as long as the
 * interval is much shorter than 'workspace.cache.ttl'. Writes restart the cache's
 * time-to-live themselves and count as a touch.
 */
@ConfigurationProperties("sample.sessions")
public record SessionProperties(@DefaultValue("30s") Duration touchInterval) {

	public SessionProperties {
		if (touchInterval.isNegative()) {
			throw new IllegalArgumentException(
					"sample.sessions.touch-interval must not be negative, was " + touchInterval);
		}
	}

}
