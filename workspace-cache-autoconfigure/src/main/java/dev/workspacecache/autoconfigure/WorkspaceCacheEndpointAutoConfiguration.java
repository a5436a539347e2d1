package dev.workspacecache.autoconfigure;

import java.util.Locale;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.actuate.WorkspaceCacheEndpoint;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code workspacecache} actuator endpoint
 * ({@link WorkspaceCacheEndpoint}), when the endpoint is available: its access is not
 * {@code none} and it is exposed (for example
 * {@code management.endpoints.web.exposure.include=health,workspacecache}).
 */
@AutoConfiguration(after = WorkspaceCacheAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnAvailableEndpoint(WorkspaceCacheEndpoint.class)
@EnableConfigurationProperties(WorkspaceCacheProperties.class)
public final class WorkspaceCacheEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnSingleCandidate(WorkspaceCache.class)
	WorkspaceCacheEndpoint workspaceCacheEndpoint(WorkspaceCache cache, WorkspaceCacheProperties properties) {
		return new WorkspaceCacheEndpoint(cache, properties.getMode().name().toLowerCase(Locale.ROOT));
	}

}
