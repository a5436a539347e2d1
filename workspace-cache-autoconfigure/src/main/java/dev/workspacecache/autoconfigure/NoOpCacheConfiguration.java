package dev.workspacecache.autoconfigure;

import dev.workspacecache.NoOpCache;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.autoconfigure.WorkspaceCacheProperties.Mode;
import dev.workspacecache.observation.WorkspaceCacheObservationConvention;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The {@code noop} mode: a {@link NoOpCache} that still enforces the maximum entry size,
 * so that an upload too large for production fails in development too. Its calls are
 * observed through the application's {@link ObservationRegistry}, if it has one.
 */
@Configuration(proxyBeanMethods = false)
@Import(InProcessChangeNotificationsConfiguration.class)
@ConditionalOnWorkspaceCacheMode(Mode.NOOP)
class NoOpCacheConfiguration {

	@Bean
	@ConditionalOnMissingBean(WorkspaceCache.class)
	NoOpCache workspaceCache(WorkspaceCacheProperties properties,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<WorkspaceCacheObservationConvention> observationConvention) {
		return CacheObservationSettings.applyTo(new NoOpCache(properties.getMaxEntrySize().toBytes()),
				observationRegistry, observationConvention);
	}

}
