package dev.workspacecache.valkey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedOverlayEntry.Added;
import dev.workspacecache.CachedOverlayEntry.Deleted;
import dev.workspacecache.CachedOverlayEntry.Modified;
import org.jspecify.annotations.Nullable;

/**
 * Reads an overlay entry stored in the exact bytes {@link OverlayEntryCodec#encode}
 * writes (through Jackson), without creating a parser: the fast path of
 * {@link OverlayEntryCodec#decode}. <pre>
 * 9F                      array of indefinite length
 * 01                      format version 1
 * 61 'M'|'A'|'D'          kind, a one-letter text
 * 60+n | 78 n | 79 n n    hash, ASCII text           (M and A only)
 * 40+n | 58 n | 59 n n | 5A n n n n   content, bytes (M and A only)
 * FF                      end of the array, the last byte
 * </pre> Anything else (another header form, a non-ASCII hash, an unknown kind, a
 * truncated or trailing value) returns {@code null}, and the Jackson reader decides; so
 * the values accepted, and what they decode to, are exactly those of the Jackson reader.
 * Profiling showed that creating a Jackson parser per value cost about three times the
 * rest of the decoding of a 1 KiB entry, which {@code getFiles} pays once per file.
 */
final class CanonicalOverlayEntryReader {

	private static final int START_INDEFINITE_ARRAY = 0x9F;

	private static final int BREAK = 0xFF;

	private static final int ONE_LETTER_TEXT = 0x61;

	private static final int MAJOR_TYPE_BYTES = 2;

	private static final int MAJOR_TYPE_TEXT = 3;

	/** What {@link StandardCharsets#US_ASCII} decodes a byte above 0x7F to. */
	private static final char NOT_ASCII = '\uFFFD';

	private CanonicalOverlayEntryReader() {
	}

	/**
	 * Decode a value laid out exactly as this release writes it.
	 * @param value the stored value
	 * @return the entry, or {@code null} when the value is laid out any other way
	 */
	static @Nullable CachedOverlayEntry read(byte[] value) {
		Parts parts = parse(ByteBuffer.wrap(value));
		return (parts != null) ? parts.entry() : null;
	}

	/**
	 * Read the parts of a value laid out exactly as this release writes it, copying the
	 * content out of the buffer once. Reads the bytes between the buffer's position and
	 * its limit, without moving either.
	 * @param value the stored value
	 * @return the parts, or {@code null} when the value is laid out any other way
	 */
	static @Nullable Parts parse(ByteBuffer value) {
		int start = value.position();
		int length = value.remaining();
		if (length < 5 || (value.get(start) & 0xFF) != START_INDEFINITE_ARRAY
				|| value.get(start + 1) != VersionedCborFormat.VERSION
				|| (value.get(start + 2) & 0xFF) != ONE_LETTER_TEXT
				|| (value.get(start + length - 1) & 0xFF) != BREAK) {
			return null;
		}
		byte kind = value.get(start + 3);
		if (kind == 'D') {
			return (length == 5) ? Parts.DELETED : null;
		}
		if (kind != 'M' && kind != 'A') {
			return null;
		}
		long hashHeader = header(value, start, 4, MAJOR_TYPE_TEXT);
		if (hashHeader < 0) {
			return null;
		}
		int hashStart = start(hashHeader);
		long hashLimit = (long) hashStart + length(hashHeader);
		if (hashLimit > length - 1) {
			return null;
		}
		int hashEnd = (int) hashLimit;
		byte[] hashBytes = new byte[hashEnd - hashStart];
		value.get(start + hashStart, hashBytes);
		// The JDK checks for non-ASCII bytes in bulk and turns each into U+FFFD, which
		// ASCII lacks.
		String hash = new String(hashBytes, StandardCharsets.US_ASCII);
		if (hash.indexOf(NOT_ASCII) >= 0) {
			return null;
		}
		long contentHeader = header(value, start, hashEnd, MAJOR_TYPE_BYTES);
		if (contentHeader < 0) {
			return null;
		}
		int contentStart = start(contentHeader);
		// The content must end exactly before the final break byte: nothing missing,
		// nothing trailing.
		if ((long) contentStart + length(contentHeader) != length - 1) {
			return null;
		}
		byte[] content = new byte[length - 1 - contentStart];
		value.get(start + contentStart, content);
		return new Parts(kind == 'M', hash, content);
	}

	/**
	 * Read the header of a definite-length text or byte string at {@code offset}.
	 * @param value the buffer holding the stored value
	 * @param start where the stored value starts in the buffer
	 * @param offset where the header starts, from {@code start}
	 * @param majorType the CBOR major type expected
	 * @return the start of the string's bytes (from {@code start}) in the high 32 bits
	 * and its length in the low 32 bits, or {@code -1} for any other header
	 */
	private static long header(ByteBuffer value, int start, int offset, int majorType) {
		int length = value.remaining();
		if (offset >= length) {
			return -1;
		}
		int initial = value.get(start + offset) & 0xFF;
		if (initial >>> 5 != majorType) {
			return -1;
		}
		int additional = initial & 0x1F;
		if (additional < 24) {
			return pack(offset + 1, additional);
		}
		int size = switch (additional) {
			case 24 -> 1;
			case 25 -> 2;
			case 26 -> 4;
			default -> 0;
		};
		if (size == 0 || offset + size >= length) {
			return -1;
		}
		long stringLength = 0;
		for (int i = 1; i <= size; i++) {
			stringLength = (stringLength << 8) | (value.get(start + offset + i) & 0xFF);
		}
		return (stringLength > Integer.MAX_VALUE) ? -1 : pack(offset + 1 + size, (int) stringLength);
	}

	private static long pack(int start, int length) {
		return ((long) start << 32) | length;
	}

	private static int start(long header) {
		return (int) (header >>> 32);
	}

	private static int length(long header) {
		return (int) header;
	}

	/**
	 * What a canonical value holds, read but not yet made an entry: the entry's own copy
	 * of the content is then made by whichever thread builds it.
	 *
	 * @param modified {@code true} for {@link Modified}, {@code false} for {@link Added}
	 * @param hash the hash; {@code null} for {@link Deleted}
	 * @param content the content, owned by these parts; {@code null} for {@link Deleted}
	 */
	record Parts(boolean modified, @Nullable String hash, byte @Nullable [] content) {

		static final Parts DELETED = new Parts(false, null, null);

		CachedOverlayEntry entry() {
			String hash = this.hash;
			byte[] content = this.content;
			if (hash == null || content == null) {
				return new Deleted();
			}
			return this.modified ? new Modified(content, hash) : new Added(content, hash);
		}

	}

}
