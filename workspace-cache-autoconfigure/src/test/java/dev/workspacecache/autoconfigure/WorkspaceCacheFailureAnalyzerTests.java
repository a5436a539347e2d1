package dev.workspacecache.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkspaceCacheFailureAnalyzer}: the startup failures of the valkey
 * mode without a usable connection factory, Spring Data Redis or Jackson's CBOR. No
 * server: the context fails to start before anything connects.
 */
@ExtendWith(OutputCaptureExtension.class)
class WorkspaceCacheFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DataRedisAutoConfiguration.class, WorkspaceCacheAutoConfiguration.class));

	@Test
	void twoUnqualifiedConnectionFactoriesFailStartupWithAnalysis() {
		this.contextRunner.withUserConfiguration(TwoUnqualifiedFactoriesConfiguration.class)
			.withPropertyValues("workspace.cache.mode=valkey", "test.server-a.port=1", "test.server-b.port=2")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new WorkspaceCacheFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("workspace.cache.mode is 'valkey'")
					.contains("2 RedisConnectionFactory beans");
				assertThat(analysis.getAction()).contains("@WorkspaceCacheConnectionFactory").contains("@Primary");
				assertThat(analysis.getCause()).isInstanceOf(WorkspaceCacheConfigurationException.class);
			});
	}

	@Test
	void valkeyModeWithoutConnectionFactoryFailsStartupWithAnalysis() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WorkspaceCacheAutoConfiguration.class))
			.withPropertyValues("workspace.cache.mode=valkey")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = FailureAnalyses.analyze(context);
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("no RedisConnectionFactory bean");
				assertThat(analysis.getAction()).contains("spring.data.redis.host")
					.contains("@WorkspaceCacheConnectionFactory");
			});
	}

	@Test
	void valkeyModeWithoutSpringDataRedisFailsStartupWithAnalysis() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.withPropertyValues("workspace.cache.mode=valkey")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = FailureAnalyses.analyze(context);
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("Spring Data Redis is not on the classpath");
				assertThat(analysis.getAction()).contains("workspace-cache-starter");
			});
	}

	@Test
	void valkeyModeWithoutRedisConnectionFactoryClassFailsStartupWithAnalysis() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.withPropertyValues("workspace.cache.mode=valkey")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = FailureAnalyses.analyze(context);
				assertThat(analysis).isNotNull();
				assertThat(analysis.getAction()).contains("workspace-cache-starter");
			});
	}

	@Test
	void valkeyModeWithoutJacksonCborFailsStartupWithAnalysis() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("tools.jackson.dataformat.cbor"))
			.withPropertyValues("workspace.cache.mode=valkey")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = FailureAnalyses.analyze(context);
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("CBOR");
				assertThat(analysis.getAction()).contains("jackson-dataformat-cbor")
					.contains("workspace-cache-starter");
			});
	}

	@Test
	void bootsFailureAnalysisPipelineReportsMissingConnectionFactory(CapturedOutput output) {
		assertThat(FailureAnalyses.failureReport(output, "workspace.cache.mode=valkey"))
			.contains("no RedisConnectionFactory bean")
			.contains("spring.data.redis.host");
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoUnqualifiedFactoriesConfiguration {

		@Bean
		LettuceConnectionFactory firstConnectionFactory(@Value("${test.server-a.port}") int port) {
			return TestConnectionFactories.local(port);
		}

		@Bean
		LettuceConnectionFactory secondConnectionFactory(@Value("${test.server-b.port}") int port) {
			return TestConnectionFactories.local(port);
		}

	}

}
