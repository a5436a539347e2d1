package dev.workspacecache.observation;

import java.util.Locale;
import java.util.UUID;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheOperation;
import dev.workspacecache.WriteOutcome;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Observation.Context} of one {@link WorkspaceCache} call: which operation, on
 * which workspace, in which cache mode, and once the call has returned, what it found and
 * how many bytes it moved.
 */
public class WorkspaceCacheObservationContext extends Observation.Context {

	/**
	 * Value of {@link #getBytesRead()} and {@link #getBytesWritten()} when the call did
	 * not measure them.
	 */
	public static final long NOT_MEASURED = -1;

	private final WorkspaceCacheOperation operation;

	private final UUID workspaceId;

	private final String mode;

	private @Nullable Result result;

	private @Nullable WriteOutcome writeOutcome;

	private long bytesRead = NOT_MEASURED;

	private long bytesWritten = NOT_MEASURED;

	/**
	 * Create the context of a call.
	 * @param operation the operation called
	 * @param workspaceId the workspace the call is for
	 * @param mode the mode of the cache ({@code noop}, {@code memory}, {@code valkey}, or
	 * a custom backend's name)
	 */
	public WorkspaceCacheObservationContext(WorkspaceCacheOperation operation, UUID workspaceId, String mode) {
		this.operation = operation;
		this.workspaceId = workspaceId;
		this.mode = mode;
	}

	/**
	 * Return the operation called.
	 * @return the operation
	 */
	public WorkspaceCacheOperation getOperation() {
		return this.operation;
	}

	/**
	 * Return the workspace the call is for.
	 * @return the workspace id
	 */
	public UUID getWorkspaceId() {
		return this.workspaceId;
	}

	/**
	 * Return the mode of the cache.
	 * @return for example {@code "valkey"}
	 */
	public String getMode() {
		return this.mode;
	}

	/**
	 * Return what a call that returned found; {@code null} while it runs and when it
	 * threw (see {@link #getError()}).
	 * @return the result, or {@code null}
	 */
	public @Nullable Result getResult() {
		return this.result;
	}

	/**
	 * Set what the call found.
	 * @param result the result
	 */
	public void setResult(Result result) {
		this.result = result;
	}

	/**
	 * Return what a write or touch found in the cache; {@code null} for reads, evicts,
	 * and calls that have not returned.
	 * @return the outcome, or {@code null}
	 */
	public @Nullable WriteOutcome getWriteOutcome() {
		return this.writeOutcome;
	}

	/**
	 * Set what a write or touch found in the cache.
	 * @param writeOutcome the outcome
	 */
	public void setWriteOutcome(WriteOutcome writeOutcome) {
		this.writeOutcome = writeOutcome;
	}

	/**
	 * Return the bytes the call read from the store.
	 * @return the bytes read, or {@link #NOT_MEASURED}
	 */
	public long getBytesRead() {
		return this.bytesRead;
	}

	/**
	 * Add to the bytes the call read from the store.
	 * @param bytes the bytes read by one command
	 */
	public void addBytesRead(long bytes) {
		this.bytesRead = Math.max(this.bytesRead, 0) + bytes;
	}

	/**
	 * Return the bytes the call wrote to the store.
	 * @return the bytes written, or {@link #NOT_MEASURED}
	 */
	public long getBytesWritten() {
		return this.bytesWritten;
	}

	/**
	 * Add to the bytes the call wrote to the store.
	 * @param bytes the bytes written by one command
	 */
	public void addBytesWritten(long bytes) {
		this.bytesWritten = Math.max(this.bytesWritten, 0) + bytes;
	}

	/**
	 * What a call that returned found, or that it was cancelled: the {@code result} key
	 * of the observation, besides {@code error} for a call that threw.
	 */
	public enum Result {

		/**
		 * A read found what it asked for.
		 */
		HIT,

		/**
		 * A read found nothing: an empty {@code Optional} or an empty collection, as the
		 * contract reports a miss.
		 */
		MISS,

		/**
		 * A write, touch or evict returned normally, whatever its {@link WriteOutcome}; a
		 * conditional write that was applied.
		 */
		SUCCESS,

		/**
		 * A conditional write ({@link dev.workspacecache.WorkspaceCache#writeIfVersion
		 * writeIfVersion}) that was not applied: a version conflict, a lost or an evicted
		 * workspace.
		 */
		REFUSED,

		/**
		 * A call of the reactive API whose subscriber cancelled it before it ended (a
		 * {@code Mono.timeout}, a client that went away): whether the store did anything
		 * is unknown.
		 */
		CANCELLED;

		/**
		 * Return the value of the {@code result} key.
		 * @return the name in lower case, for example {@code "hit"}
		 */
		public String value() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
