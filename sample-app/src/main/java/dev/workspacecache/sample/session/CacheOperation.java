package dev.workspacecache.sample.session;

/**
 * The {@link dev.workspacecache.WorkspaceCache} calls the sample makes, named as the methods
 * are: the {@code operation} tag of the {@code sample.cache.failures} counter.
 */
public enum CacheOperation {

	CACHE_ALL("cacheAll"),

	CACHE_FILE("cacheFile"),

	CACHE_GRAPH("cacheGraph"),

	TOUCH("touch"),

	EVICT("evict"),

	RECOVER("recover");

	private final String methodName;

	CacheOperation(String methodName) {
		this.methodName = methodName;
	}

	/**
	 * Return the name of the {@link dev.workspacecache.WorkspaceCache} method.
	 * @return for example {@code "cacheFile"}
	 */
	public String methodName() {
		return this.methodName;
	}

}
