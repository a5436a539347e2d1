package dev.workspacecache.autoconfigure;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.workspacecache.NoOpCache;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.actuate.WorkspaceCacheHealthIndicator;
import dev.workspacecache.testsupport.FreePorts;
import dev.workspacecache.valkey.ValkeyCache;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkspaceCacheHealthContributorAutoConfiguration}: when the
 * {@code workspaceCache} health indicator exists and what it reports without a server.
 */
class WorkspaceCacheHealthContributorAutoConfigurationTests {

	private static final String INDICATOR = "workspaceCacheHealthIndicator";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				WorkspaceCacheAutoConfiguration.class, WorkspaceCacheHealthContributorAutoConfiguration.class));

	@ParameterizedTest
	@ValueSource(strings = { "noop", "memory" })
	void modesWithoutAServerAreAlwaysUpWithTheMode(String mode) {
		this.contextRunner.withPropertyValues("workspace.cache.mode=" + mode).run((context) -> {
			assertThat(context).hasSingleBean(WorkspaceCacheHealthIndicator.class).hasBean(INDICATOR);
			Health health = context.getBean(INDICATOR, HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsExactlyEntriesOf(Map.of("mode", mode));
		});
	}

	@Test
	void withoutModeTheIndicatorReportsNoop() {
		this.contextRunner.run((context) -> assertThat(context.getBean(INDICATOR, HealthIndicator.class).health())
			.satisfies((health) -> {
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("mode", "noop");
			}));
	}

	@Test
	void valkeyModeWithoutAServerIsDownWithoutThrowing() {
		this.contextRunner
			.withPropertyValues("workspace.cache.mode=valkey", "spring.data.redis.host=" + FreePorts.HOST,
					"spring.data.redis.port=" + FreePorts.any(), "spring.data.redis.timeout=1s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Health health = context.getBean(INDICATOR, HealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("mode", "valkey").containsKey("error");
				assertThat(health.getDetails()).doesNotContainKeys("server", "version");
				assertThat(context.getBean(ValkeyCache.class).getCommandTimeout()).isEqualTo(Duration.ofSeconds(1));
			});
	}

	@Test
	void anApplicationsOwnCacheIsUpWithTheConfiguredMode() {
		this.contextRunner.withUserConfiguration(OwnCacheConfiguration.class)
			.withPropertyValues("workspace.cache.mode=valkey")
			.run((context) -> {
				Health health = context.getBean(INDICATOR, HealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("mode", "valkey");
			});
	}

	@Test
	void turnedOffByItsEnabledProperty() {
		this.contextRunner.withPropertyValues("management.health.workspacecache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(INDICATOR));
	}

	@Test
	void turnedOffWithTheHealthDefaults() {
		this.contextRunner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(INDICATOR));
	}

	@Test
	void anIndicatorOfTheApplicationsOwnWins() {
		this.contextRunner.withUserConfiguration(OwnIndicatorConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean(WorkspaceCacheHealthIndicator.class);
			assertThat(context.getBean(INDICATOR, HealthIndicator.class).health().getStatus())
				.isEqualTo(Status.OUT_OF_SERVICE);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnCacheConfiguration {

		@Bean
		WorkspaceCache ownCache() {
			return new NoOpCache();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnIndicatorConfiguration {

		@Bean
		HealthIndicator workspaceCacheHealthIndicator() {
			return () -> Health.outOfService().build();
		}

	}

}
