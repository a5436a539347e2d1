package dev.workspacecache.valkey;

/**
 * A stored value that cannot be decoded: corrupt, written in an unknown format version,
 * or of the wrong shape. {@link ValkeyCache} turns it into a miss rather than wrong data.
 */
final class UnreadableValueException extends RuntimeException {

	UnreadableValueException(String reason) {
		super(reason);
	}

	UnreadableValueException(String reason, Throwable cause) {
		super(reason, cause);
	}

}
