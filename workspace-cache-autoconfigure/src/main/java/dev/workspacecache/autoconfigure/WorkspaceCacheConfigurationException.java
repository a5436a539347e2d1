package dev.workspacecache.autoconfigure;

/**
 * The workspace cache cannot be created as configured. Reported at startup by
 * {@link WorkspaceCacheFailureAnalyzer} with the action to take.
 */
class WorkspaceCacheConfigurationException extends RuntimeException {

	private final String action;

	WorkspaceCacheConfigurationException(String description, String action) {
		super(description);
		this.action = action;
	}

	String getAction() {
		return this.action;
	}

}
