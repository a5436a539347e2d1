package dev.workspacecache.autoconfigure;

import dev.workspacecache.NoOpCache;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.autoconfigure.WorkspaceCacheProperties.Mode;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code noop} mode: a {@link NoOpCache} that still enforces the maximum entry size,
 * so that an upload too large for production fails in development too.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWorkspaceCacheMode(Mode.NOOP)
class NoOpCacheConfiguration {

	@Bean
	@ConditionalOnMissingBean(WorkspaceCache.class)
	NoOpCache workspaceCache(WorkspaceCacheProperties properties) {
		return new NoOpCache(properties.getMaxEntrySize().toBytes());
	}

}
