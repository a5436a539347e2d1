package dev.workspacecache.benchmarks;

import dev.workspacecache.CachedOverlayEntry;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * Decodes an overlay entry value of {@link dev.workspacecache.valkey.ValkeyCache}'s documented
 * format version 1 ({@code [1, "M"|"A", hash, content]} or {@code [1, "D"]} in CBOR). The
 * original-design baseline stores these same bytes and decodes them with this, so that it does
 * the same per-file work as the original engine, which decoded each value it read.
 */
final class OverlayValueDecoder {

	private static final CBORMapper MAPPER = CBORMapper.builder().build();

	private OverlayValueDecoder() {
	}

	static CachedOverlayEntry decode(byte[] value) {
		try (JsonParser parser = MAPPER.createParser(value)) {
			expect(parser, JsonToken.START_ARRAY);
			expect(parser, JsonToken.VALUE_NUMBER_INT);
			if (parser.getIntValue() != 1) {
				throw new IllegalArgumentException("unknown format version " + parser.getIntValue());
			}
			expect(parser, JsonToken.VALUE_STRING);
			String kind = parser.getString();
			if (kind.equals("D")) {
				return new CachedOverlayEntry.Deleted();
			}
			expect(parser, JsonToken.VALUE_STRING);
			String hash = parser.getString();
			expect(parser, JsonToken.VALUE_EMBEDDED_OBJECT);
			byte[] content = parser.getBinaryValue();
			return kind.equals("A") ? new CachedOverlayEntry.Added(content, hash)
					: new CachedOverlayEntry.Modified(content, hash);
		}
	}

	private static void expect(JsonParser parser, JsonToken token) {
		if (parser.nextToken() != token) {
			throw new IllegalArgumentException("expected " + token + " but found " + parser.currentToken());
		}
	}

}
