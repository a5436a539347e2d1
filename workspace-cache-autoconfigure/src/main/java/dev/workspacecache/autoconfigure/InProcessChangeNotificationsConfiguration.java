package dev.workspacecache.autoconfigure;

import dev.workspacecache.WorkspaceChangeNotifications;
import dev.workspacecache.memory.InProcessWorkspaceChangeNotifications;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The change notifications of the modes whose cache is in this process, imported by
 * {@link InMemoryCacheConfiguration} and {@link NoOpCacheConfiguration}: in
 * {@code memory} mode the cache announces its own changes in-process; in {@code noop}
 * mode nothing is cached, so nothing ever changes, and these notifications never notify,
 * so that code written for the other modes runs unchanged.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "workspace.cache.notifications.enabled", matchIfMissing = true)
class InProcessChangeNotificationsConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(WorkspaceChangeNotifications.class)
	InProcessWorkspaceChangeNotifications workspaceChangeNotifications(WorkspaceCacheProperties properties) {
		return new InProcessWorkspaceChangeNotifications(InstanceId.of(properties));
	}

}
