package dev.workspacecache;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when the store behind a {@link WorkspaceCache} fails (unreachable, timed out,
 * refused the command). A cache miss is never reported this way.
 * <p>
 * The message names the operation and the workspace; the backend's exception is attached
 * as the cause. Messages never contain credentials.
 */
public class WorkspaceCacheException extends RuntimeException {

	private final WorkspaceCacheOperation operation;

	private final @Nullable UUID workspaceId;

	/**
	 * Create an exception for a failed cache operation.
	 * @param operation the {@link WorkspaceCache} operation that failed
	 * @param workspaceId the workspace the operation was for
	 * @param detail a short description of the failure, free of credentials
	 * @param cause the backend failure
	 */
	public WorkspaceCacheException(WorkspaceCacheOperation operation, @Nullable UUID workspaceId, String detail,
			@Nullable Throwable cause) {
		super("Workspace cache operation '" + operation.methodName() + "' failed"
				+ ((workspaceId != null) ? " for workspace " + workspaceId : "") + ": " + detail, cause);
		this.operation = operation;
		this.workspaceId = workspaceId;
	}

	/**
	 * Return the {@link WorkspaceCache} operation that failed.
	 * @return the operation, for example {@link WorkspaceCacheOperation#CACHE_FILE}
	 */
	public WorkspaceCacheOperation getOperation() {
		return this.operation;
	}

	/**
	 * Return the workspace the failed operation was for.
	 * @return the workspace id
	 */
	public @Nullable UUID getWorkspaceId() {
		return this.workspaceId;
	}

}
