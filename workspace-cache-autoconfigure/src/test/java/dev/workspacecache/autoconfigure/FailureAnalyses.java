package dev.workspacecache.autoconfigure;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Analyses of startup failures for the tests of the failure analyzers, by the analyzers
 * themselves or by Spring Boot's failure analysis pipeline.
 */
final class FailureAnalyses {

	private FailureAnalyses() {
	}

	/**
	 * Return the analysis of the context's startup failure by whichever of our failure
	 * analyzers recognises it.
	 * @param context the context that failed to start
	 * @return the analysis, or {@code null} if none of our analyzers recognises the
	 * failure
	 */
	static FailureAnalysis analyze(AssertableApplicationContext context) {
		Throwable failure = context.getStartupFailure();
		FailureAnalysis analysis = new InvalidWorkspaceCachePropertyFailureAnalyzer().analyze(failure);
		return (analysis != null) ? analysis : new WorkspaceCacheFailureAnalyzer().analyze(failure);
	}

	/**
	 * Start a minimal application with the given properties, which must fail, and return
	 * the failure report that Spring Boot's failure analysis printed.
	 * @param output the captured output
	 * @param properties the application's properties
	 * @return the printed output from the failure report on
	 */
	static String failureReport(CapturedOutput output, String... properties) {
		assertThatThrownBy(() -> new SpringApplicationBuilder(MinimalApplication.class).web(WebApplicationType.NONE)
			.properties(properties)
			.properties("spring.main.banner-mode=off", "spring.main.log-startup-info=false")
			.run()
			.close()).isNotNull();
		String printed = output.getAll();
		int report = printed.lastIndexOf("APPLICATION FAILED TO START");
		assertThat(report).as("failure report in:%n%s", printed).isNotNegative();
		return printed.substring(report);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(WorkspaceCacheAutoConfiguration.class)
	static class MinimalApplication {

	}

}
