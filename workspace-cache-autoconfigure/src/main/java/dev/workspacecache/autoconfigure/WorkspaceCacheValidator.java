package dev.workspacecache.autoconfigure;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.autoconfigure.WorkspaceCacheProperties.Mode;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.ClassUtils;

/**
 * Checks, once the context is configured, that there is a {@link WorkspaceCache} bean,
 * and otherwise fails startup with a {@link WorkspaceCacheConfigurationException} that
 * names what is missing and what to do ({@link WorkspaceCacheFailureAnalyzer}). One
 * validation step, as Spring Boot's cache auto-configuration has, rather than a
 * configuration per missing library whose only bean throws.
 */
class WorkspaceCacheValidator implements InitializingBean, BeanClassLoaderAware {

	private final ObjectProvider<WorkspaceCacheProperties> properties;

	private final ObjectProvider<WorkspaceCache> caches;

	private @Nullable ClassLoader classLoader;

	WorkspaceCacheValidator(ObjectProvider<WorkspaceCacheProperties> properties,
			ObjectProvider<WorkspaceCache> caches) {
		this.properties = properties;
		this.caches = caches;
	}

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		// The application's class loader decides what is on its classpath, not this
		// library's.
		this.classLoader = classLoader;
	}

	@Override
	public void afterPropertiesSet() {
		if (this.caches.getIfAvailable() != null) {
			return;
		}
		Mode mode = this.properties.getObject().getMode();
		ClassLoader classLoader = this.classLoader;
		if (mode == Mode.VALKEY
				&& !ClassUtils.isPresent(ValkeyCacheConfiguration.REDIS_CONNECTION_FACTORY, classLoader)) {
			throw new WorkspaceCacheConfigurationException(
					"workspace.cache.mode is 'valkey' but Spring Data Redis is not on the classpath.",
					"Depend on dev.workspacecache:workspace-cache-starter (it brings Spring Data Redis with Lettuce), "
							+ "or add org.springframework.boot:spring-boot-starter-data-redis; or set "
							+ "workspace.cache.mode to 'noop' or 'memory'.");
		}
		if (mode == Mode.VALKEY && !ClassUtils.isPresent(ValkeyCacheConfiguration.CBOR_MAPPER, classLoader)) {
			throw new WorkspaceCacheConfigurationException(
					"workspace.cache.mode is 'valkey' but Jackson's CBOR data format is not on the classpath.",
					"Depend on dev.workspacecache:workspace-cache-starter, or add "
							+ "tools.jackson.dataformat:jackson-dataformat-cbor; or set workspace.cache.mode to "
							+ "'noop' or 'memory'.");
		}
		throw new WorkspaceCacheConfigurationException(
				"No WorkspaceCache bean could be auto-configured (workspace.cache.mode is '"
						+ mode.name().toLowerCase(java.util.Locale.ROOT) + "').",
				"Check the conditions report (--debug) for the workspace cache configurations, or define a "
						+ "WorkspaceCache bean yourself.");
	}

}
