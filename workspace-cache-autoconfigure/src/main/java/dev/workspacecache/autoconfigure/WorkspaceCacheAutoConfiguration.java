package dev.workspacecache.autoconfigure;

import dev.workspacecache.NoOpCache;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceChangeListener;
import dev.workspacecache.WorkspaceChangeNotifications;
import dev.workspacecache.memory.InMemoryWorkspaceCache;
import dev.workspacecache.valkey.ValkeyCache;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the {@link WorkspaceCache} bean, selected by
 * {@code workspace.cache.mode}: {@code noop} (the default) gives a {@link NoOpCache},
 * {@code valkey} a {@link ValkeyCache} over the application's Redis connection (or the
 * one qualified with {@link WorkspaceCacheConnectionFactory}), {@code memory} an
 * {@link InMemoryWorkspaceCache}. A {@link WorkspaceCache} bean of the application's own
 * always wins. One configuration per mode; {@link WorkspaceCacheValidator} explains at
 * startup why no cache could be built (a library missing from the classpath).
 */
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@EnableConfigurationProperties(WorkspaceCacheProperties.class)
@Import({ NoOpCacheConfiguration.class, InMemoryCacheConfiguration.class, ValkeyCacheConfiguration.class })
public final class WorkspaceCacheAutoConfiguration {

	private WorkspaceCacheAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	static WorkspaceChangeListeners workspaceChangeListeners(ObjectProvider<WorkspaceChangeNotifications> notifications,
			ApplicationEventPublisher publisher, ObjectProvider<WorkspaceChangeListener> listeners) {
		return new WorkspaceChangeListeners(notifications, publisher, listeners);
	}

	@Bean
	static WorkspaceCacheValidator workspaceCacheValidator(ObjectProvider<WorkspaceCacheProperties> properties,
			ObjectProvider<WorkspaceCache> caches) {
		return new WorkspaceCacheValidator(properties, caches);
	}

}
