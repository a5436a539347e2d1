package dev.workspacecache.valkey;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedOverlayEntry.Added;
import dev.workspacecache.CachedOverlayEntry.Deleted;
import dev.workspacecache.CachedOverlayEntry.Modified;
import dev.workspacecache.valkey.ContentCompression.Algorithm;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;

/**
 * Encodes one overlay entry, the value of a field of the overlay hash (the field itself
 * is the path). A CBOR array whose format version says whether the content is compressed:
 * <pre>
 * [1, "M", hash: text, content: bytes]                              Modified
 * [1, "A", hash: text, content: bytes]                              Added
 * [1, "D"]                                                          Deleted
 * [2, "M"|"A", hash: text, algorithm: text, length: uint, compressed: bytes]
 * </pre> Version 2 is written only with {@link ContentCompression} on, for content of at
 * least its threshold that compresses to fewer bytes than version 1 would take; all else
 * is version 1, which releases without compression read too. An encoded entry is
 * therefore never more than 16 bytes larger than its content and hash.
 * <p>
 * Every codec reads both versions, whatever its own setting. Reading version 2 checks the
 * stored length against the largest entry accepted before it allocates anything, and
 * decompresses into exactly that length: a corrupt value is unreadable, never a
 * decompression bomb.
 */
final class OverlayEntryCodec implements ValueCodec<CachedOverlayEntry> {

	/** Format version of an entry whose content is compressed. */
	static final int COMPRESSED_VERSION = 2;

	/**
	 * A codec that stores content raw and reads any entry up to the largest array a JVM
	 * allocates.
	 */
	static final OverlayEntryCodec INSTANCE = new OverlayEntryCodec(ContentCompression.none(), Integer.MAX_VALUE - 8);

	/**
	 * Most bytes that version 2 adds to version 1 around the content: the algorithm's
	 * name (a short text) and the length (an unsigned integer, at most five bytes below 4
	 * GiB).
	 */
	private static final int COMPRESSED_FRAMING = 16;

	private static final String MODIFIED = "M";

	private static final String ADDED = "A";

	private static final String DELETED = "D";

	private final @Nullable ContentCodec compressor;

	private final long threshold;

	private final long maxContentLength;

	/**
	 * Create a codec.
	 * @param compression how to store content
	 * @param maxEntrySize the largest content accepted, in bytes: a compressed value that
	 * says it holds more is unreadable
	 */
	OverlayEntryCodec(ContentCompression compression, long maxEntrySize) {
		this.compressor = (compression.algorithm() != Algorithm.NONE)
				? ContentCodecs.forWriting(compression.algorithm()) : null;
		this.threshold = compression.threshold();
		this.maxContentLength = Math.min(maxEntrySize, Integer.MAX_VALUE - 8);
	}

	@Override
	public byte[] encode(CachedOverlayEntry entry) {
		if (entry instanceof CachedOverlayEntry.WithContent withContent) {
			return encodeWithContent((entry instanceof Modified) ? MODIFIED : ADDED, withContent.hash(),
					withContent.content());
		}
		return VersionedCborFormat.write(0, (generator) -> generator.writeString(DELETED));
	}

	private byte[] encodeWithContent(String kind, String hash, byte[] content) {
		ContentCodec compressor = this.compressor;
		if (compressor != null && content.length >= this.threshold && content.length > 0) {
			byte[] compressed = compressor.compress(content);
			// Only when it saves space: the storage bound of version 1 holds for every
			// entry.
			if (compressed.length + COMPRESSED_FRAMING < content.length) {
				return VersionedCborFormat.write(COMPRESSED_VERSION, compressed.length + hash.length(), (generator) -> {
					generator.writeString(kind);
					generator.writeString(hash);
					generator.writeString(compressor.name());
					generator.writeNumber(content.length);
					generator.writeBinary(compressed);
				});
			}
		}
		return VersionedCborFormat.write(content.length + hash.length(), (generator) -> {
			generator.writeString(kind);
			generator.writeString(hash);
			generator.writeBinary(content);
		});
	}

	@Override
	public CachedOverlayEntry decode(byte[] value) {
		// Values as this release writes them raw skip the parser; anything else is
		// Jackson's to judge.
		CachedOverlayEntry canonical = CanonicalOverlayEntryReader.read(value);
		return (canonical != null) ? canonical : decodeWithParser(value);
	}

	/**
	 * Decode any value of the format, as Jackson reads it: the reference that
	 * {@link CanonicalOverlayEntryReader} must agree with.
	 * @param value the stored value
	 * @return the entry
	 */
	CachedOverlayEntry decodeWithParser(byte[] value) {
		JsonParser parser = VersionedCborFormat.open(value, COMPRESSED_VERSION);
		boolean compressed = VersionedCborFormat.version(parser) == COMPRESSED_VERSION;
		String kind = VersionedCborFormat.readString(parser, "an entry kind");
		CachedOverlayEntry entry;
		if (DELETED.equals(kind) && !compressed) {
			entry = new Deleted();
		}
		else if (MODIFIED.equals(kind) || ADDED.equals(kind)) {
			String hash = VersionedCborFormat.readString(parser, "a hash");
			byte[] content = compressed ? readCompressedContent(parser)
					: VersionedCborFormat.readBytes(parser, "the content");
			entry = MODIFIED.equals(kind) ? new Modified(content, hash) : new Added(content, hash);
		}
		else {
			throw new UnreadableValueException("unknown entry kind '" + kind + "'"
					+ (compressed ? " for format version " + COMPRESSED_VERSION : ""));
		}
		VersionedCborFormat.close(parser);
		return entry;
	}

	private byte[] readCompressedContent(JsonParser parser) {
		String algorithm = VersionedCborFormat.readString(parser, "a compression algorithm");
		long length = VersionedCborFormat.readLength(parser, "the content length");
		// Before the compressed bytes are even read: a length no write could have been
		// accepted with is corrupt.
		if (length > this.maxContentLength) {
			throw new UnreadableValueException("compressed content of " + length
					+ " bytes, more than the largest entry accepted (" + this.maxContentLength + " bytes)");
		}
		ContentCodec codec = ContentCodecs.forReading(algorithm);
		byte[] compressed = VersionedCborFormat.readBytes(parser, "the compressed content");
		return codec.decompress(compressed, (int) length);
	}

}
