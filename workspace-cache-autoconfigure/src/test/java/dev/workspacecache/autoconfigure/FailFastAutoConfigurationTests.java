package dev.workspacecache.autoconfigure;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.memory.InMemoryWorkspaceCache;
import dev.workspacecache.testsupport.FreePorts;
import dev.workspacecache.valkey.ServerAvailability;
import dev.workspacecache.valkey.ValkeyCache;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the fail-fast part of {@link WorkspaceCacheAutoConfiguration}: the
 * {@link ServerAvailability} of the {@code valkey} cache and the Lettuce settings it
 * relies on. No server: nothing here connects.
 */
class FailFastAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DataRedisAutoConfiguration.class, WorkspaceCacheAutoConfiguration.class))
		.withPropertyValues("workspace.cache.mode=valkey");

	@Test
	void valkeyModeFailsFastByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			ServerAvailability availability = context.getBean(ServerAvailability.class);
			assertThat(context.getBean(ValkeyCache.class).getServerAvailability()).containsSame(availability);
			assertThat(availability.isAvailable()).isTrue();
			assertThat(availability.getCircuitBreaker().getCircuitBreakerConfig().getSlidingWindowSize()).isEqualTo(1);
			LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
			assertThat(factory.getClientConfiguration().getClientOptions())
				.hasValueSatisfying((options) -> assertThat(options.getDisconnectedBehavior())
					.isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS));
			assertThat(maxReconnectDelay(factory)).isEqualTo(Duration.ofMillis(500));
		});
	}

	@Test
	void settingsAreBoundFromProperties() {
		this.contextRunner
			.withPropertyValues("workspace.cache.fail-fast.consecutive-failures=3",
					"workspace.cache.fail-fast.probe-interval=1s",
					"workspace.cache.fail-fast.reject-commands-while-disconnected=false",
					"workspace.cache.fail-fast.max-reconnect-delay=2s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ServerAvailability availability = context.getBean(ServerAvailability.class);
				assertThat(availability.getCircuitBreaker().getCircuitBreakerConfig().getSlidingWindowSize())
					.isEqualTo(3);
				LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
				assertThat(factory.getClientConfiguration().getClientOptions())
					.hasValueSatisfying((options) -> assertThat(options.getDisconnectedBehavior())
						.isEqualTo(ClientOptions.DisconnectedBehavior.DEFAULT));
				assertThat(maxReconnectDelay(factory)).isEqualTo(Duration.ofSeconds(2));
			});
	}

	@Test
	void disabledFailFastLeavesTheCacheAndTheClientAlone() {
		this.contextRunner.withPropertyValues("workspace.cache.fail-fast.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(ServerAvailability.class)
				.doesNotHaveBean(FailFastLettuceCustomizer.class);
			assertThat(context.getBean(ValkeyCache.class).getServerAvailability()).isEmpty();
			LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
			assertThat(factory.getClientConfiguration().getClientOptions())
				.hasValueSatisfying((options) -> assertThat(options.getDisconnectedBehavior())
					.isEqualTo(ClientOptions.DisconnectedBehavior.DEFAULT));
		});
	}

	@Test
	void withoutResilience4jTheCacheWaitsForTheServerAsBefore() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.github.resilience4j")).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(ServerAvailability.class);
			assertThat(context.getBean(ValkeyCache.class).getServerAvailability()).isEmpty();
		});
	}

	@Test
	void otherModesHaveNoServerAvailabilityAndLeaveTheClientAlone() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=memory").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(ServerAvailability.class)
				.doesNotHaveBean(FailFastLettuceCustomizer.class);
		});
	}

	@Test
	void aCacheOfTheApplicationsOwnGetsNoServerAvailability() {
		this.contextRunner.withUserConfiguration(OwnCacheConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(WorkspaceCache.class).doesNotHaveBean(ServerAvailability.class);
		});
	}

	@Test
	void theApplicationsOwnServerAvailabilityIsUsed() {
		this.contextRunner.withUserConfiguration(OwnServerAvailabilityConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(ValkeyCache.class).getServerAvailability())
				.containsSame(context.getBean(ServerAvailability.class));
			assertThat(context.getBean(ServerAvailability.class)
				.getCircuitBreaker()
				.getCircuitBreakerConfig()
				.getSlidingWindowSize()).isEqualTo(7);
		});
	}

	@Test
	void theCircuitStateIsAGaugePerState() {
		// A port nothing listens on: the probe that an open circuit starts finds no
		// server.
		this.contextRunner.withPropertyValues("spring.data.redis.port=" + FreePorts.any()).run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(ValkeyCacheMetrics.class).bindTo(registry);
			assertThat(circuitState(registry, "closed")).isEqualTo(1);
			assertThat(circuitState(registry, "open")).isZero();
			context.getBean(ServerAvailability.class).getCircuitBreaker().transitionToOpenState();
			assertThat(circuitState(registry, "closed")).isZero();
			assertThat(circuitState(registry, "open")).isEqualTo(1);
		});
	}

	private static double circuitState(SimpleMeterRegistry registry, String state) {
		return registry.get(ValkeyCacheMetrics.CIRCUIT_STATE)
			.tag("state", state)
			.tag("key.prefix", "workspace-cache:")
			.gauge()
			.value();
	}

	private static Duration maxReconnectDelay(LettuceConnectionFactory factory) {
		ClientResources resources = factory.getClientConfiguration().getClientResources().orElseThrow();
		// Far into a long outage the exponential delay sits at its upper bound.
		return resources.reconnectDelay().createDelay(40);
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnCacheConfiguration {

		@Bean
		WorkspaceCache ownCache() {
			return new InMemoryWorkspaceCache(Duration.ofMinutes(1), 1024);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnServerAvailabilityConfiguration {

		@Bean
		ServerAvailability ownServerAvailability() {
			return new ServerAvailability(7, Duration.ofSeconds(1));
		}

	}

}
