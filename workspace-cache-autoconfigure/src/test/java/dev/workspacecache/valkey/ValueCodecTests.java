package dev.workspacecache.valkey;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.cbor.CBORMapper;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedOverlayEntry.Added;
import dev.workspacecache.CachedOverlayEntry.Deleted;
import dev.workspacecache.CachedOverlayEntry.Modified;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.WorkspaceFixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Unit tests of the value codecs of {@link ValkeyCache}: {@link OverlayEntryCodec},
 * {@link SnapshotCodec} and {@link GraphCodec}, and their shared
 * {@link VersionedCborFormat}.
 */
class ValueCodecTests {

	private static final CBORMapper CBOR = CBORMapper.builder().build();

	// ---------------------------------------------------------------- overlay entries

	static List<Named<CachedOverlayEntry>> entries() {
		return List.of(Named.of("modified", new Modified("hello".getBytes(StandardCharsets.UTF_8), "sha-1")),
				Named.of("added", new Added(WorkspaceFixtures.allByteValues(), "sha-2")),
				Named.of("deleted", new Deleted()), Named.of("modified, empty content", new Modified(new byte[0], "")),
				Named.of("added, empty content", new Added(new byte[0], "e3b0c442")),
				Named.of("non-ASCII hash and content",
						new Modified("héllo wörld ✓ 😀".getBytes(StandardCharsets.UTF_8), "ハッシュ-😀")),
				Named.of("large content", new Added(WorkspaceFixtures.randomBytes(1024 * 1024, 3), "h")));
	}

	@ParameterizedTest
	@MethodSource("entries")
	void overlayEntryRoundTrips(CachedOverlayEntry entry) {
		byte[] encoded = OverlayEntryCodec.INSTANCE.encode(entry);
		CachedOverlayEntry decoded = OverlayEntryCodec.INSTANCE.decode(encoded);
		assertThat(decoded).isEqualTo(entry).isExactlyInstanceOf(entry.getClass());
	}

	@ParameterizedTest
	@MethodSource("entries")
	void overlayEntryIsContentAndHashPlusAtMostSixteenBytes(CachedOverlayEntry entry) {
		byte[] encoded = OverlayEntryCodec.INSTANCE.encode(entry);
		long payload = 0;
		if (entry instanceof Modified modified) {
			payload = modified.size() + modified.hash().getBytes(StandardCharsets.UTF_8).length;
		}
		else if (entry instanceof Added added) {
			payload = added.size() + added.hash().getBytes(StandardCharsets.UTF_8).length;
		}
		assertThat((long) encoded.length).isLessThanOrEqualTo(payload + 16);
	}

	@Test
	void overlayEntryFormatIsAsDocumented() {
		JsonNode modified = CBOR.readTree(OverlayEntryCodec.INSTANCE.encode(new Modified(new byte[] { 7 }, "h")));
		assertThat(modified.size()).isEqualTo(4);
		assertThat(modified.get(0).asInt()).isEqualTo(1);
		assertThat(modified.get(1).asString()).isEqualTo("M");
		assertThat(modified.get(2).asString()).isEqualTo("h");
		assertThat(modified.get(3).isBinary()).isTrue();
		assertThat(modified.get(3).binaryValue()).containsExactly(7);
		assertThat(CBOR.readTree(OverlayEntryCodec.INSTANCE.encode(new Added(new byte[0], "h"))).get(1).asString())
			.isEqualTo("A");
		JsonNode deleted = CBOR.readTree(OverlayEntryCodec.INSTANCE.encode(new Deleted()));
		assertThat(deleted.size()).isEqualTo(2);
		assertThat(deleted.get(0).asInt()).isEqualTo(1);
		assertThat(deleted.get(1).asString()).isEqualTo("D");
	}

	@Test
	void decodedContentIsACopyOfNothingShared() {
		byte[] encoded = OverlayEntryCodec.INSTANCE.encode(new Modified(new byte[] { 1, 2, 3 }, "h"));
		Modified first = (Modified) OverlayEntryCodec.INSTANCE.decode(encoded);
		Arrays.fill(encoded, (byte) 0);
		assertThat(first.content()).containsExactly(1, 2, 3);
	}

	// ---------------------------------------------------------------- snapshots

	@Test
	void snapshotRoundTrips() {
		UUID id = UUID.randomUUID();
		WorkspaceSnapshot snapshot = new WorkspaceSnapshot(id, UUID.randomUUID(), "clerk|ü", "agent-ñ",
				UUID.randomUUID(), "fix the 🐛 in «parser»", "0123abcd", "active", "persistent");
		assertThat(SnapshotCodec.INSTANCE.decode(SnapshotCodec.INSTANCE.encode(snapshot))).isEqualTo(snapshot);
	}

