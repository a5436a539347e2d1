package dev.workspacecache.autoconfigure;

import java.util.Locale;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.actuate.WorkspaceCacheHealthIndicator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code workspaceCache} health contributor
 * ({@link WorkspaceCacheHealthIndicator}), with Spring Boot's health support on the
 * classpath. Turned off, like Boot's own, with
 * {@code management.health.workspacecache.enabled=false}, or replaced by a bean named
 * {@code workspaceCacheHealthIndicator} of the application's own.
 */
@AutoConfiguration(after = WorkspaceCacheAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnSingleCandidate(WorkspaceCache.class)
@ConditionalOnEnabledHealthIndicator("workspacecache")
@EnableConfigurationProperties(WorkspaceCacheProperties.class)
public final class WorkspaceCacheHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "workspaceCacheHealthIndicator", "workspaceCacheHealthContributor" })
	WorkspaceCacheHealthIndicator workspaceCacheHealthIndicator(WorkspaceCache cache,
			WorkspaceCacheProperties properties) {
		return new WorkspaceCacheHealthIndicator(cache, properties.getMode().name().toLowerCase(Locale.ROOT));
	}

}
