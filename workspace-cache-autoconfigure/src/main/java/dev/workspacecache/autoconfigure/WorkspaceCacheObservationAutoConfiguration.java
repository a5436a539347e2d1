package dev.workspacecache.autoconfigure;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.observation.WorkspaceCacheBytesObservationHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the metrics of {@link WorkspaceCache} observations, when the
 * application has both an {@link ObservationRegistry} and a {@link MeterRegistry} (Spring
 * Boot's Actuator gives both). The timer of every call comes from Spring Boot's own
 * {@code DefaultMeterObservationHandler}; this adds the
 * {@link WorkspaceCacheBytesObservationHandler summaries of the bytes read and written},
 * which Spring Boot registers with its {@link ObservationRegistry} as it does every
 * {@code ObservationHandler} bean. The caches themselves are given the registry by
 * {@link WorkspaceCacheAutoConfiguration} and
 * {@link ReactiveWorkspaceCacheAutoConfiguration}.
 */
@AutoConfiguration(after = WorkspaceCacheAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, ObservationRegistry.class })
@ConditionalOnBean({ MeterRegistry.class, ObservationRegistry.class })
public final class WorkspaceCacheObservationAutoConfiguration {

	private WorkspaceCacheObservationAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	static WorkspaceCacheBytesObservationHandler workspaceCacheBytesObservationHandler(MeterRegistry meterRegistry) {
		return new WorkspaceCacheBytesObservationHandler(meterRegistry);
	}

}
