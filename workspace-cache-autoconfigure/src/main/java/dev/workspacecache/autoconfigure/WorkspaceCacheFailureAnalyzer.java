package dev.workspacecache.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link WorkspaceCacheConfigurationException} at startup.
 */
class WorkspaceCacheFailureAnalyzer extends AbstractFailureAnalyzer<WorkspaceCacheConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, WorkspaceCacheConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
