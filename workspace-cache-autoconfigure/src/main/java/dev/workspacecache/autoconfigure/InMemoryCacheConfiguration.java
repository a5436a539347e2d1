package dev.workspacecache.autoconfigure;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.autoconfigure.WorkspaceCacheProperties.Mode;
import dev.workspacecache.memory.InMemoryWorkspaceCache;
import dev.workspacecache.memory.InProcessWorkspaceChangeNotifications;
import dev.workspacecache.observation.WorkspaceCacheObservationConvention;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The {@code memory} mode: an {@link InMemoryWorkspaceCache} with the configured
 * time-to-live and maximum entry size, observed through the application's
 * {@link ObservationRegistry}, if it has one, and whose changes are announced in-process
 * ({@link InProcessWorkspaceChangeNotifications}).
 */
@Configuration(proxyBeanMethods = false)
@Import(InProcessChangeNotificationsConfiguration.class)
@ConditionalOnWorkspaceCacheMode(Mode.MEMORY)
class InMemoryCacheConfiguration {

	@Bean
	@ConditionalOnMissingBean(WorkspaceCache.class)
	InMemoryWorkspaceCache workspaceCache(WorkspaceCacheProperties properties,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<WorkspaceCacheObservationConvention> observationConvention,
			ObjectProvider<InProcessWorkspaceChangeNotifications> notifications) {
		InMemoryWorkspaceCache cache = new InMemoryWorkspaceCache(properties.getTtl(),
				properties.getMaxEntrySize().toBytes());
		CacheObservationSettings.applyTo(cache, observationRegistry, observationConvention);
		notifications.ifUnique(cache::setChangeNotifications);
		return cache;
	}

}