	@Test
	void snapshotWithEmptyStringsRoundTrips() {
		WorkspaceSnapshot snapshot = new WorkspaceSnapshot(UUID.randomUUID(), UUID.randomUUID(), "", "",
				UUID.randomUUID(), "", "", "", "");
		assertThat(SnapshotCodec.INSTANCE.decode(SnapshotCodec.INSTANCE.encode(snapshot))).isEqualTo(snapshot);
	}

	@Test
	void snapshotFormatIsAsDocumented() {
		UUID session = UUID.randomUUID();
		UUID repo = UUID.randomUUID();
		UUID changeset = UUID.randomUUID();
		WorkspaceSnapshot snapshot = new WorkspaceSnapshot(session, repo, "agent", "name", changeset, "intent",
				"commit", "state", "mode");
		JsonNode tree = CBOR.readTree(SnapshotCodec.INSTANCE.encode(snapshot));
		assertThat(tree.size()).isEqualTo(10);
		assertThat(tree.get(0).asInt()).isEqualTo(1);
		assertThat(tree.get(1).asString()).isEqualTo(session.toString());
		assertThat(tree.get(2).asString()).isEqualTo(repo.toString());
		assertThat(tree.get(5).asString()).isEqualTo(changeset.toString());
		assertThat(tree.get(9).asString()).isEqualTo("mode");
	}

	// ---------------------------------------------------------------- graphs

	@Test
	void graphRoundTrips() {
		for (byte[] graph : List.of(new byte[0], new byte[] { 0 }, WorkspaceFixtures.allByteValues(),
				WorkspaceFixtures.randomBytes(100_000, 5))) {
			byte[] encoded = GraphCodec.INSTANCE.encode(graph);
			assertThat(GraphCodec.INSTANCE.decode(encoded)).isEqualTo(graph);
			assertThat(encoded.length).isLessThanOrEqualTo(graph.length + 16);
		}
	}

	// ---------------------------------------------------------------- rejected values

	static List<Arguments> decoders() {
		return List.of(
				Arguments.of(Named.of("overlay entry", (Function<byte[], Object>) OverlayEntryCodec.INSTANCE::decode),
						OverlayEntryCodec.INSTANCE.encode(new Modified(new byte[] { 1, 2, 3 }, "hash"))),
				Arguments.of(
						Named.of("compressed overlay entry",
								(Function<byte[], Object>) OverlayEntryCodec.INSTANCE::decode),
						new OverlayEntryCodec(ContentCompression.zstd(0), 1024 * 1024)
							.encode(new Modified("abcabcabcabcabcabcabcabcabcabcabcabcabcabc".getBytes(), "hash"))),
				Arguments.of(Named.of("snapshot", (Function<byte[], Object>) SnapshotCodec.INSTANCE::decode),
						SnapshotCodec.INSTANCE.encode(WorkspaceFixtures.snapshot(UUID.randomUUID()))),
				Arguments.of(Named.of("graph", (Function<byte[], Object>) GraphCodec.INSTANCE::decode),
						GraphCodec.INSTANCE.encode(new byte[] { 4, 5, 6 })));
	}

	@ParameterizedTest
	@MethodSource("decoders")
	void decodeRejectsGarbage(Function<byte[], Object> decoder, byte[] valid) {
		for (byte[] garbage : List.of(new byte[0], new byte[] { (byte) 0xff }, "{\"json\":1}".getBytes(),
				new byte[] { (byte) 0x9f }, cbor("text"), cbor(1), cbor(List.of()), cbor(Map.of("v", 1)))) {
			assertThatExceptionOfType(UnreadableValueException.class).as("decode %s", Arrays.toString(garbage))
				.isThrownBy(() -> decoder.apply(garbage));
		}
	}

	@ParameterizedTest
	@MethodSource("decoders")
	void decodeRejectsUnknownVersions(Function<byte[], Object> decoder, byte[] valid) {
		for (long version : List.of(0L, 2L, -1L, 1L << 40)) {
			byte[] changed = withVersion(valid, version);
			assertThatExceptionOfType(UnreadableValueException.class).as("version %d", version)
				.isThrownBy(() -> decoder.apply(changed));
		}
		List<Object> asFloat = new ArrayList<>(List.of(1.0));
		assertThatExceptionOfType(UnreadableValueException.class).isThrownBy(() -> decoder.apply(cbor(asFloat)));
	}

	@Test
	void unknownVersionIsNamedInTheReason() {
		byte[] changed = withVersion(GraphCodec.INSTANCE.encode(new byte[] { 1 }), 2);
		assertThatExceptionOfType(UnreadableValueException.class).isThrownBy(() -> GraphCodec.INSTANCE.decode(changed))
			.withMessageContaining("version 2");
	}

	@ParameterizedTest
	@MethodSource("decoders")
	void decodeRejectsTrailingData(Function<byte[], Object> decoder, byte[] valid) {
		for (byte[] trailer : List.of(new byte[] { 0 }, new byte[] { (byte) 0xff }, valid)) {
			byte[] longer = Arrays.copyOf(valid, valid.length + trailer.length);
			System.arraycopy(trailer, 0, longer, valid.length, trailer.length);
			assertThatExceptionOfType(UnreadableValueException.class).isThrownBy(() -> decoder.apply(longer));
		}
	}

