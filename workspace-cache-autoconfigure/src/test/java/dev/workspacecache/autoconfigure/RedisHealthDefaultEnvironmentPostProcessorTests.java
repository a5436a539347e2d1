package dev.workspacecache.autoconfigure;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisHealthDefaultEnvironmentPostProcessor}: Spring Boot's Redis
 * health check is off by default in the modes that need no Redis, and on otherwise or
 * when the user says so.
 */
class RedisHealthDefaultEnvironmentPostProcessorTests {

	private static final String REDIS_HEALTH = "redisHealthContributor";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withInitializer((context) -> postProcess(context.getEnvironment()))
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				DataRedisHealthContributorAutoConfiguration.class, WorkspaceCacheAutoConfiguration.class));

	@Test
	void isRegisteredAsAnEnvironmentPostProcessor() throws IOException {
		Set<String> registered = new LinkedHashSet<>();
		for (URL factories : Collections.list(getClass().getClassLoader().getResources("META-INF/spring.factories"))) {
			Properties properties = PropertiesLoaderUtils.loadProperties(new UrlResource(factories));
			registered.addAll(StringUtils
				.commaDelimitedListToSet(properties.getProperty(EnvironmentPostProcessor.class.getName(), "")));
		}
		assertThat(registered).contains(RedisHealthDefaultEnvironmentPostProcessor.class.getName());
	}

	@ParameterizedTest
	@ValueSource(strings = { "noop", "memory", "Memory" })
	void modesWithoutRedisTurnTheRedisHealthCheckOff(String mode) {
		this.contextRunner.withPropertyValues("workspace.cache.mode=" + mode)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(REDIS_HEALTH));
	}

	@Test
	void withoutModeTheRedisHealthCheckIsOff() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(REDIS_HEALTH));
	}

	@Test
	void valkeyModeKeepsTheRedisHealthCheck() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=valkey")
			.run((context) -> assertThat(context).hasBean(REDIS_HEALTH));
	}

	@ParameterizedTest
	@ValueSource(strings = { "noop", "memory" })
	void theUserCanTurnTheRedisHealthCheckOnInAnyMode(String mode) {
		this.contextRunner.withPropertyValues("workspace.cache.mode=" + mode, "management.health.redis.enabled=true")
			.run((context) -> assertThat(context).hasBean(REDIS_HEALTH));
	}

	@Test
	void theUserCanTurnTheRedisHealthCheckOffInValkeyMode() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=valkey", "management.health.redis.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(REDIS_HEALTH));
	}

	@Test
	void theDefaultFollowsAModeSetAfterPostProcessing() {
		MockEnvironment environment = new MockEnvironment();
		postProcess(environment);
		assertThat(environment.getProperty(RedisHealthDefaultEnvironmentPostProcessor.REDIS_HEALTH_ENABLED))
			.isEqualTo("false");
		// As a test's @DynamicPropertySource does, after the environment was prepared.
		environment.getPropertySources()
			.addFirst(new MapPropertySource("late", Map.of("workspace.cache.mode", "valkey")));
		assertThat(environment.containsProperty(RedisHealthDefaultEnvironmentPostProcessor.REDIS_HEALTH_ENABLED))
			.isFalse();
	}

	@Test
	void springApplicationDefaultPropertiesWinOverTheDefault() {
		StandardEnvironment environment = new StandardEnvironment();
		postProcess(environment);
		// SpringApplication moves its default properties below every other source.
		environment.getPropertySources()
			.addLast(new MapPropertySource("defaultProperties",
					Map.of(RedisHealthDefaultEnvironmentPostProcessor.REDIS_HEALTH_ENABLED, "true")));
		assertThat(environment.getProperty(RedisHealthDefaultEnvironmentPostProcessor.REDIS_HEALTH_ENABLED))
			.isEqualTo("true");
	}

	@Test
	void aValueThatIsNotAModeSetsNoDefault() {
		MockEnvironment environment = new MockEnvironment().withProperty("workspace.cache.mode", "shared");
		postProcess(environment);
		assertThat(environment.containsProperty(RedisHealthDefaultEnvironmentPostProcessor.REDIS_HEALTH_ENABLED))
			.isFalse();
	}

	@Test
	void addsItsPropertySourceOnce() {
		MockEnvironment environment = new MockEnvironment();
		postProcess(environment);
		postProcess(environment);
		assertThat(environment.getPropertySources()
			.stream()
			.filter((source) -> source.getName()
				.equals(RedisHealthDefaultEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)))
			.hasSize(1);
	}

	private static void postProcess(ConfigurableEnvironment environment) {
		new RedisHealthDefaultEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
	}

}
