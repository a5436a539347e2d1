package dev.workspacecache.sample.session;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;

/**
 * Matches when the workspace cache is not shared between pods: {@code workspace.cache.mode} is
 * {@code noop}, {@code memory} or not set. The exact opposite of the condition on
 * {@link SharedSessionRecovery}, so that exactly one {@link SessionRecovery} exists in every
 * mode.
 */
class OnUnsharedCacheCondition extends NoneNestedConditions {

	OnUnsharedCacheCondition() {
		super(ConfigurationPhase.PARSE_CONFIGURATION);
	}

	@ConditionalOnProperty(name = SessionRecovery.CACHE_MODE_PROPERTY, havingValue = "valkey")
	static class SharedCache {

	}

}
