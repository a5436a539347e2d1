package dev.workspacecache.valkey;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * The envelope shared by every value {@link ValkeyCache} stores: a CBOR array whose first
 * element is the format version, followed by the fields of the value. CBOR keeps binary
 * content as raw bytes (no base64), so a stored value is its content plus a few bytes of
 * framing.
 * <p>
 * A reader accepts only the version it knows and exactly the expected number of elements,
 * so that a value written by a newer format or damaged in any way is reported as
 * unreadable rather than misread.
 */
final class VersionedCborFormat {

	/**
	 * Version of every value format written by this release, but for overlay entries with
	 * compressed content ({@link OverlayEntryCodec#COMPRESSED_VERSION}).
	 */
	static final int VERSION = 1;

	private static final CBORMapper MAPPER = CBORMapper.builder().build();

	private VersionedCborFormat() {
	}

	/**
	 * Encode a value: opens the array and writes the version, then lets {@code fields}
	 * write the rest.
	 * @param sizeHint the expected size of the fields, in bytes
	 * @param fields writes the fields
	 * @return the encoded value
	 */
	static byte[] write(int sizeHint, Consumer<JsonGenerator> fields) {
		return write(VERSION, sizeHint, fields);
	}

	/**
	 * Encode a value of another format version than {@link #VERSION}.
	 * @param version the format version
	 * @param sizeHint the expected size of the fields, in bytes
	 * @param fields writes the fields
	 * @return the encoded value
	 */
	static byte[] write(int version, int sizeHint, Consumer<JsonGenerator> fields) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint + 32);
		try (JsonGenerator generator = MAPPER.createGenerator(out)) {
			generator.writeStartArray();
			generator.writeNumber(version);
			fields.accept(generator);
			generator.writeEndArray();
		}
		return out.toByteArray();
	}

	/**
	 * Open a value for reading: checks the envelope and the version and leaves the parser
	 * before the first field.
	 * @param value the stored value
	 * @return a parser before the first field
	 */
	static JsonParser open(byte[] value) {
		return open(value, VERSION);
	}

	/**
	 * Open a value of any format version from {@link #VERSION} to {@code highestVersion}
	 * for reading; {@link #version} tells which.
	 * @param value the stored value
	 * @param highestVersion the highest format version the caller reads
	 * @return a parser before the first field
	 */
	static JsonParser open(byte[] value, int highestVersion) {
		try {
			JsonParser parser = MAPPER.createParser(value);
			expect(parser, JsonToken.START_ARRAY, "an array");
			expect(parser, JsonToken.VALUE_NUMBER_INT, "a format version");
			int version = parser.getIntValue();
			if (version < VERSION || version > highestVersion) {
				throw new UnreadableValueException("unknown format version " + version + " (this release reads "
						+ ((highestVersion > VERSION) ? VERSION + " to " + highestVersion : VERSION) + ")");
			}
			return parser;
		}
		catch (JacksonException ex) {
			throw new UnreadableValueException("not a valid CBOR value: " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Return the format version of a value that {@link #open} opened, before any field is
	 * read.
	 * @param parser the parser {@link #open} returned
	 * @return the format version
	 */
	static int version(JsonParser parser) {
		return parser.getIntValue();
	}

	static long readLength(JsonParser parser, String field) {
		expect(parser, JsonToken.VALUE_NUMBER_INT, field);
		long length;
		try {
			length = parser.getLongValue();
		}
		catch (JacksonException ex) {
			throw new UnreadableValueException("unreadable " + field + ": " + ex.getOriginalMessage(), ex);
		}
		if (length < 0) {
			throw new UnreadableValueException("negative " + field + ": " + length);
		}
		return length;
	}

	static String readString(JsonParser parser, String field) {
		expect(parser, JsonToken.VALUE_STRING, field);
		try {
			// CBOR decodes text lazily: malformed UTF-8 only shows here.
			String text = parser.getString();
			if (text == null) {
				throw new UnreadableValueException("expected " + field + " but found no text");
			}
			return text;
		}
		catch (JacksonException ex) {
			throw new UnreadableValueException("unreadable " + field + ": " + ex.getOriginalMessage(), ex);
		}
	}

	static int readInt(JsonParser parser, String field) {
		expect(parser, JsonToken.VALUE_NUMBER_INT, field);
		try {
			return parser.getIntValue();
		}
		catch (JacksonException ex) {
			throw new UnreadableValueException("unreadable " + field + ": " + ex.getOriginalMessage(), ex);
		}
	}

	static byte[] readBytes(JsonParser parser, String field) {
		expect(parser, JsonToken.VALUE_EMBEDDED_OBJECT, field);
		try {
			// Binary values are read lazily too: a truncated value only shows here.
			byte[] bytes = parser.getBinaryValue();
			if (bytes == null) {
				throw new UnreadableValueException("expected " + field + " but found an embedded object");
			}
			return bytes;
		}
		catch (JacksonException ex) {
			throw new UnreadableValueException("unreadable " + field + ": " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Check that the value ends after the fields read so far, with nothing trailing.
	 * @param parser the parser of the value, closed afterwards
	 */
	static void close(JsonParser parser) {
		try (parser) {
			expect(parser, JsonToken.END_ARRAY, "the end of the value");
			if (parser.nextToken() != null) {
				throw new UnreadableValueException("trailing data after the value");
			}
		}
		catch (JacksonException ex) {
			throw new UnreadableValueException("not a valid CBOR value: " + ex.getOriginalMessage(), ex);
		}
	}

	private static void expect(JsonParser parser, JsonToken expected, String what) {
		JsonToken token;
		try {
			token = parser.nextToken();
		}
		catch (JacksonException ex) {
			throw new UnreadableValueException("not a valid CBOR value: " + ex.getOriginalMessage(), ex);
		}
		if (token != expected) {
			throw new UnreadableValueException("expected " + what + " but found " + token);
		}
	}

}
