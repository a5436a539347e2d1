package dev.workspacecache;

/**
 * The operations of {@link WorkspaceCache}, named once: in
 * {@link WorkspaceCacheException}, in logs and as the {@code operation} tag of metrics.
 * {@link #toString()} is the method name.
 */
public enum WorkspaceCacheOperation {

	/** {@link WorkspaceCache#cacheWorkspace cacheWorkspace}. */
	CACHE_WORKSPACE("cacheWorkspace"),

	/** {@link WorkspaceCache#getWorkspace getWorkspace}. */
	GET_WORKSPACE("getWorkspace"),

	/** {@link WorkspaceCache#cacheFile cacheFile}. */
	CACHE_FILE("cacheFile"),

	/** {@link WorkspaceCache#getFile getFile}. */
	GET_FILE("getFile"),

	/** {@link WorkspaceCache#listFiles listFiles}. */
	LIST_FILES("listFiles"),

	/** {@link WorkspaceCache#cacheGraph cacheGraph}. */
	CACHE_GRAPH("cacheGraph"),

	/** {@link WorkspaceCache#getGraph getGraph}. */
	GET_GRAPH("getGraph"),

	/** {@link WorkspaceCache#evict evict}. */
	EVICT("evict"),

	/** {@link WorkspaceCache#touch touch}. */
	TOUCH("touch"),

	/** {@link WorkspaceCache#getFiles getFiles}. */
	GET_FILES("getFiles"),

	/** {@link WorkspaceCache#cacheFiles cacheFiles}. */
	CACHE_FILES("cacheFiles"),

	/** {@link WorkspaceCache#recover recover}. */
	RECOVER("recover"),

	/** {@link WorkspaceCache#cacheAll cacheAll}. */
	CACHE_ALL("cacheAll"),

	/** {@link WorkspaceCache#writeIfVersion writeIfVersion}. */
	WRITE_IF_VERSION("writeIfVersion"),

	/** {@link WorkspaceCache#describe describe}. */
	DESCRIBE("describe"),

	/**
	 * {@link dev.workspacecache.valkey.ValkeyCache#ping ValkeyCache.ping}: the health
	 * check's probe of the server, not a {@link WorkspaceCache} method.
	 */
	PING("ping");

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
