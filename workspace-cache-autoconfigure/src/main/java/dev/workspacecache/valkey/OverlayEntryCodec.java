package dev.workspacecache.valkey;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedOverlayEntry.Added;
import dev.workspacecache.CachedOverlayEntry.Deleted;
import dev.workspacecache.CachedOverlayEntry.Modified;
import tools.jackson.core.JsonParser;

/**
 * Encodes one overlay entry, the value of a field of the overlay hash (the field itself
 * is the path). Format version 1, a CBOR array: <pre>
 * [1, "M", hash: text, content: bytes]   Modified
 * [1, "A", hash: text, content: bytes]   Added
 * [1, "D"]                               Deleted
 * </pre> Content is stored raw: an encoded entry is at most 16 bytes larger than its
 * content and hash.
 */
final class OverlayEntryCodec implements ValueCodec<CachedOverlayEntry> {

	static final OverlayEntryCodec INSTANCE = new OverlayEntryCodec();

	private static final String MODIFIED = "M";

	private static final String ADDED = "A";

	private static final String DELETED = "D";

	private OverlayEntryCodec() {
	}

	@Override
	public byte[] encode(CachedOverlayEntry entry) {
		if (entry instanceof CachedOverlayEntry.WithContent withContent) {
			return encodeWithContent((entry instanceof Modified) ? MODIFIED : ADDED, withContent.hash(),
					withContent.content());
		}
		return VersionedCborFormat.write(0, (generator) -> generator.writeString(DELETED));
	}

	private static byte[] encodeWithContent(String kind, String hash, byte[] content) {
		return VersionedCborFormat.write(content.length + hash.length(), (generator) -> {
			generator.writeString(kind);
			generator.writeString(hash);
			generator.writeBinary(content);
		});
	}

	@Override
	public CachedOverlayEntry decode(byte[] value) {
		// Values as this release writes them skip the parser; anything else is Jackson's
		// to judge.
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
		JsonParser parser = VersionedCborFormat.open(value);
		String kind = VersionedCborFormat.readString(parser, "an entry kind");
		CachedOverlayEntry entry;
		if (DELETED.equals(kind)) {
			entry = new Deleted();
		}
		else if (MODIFIED.equals(kind) || ADDED.equals(kind)) {
			String hash = VersionedCborFormat.readString(parser, "a hash");
			byte[] content = VersionedCborFormat.readBytes(parser, "the content");
			entry = MODIFIED.equals(kind) ? new Modified(content, hash) : new Added(content, hash);
		}
		else {
			throw new UnreadableValueException("unknown entry kind '" + kind + "'");
		}
		VersionedCborFormat.close(parser);
		return entry;
	}

}