	@ParameterizedTest
	@MethodSource("decoders")
	void decodeRejectsEveryTruncation(Function<byte[], Object> decoder, byte[] valid) {
		assertThat(decoder.apply(valid)).isNotNull();
		for (int length = 0; length < valid.length; length++) {
			byte[] truncated = Arrays.copyOf(valid, length);
			assertThatExceptionOfType(UnreadableValueException.class).as("first %d of %d bytes", length, valid.length)
				.isThrownBy(() -> decoder.apply(truncated));
		}
	}

	@ParameterizedTest
	@MethodSource("decoders")
	void decodeOfRandomBytesThrowsOnlyUnreadableValueException(Function<byte[], Object> decoder, byte[] valid) {
		Random random = new Random(42);
		for (int i = 0; i < 5_000; i++) {
			byte[] candidate;
			if (i % 2 == 0) {
				candidate = new byte[random.nextInt(40)];
				random.nextBytes(candidate);
			}
			else {
				// A valid value with one byte changed: stays close to the format.
				candidate = valid.clone();
				candidate[random.nextInt(candidate.length)] = (byte) random.nextInt(256);
			}
			try {
				decoder.apply(candidate);
			}
			catch (UnreadableValueException ex) {
				// expected for most inputs
			}
			catch (RuntimeException ex) {
				throw new AssertionError("decode of " + Arrays.toString(candidate) + " threw " + ex, ex);
			}
		}
	}

	@Test
	void decodeRejectsInvalidUtf8Text() {
		// [1, "M", <text with invalid UTF-8>, h'01']
		byte[] value = { (byte) 0x84, 0x01, 0x61, 'M', 0x62, (byte) 0xc3, (byte) 0x28, 0x41, 0x01 };
		assertThatExceptionOfType(UnreadableValueException.class)
			.isThrownBy(() -> OverlayEntryCodec.INSTANCE.decode(value));
	}

	@Test
	void decodeRejectsWrongShapes() {
		List<byte[]> values = List.of(cbor(List.of(1)), cbor(List.of(1, "X")), cbor(List.of(1, "M")),
				cbor(List.of(1, "M", "h")), cbor(List.of(1, "M", "h", "text")), cbor(List.of(1, "A", 3, new byte[0])),
				cbor(List.of(1, "D", "extra")), cbor(List.of(1, new byte[] { 'D' })), cbor(List.of("1", "D")),
				cbor(List.of(List.of(1, "D"))));
		for (byte[] value : values) {
			assertThatExceptionOfType(UnreadableValueException.class).as("decode %s", CBOR.readTree(value))
				.isThrownBy(() -> OverlayEntryCodec.INSTANCE.decode(value));
		}
	}

	@Test
	void snapshotWithWrongShapeIsRejected() {
		String uuid = UUID.randomUUID().toString();
		List<byte[]> values = List.of(cbor(List.of(1, uuid, uuid, "a", "b", uuid, "i", "c", "s")),
				cbor(List.of(1, uuid, uuid, "a", "b", uuid, "i", "c", "s", "m", "extra")),
				cbor(List.of(1, "not-a-uuid", uuid, "a", "b", uuid, "i", "c", "s", "m")),
				cbor(List.of(1, uuid, uuid, 7, "b", uuid, "i", "c", "s", "m")),
				OverlayEntryCodec.INSTANCE.encode(new Deleted()), GraphCodec.INSTANCE.encode(new byte[] { 1 }));
		for (byte[] value : values) {
			assertThatExceptionOfType(UnreadableValueException.class)
				.isThrownBy(() -> SnapshotCodec.INSTANCE.decode(value));
		}
	}

	@Test
	void graphWithWrongShapeIsRejected() {
		for (byte[] value : List.of(cbor(List.of(1, "text")), cbor(List.of(1)), cbor(List.of(1, new byte[0], 2)),
				OverlayEntryCodec.INSTANCE.encode(new Deleted()))) {
			assertThatExceptionOfType(UnreadableValueException.class)
				.isThrownBy(() -> GraphCodec.INSTANCE.decode(value));
		}
	}

	// ---------------------------------------------------------------- helpers

	private static byte[] cbor(Object value) {
		return CBOR.writeValueAsBytes(value);
	}

	/**
	 * Re-encode a valid value with another format version, keeping every other element.
	 */
	private static byte[] withVersion(byte[] valid, long version) {
		JsonNode tree = CBOR.readTree(valid);
		List<Object> elements = new ArrayList<>();
		elements.add(version);
		for (int i = 1; i < tree.size(); i++) {
			JsonNode element = tree.get(i);
			elements.add(element.isBinary() ? element.binaryValue() : element.asString());
		}
		return cbor(elements);
	}

}
