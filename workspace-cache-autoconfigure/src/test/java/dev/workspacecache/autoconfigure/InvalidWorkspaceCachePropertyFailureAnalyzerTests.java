package dev.workspacecache.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InvalidWorkspaceCachePropertyFailureAnalyzer}: every invalid
 * {@code workspace.cache.*} property fails startup with our analysis.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvalidWorkspaceCachePropertyFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DataRedisAutoConfiguration.class, WorkspaceCacheAutoConfiguration.class));

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			mode           | redis | noop, valkey, memory
			ttl            | 0s    | positive duration
			ttl            | -5m   | positive duration
			key-prefix     | {x}   | without '{' or '}'
			key-prefix     | a}b:  | without '{' or '}'
			max-entry-size | 0     | positive size
			max-entry-size | -1KB  | positive size
			compression    | lz4   | none, zstd
			compression-threshold | -1B | at least 0
			fail-fast.consecutive-failures | 0 | at least 1
			fail-fast.probe-interval | 0ms | positive duration
			fail-fast.max-reconnect-delay | -1s | positive duration
			notifications.retry-interval | 0ms | positive duration
			""")
	void invalidPropertyFailsStartupWithOurAnalysis(String property, String value, String action) {
		String name = "workspace.cache." + property;
		this.contextRunner.withPropertyValues(name + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new InvalidWorkspaceCachePropertyFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("'" + name + "'").contains("'" + value + "'");
			assertThat(analysis.getAction()).contains(name).contains(action);
		});
	}

	@Test
	void invalidModeActionListsEveryMode() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=redis").run((context) -> {
			FailureAnalysis analysis = new InvalidWorkspaceCachePropertyFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getAction()).contains("noop").contains("valkey").contains("memory");
		});
	}

	@Test
	void bindFailureOfAnotherPropertyIsNotOurs() {
		this.contextRunner.withPropertyValues("spring.data.redis.port=not-a-port", "workspace.cache.mode=valkey")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(new InvalidWorkspaceCachePropertyFailureAnalyzer().analyze(context.getStartupFailure()))
					.isNull();
			});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			mode           | redis | Set workspace.cache.mode to one of: noop, valkey, memory
			ttl            | 0s    | Set workspace.cache.ttl to a positive duration
			key-prefix     | {x}   | Set workspace.cache.key-prefix to a prefix without '{' or '}'
			max-entry-size | 0     | Set workspace.cache.max-entry-size to a positive size
			""")
	void bootsFailureAnalysisPipelineReportsOurAnalysis(String property, String value, String action,
			CapturedOutput output) {
		String name = "workspace.cache." + property;
		assertThat(FailureAnalyses.failureReport(output, name + "=" + value))
			.contains("Invalid workspace cache configuration: property '" + name + "'")
			.contains("'" + value + "'")
			.contains(action);
	}

}
