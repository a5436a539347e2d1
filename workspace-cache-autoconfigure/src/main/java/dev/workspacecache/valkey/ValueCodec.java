package dev.workspacecache.valkey;

/**
 * Turns one kind of value that {@link ValkeyCache} stores into the bytes of a hash field
 * and back, in the spirit of Lettuce's {@code RedisCodec}: one small class per kind of
 * value ({@link SnapshotCodec}, {@link OverlayEntryCodec}, {@link GraphCodec}), each a
 * versioned format ({@link VersionedCborFormat}). Where the values go is
 * {@link WorkspaceKeys}' concern.
 *
 * @param <T> the type of value
 */
interface ValueCodec<T> {

	/**
	 * Encode a value.
	 * @param value the value
	 * @return the bytes to store
	 */
	byte[] encode(T value);

	/**
	 * Decode a stored value.
	 * @param value the stored bytes
	 * @return the value
	 * @throws UnreadableValueException if the bytes are not a value of this format and
	 * version
	 */
	T decode(byte[] value);

}
