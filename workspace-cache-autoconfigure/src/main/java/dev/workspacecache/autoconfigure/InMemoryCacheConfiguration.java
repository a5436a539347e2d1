package dev.workspacecache.autoconfigure;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.autoconfigure.WorkspaceCacheProperties.Mode;
import dev.workspacecache.memory.InMemoryWorkspaceCache;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code memory} mode: an {@link InMemoryWorkspaceCache} with the configured
 * time-to-live and maximum entry size.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWorkspaceCacheMode(Mode.MEMORY)
class InMemoryCacheConfiguration {

	@Bean
	@ConditionalOnMissingBean(WorkspaceCache.class)
	InMemoryWorkspaceCache workspaceCache(WorkspaceCacheProperties properties) {
		return new InMemoryWorkspaceCache(properties.getTtl(), properties.getMaxEntrySize().toBytes());
	}

}
