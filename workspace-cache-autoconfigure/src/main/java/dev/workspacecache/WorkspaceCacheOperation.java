package dev.workspacecache;

/**
 * The operations of {@link WorkspaceCache}, named once: in
 * {@link WorkspaceCacheException}, in logs and as the {@code operation} tag of metrics.
 * {@link #toString()} is the method name.
 */
public enum WorkspaceCacheOperation {

	CACHE_WORKSPACE("cacheWorkspace"),

	GET_WORKSPACE("getWorkspace"),

	CACHE_FILE("cacheFile"),

	GET_FILE("getFile"),

	LIST_FILES("listFiles"),

	CACHE_GRAPH("cacheGraph"),

	GET_GRAPH("getGraph"),

	EVICT("evict"),

	TOUCH("touch"),

	GET_FILES("getFiles"),

	CACHE_FILES("cacheFiles"),

	RECOVER("recover"),

	CACHE_ALL("cacheAll");

	private final String methodName;

	WorkspaceCacheOperation(String methodName) {
		this.methodName = methodName;
	}

	/**
	 * Return the name of the {@link WorkspaceCache} method.
	 * @return for example {@code "cacheFile"}
	 */
	public String methodName() {
		return this.methodName;
	}

	@Override
	public String toString() {
		return this.methodName;
	}

}
