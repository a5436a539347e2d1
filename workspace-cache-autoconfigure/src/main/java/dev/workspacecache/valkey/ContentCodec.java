package dev.workspacecache.valkey;

/**
 * A compression algorithm for file content, as {@link OverlayEntryCodec} stores it: the
 * compressed bytes alone, with the algorithm's {@link #name()} and the content's length
 * kept beside them in the entry. {@link ContentCodecs} finds the one a value names.
 */
interface ContentCodec {

	/**
	 * Return the name stored in every value this codec compresses.
	 * @return the name, a short ASCII text
	 */
	String name();

	/**
	 * Compress content.
	 * @param content the content
	 * @return the compressed bytes, possibly larger than the content
	 */
	byte[] compress(byte[] content);

	/**
	 * Decompress what {@link #compress} returned, into exactly {@code length} bytes and
	 * never more.
	 * @param compressed the compressed bytes
	 * @param length the length of the content, as stored beside it; already checked
	 * against the largest entry accepted
	 * @return the content
	 * @throws UnreadableValueException if the bytes are not compressed content of that
	 * length
	 */
	byte[] decompress(byte[] compressed, int length);

}
