package dev.workspacecache.valkey;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.cbor.CBORMapper;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedOverlayEntry.Added;
import dev.workspacecache.CachedOverlayEntry.Deleted;
import dev.workspacecache.CachedOverlayEntry.Modified;
import dev.workspacecache.WorkspaceFixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Unit tests of {@link OverlayEntryCodec} with {@link ContentCompression} on: format
 * version 2, when it is written, that every setting reads every version, and that a
 * corrupt compressed value is unreadable rather than a crash or a decompression bomb.
 */
class CompressedOverlayEntryCodecTests {

	private static final CBORMapper CBOR = CBORMapper.builder().build();

	private static final long MAX_ENTRY_SIZE = 1024 * 1024;

	private final OverlayEntryCodec compressing = new OverlayEntryCodec(ContentCompression.zstd(512), MAX_ENTRY_SIZE);

	private final OverlayEntryCodec raw = new OverlayEntryCodec(ContentCompression.none(), MAX_ENTRY_SIZE);

	static byte[] text(int length) {
		StringBuilder text = new StringBuilder(length + 64);
		for (int line = 0; text.length() < length; line++) {
			text.append("\tprivate final String field")
				.append(line)
				.append(" = \"value ")
				.append(line % 7)
				.append("\";\n");
		}
		return text.substring(0, length).getBytes(StandardCharsets.UTF_8);
	}

	@ParameterizedTest
	@ValueSource(ints = { 512, 4096, 64 * 1024, 1024 * 1024 })
	void compressibleContentFromTheThresholdOnIsStoredAsVersionTwoAndRoundTrips(int size) {
		Modified entry = new Modified(text(size), "sha256:" + "ab".repeat(32));
		byte[] encoded = this.compressing.encode(entry);
		JsonNode tree = CBOR.readTree(encoded);
		assertThat(tree.get(0).asInt()).isEqualTo(OverlayEntryCodec.COMPRESSED_VERSION);
		assertThat(tree.size()).isEqualTo(6);
		assertThat(tree.get(1).asString()).isEqualTo("M");
		assertThat(tree.get(2).asString()).isEqualTo(entry.hash());
		assertThat(tree.get(3).asString()).isEqualTo("zstd");
		assertThat(tree.get(4).asLong()).isEqualTo(size);
		assertThat(tree.get(5).isBinary()).isTrue();
		assertThat(encoded.length).isLessThan(size / 2);
		assertThat(this.compressing.decode(encoded)).isEqualTo(entry).isExactlyInstanceOf(Modified.class);
	}

	@Test
	void compressedAddedEntryKeepsItsKind() {
		Added entry = new Added(text(4096), "h");
		assertThat(this.compressing.decode(this.compressing.encode(entry))).isEqualTo(entry)
			.isExactlyInstanceOf(Added.class);
	}

	@Test
	void contentBelowTheThresholdIsStoredAsVersionOne() {
		Modified entry = new Modified(text(511), "h");
		byte[] encoded = this.compressing.encode(entry);
		assertThat(encoded).isEqualTo(this.raw.encode(entry));
		assertThat(CBOR.readTree(encoded).get(0).asInt()).isEqualTo(1);
	}

	@Test
	void incompressibleContentIsStoredAsVersionOne() {
		Modified entry = new Modified(WorkspaceFixtures.randomBytes(64 * 1024, 7), "h");
		byte[] encoded = this.compressing.encode(entry);
		assertThat(encoded).isEqualTo(this.raw.encode(entry));
		assertThat(this.compressing.decode(encoded)).isEqualTo(entry);
	}

	@Test
	void zeroThresholdCompressesEverythingThatShrinksAndNeverEmptyContent() {
		OverlayEntryCodec everything = new OverlayEntryCodec(ContentCompression.zstd(0), MAX_ENTRY_SIZE);
		for (CachedOverlayEntry entry : List.of(new Modified(new byte[0], "h"), new Deleted(),
				new Added(new byte[] { 1 }, "h"), new Modified(new byte[200], "h"))) {
			byte[] encoded = everything.encode(entry);
			assertThat(encoded.length).isLessThanOrEqualTo(this.raw.encode(entry).length);
			assertThat(everything.decode(encoded)).isEqualTo(entry);
		}
		assertThat(CBOR.readTree(everything.encode(new Modified(new byte[200], "h"))).get(0).asInt()).isEqualTo(2);
	}

	@Test
	void everySettingReadsEveryVersion() {
		Modified small = new Modified(text(100), "h1");
		Modified large = new Modified(text(8192), "h2");
		List<byte[]> values = List.of(this.raw.encode(small), this.raw.encode(large), this.compressing.encode(small),
				this.compressing.encode(large));
		for (OverlayEntryCodec reader : List.of(this.raw, this.compressing, OverlayEntryCodec.INSTANCE)) {
			assertThat(values).extracting(reader::decode).containsExactly(small, large, small, large);
		}
	}

	@Test
	void corruptCompressedBytesAreUnreadable() {
		Modified entry = new Modified(text(4096), "h");
		List<Object> elements = elements(this.compressing.encode(entry));
		byte[] compressed = (byte[]) elements.get(5);
		int unreadable = 0;
		for (int i = 0; i < compressed.length; i++) {
			byte[] damaged = compressed.clone();
			damaged[i] ^= 0x5A;
			elements.set(5, damaged);
			byte[] value = CBOR.writeValueAsBytes(elements);
			try {
				// Zstandard has no checksum here: a change may still decompress, but
				// never
				// to the stored length of other content without the decoder noticing.
				CachedOverlayEntry decoded = this.compressing.decode(value);
				assertThat(((Modified) decoded).content()).hasSize(4096);
			}
			catch (UnreadableValueException ex) {
				assertThat(ex).hasMessageContaining("zstd");
			}
		}
	}

	@Test
	void storedLengthOtherThanTheContentsIsUnreadable() {
		byte[] valid = this.compressing.encode(new Modified(text(4096), "h"));
		for (long length : List.of(0L, 4095L, 4097L, 100_000L)) {
			List<Object> elements = elements(valid);
			elements.set(4, length);
			byte[] value = CBOR.writeValueAsBytes(elements);
			assertThatExceptionOfType(UnreadableValueException.class).as("length %d", length)
				.isThrownBy(() -> this.compressing.decode(value));
		}
	}

	@Test
	void storedLengthAboveTheMaximumEntrySizeIsUnreadableBeforeDecompressing() {
		// A small value that would decompress to 1 GiB of zeros, were it trusted.
		byte[] bomb = com.github.luben.zstd.Zstd.compress(new byte[64 * 1024 * 1024], 19);
		for (long length : List.of(MAX_ENTRY_SIZE + 1, 1L << 30, 1L << 40, Long.MAX_VALUE)) {
			List<Object> elements = new ArrayList<>(List.of(2, "M", "h", "zstd", length, bomb));
			byte[] value = CBOR.writeValueAsBytes(elements);
			assertThatExceptionOfType(UnreadableValueException.class).as("length %d", length)
				.isThrownBy(() -> this.raw.decode(value))
				.withMessageContaining("more than the largest entry accepted");
		}
		List<Object> withinBound = new ArrayList<>(List.of(2, "M", "h", "zstd", MAX_ENTRY_SIZE, bomb));
		assertThatExceptionOfType(UnreadableValueException.class)
			.isThrownBy(() -> this.raw.decode(CBOR.writeValueAsBytes(withinBound)))
			.withMessageContaining("zstd");
	}

	@Test
	void unknownAlgorithmAndWrongShapesAreUnreadable() {
		byte[] compressed = (byte[]) elements(this.compressing.encode(new Modified(text(4096), "h"))).get(5);
		List<List<Object>> shapes = List.of(List.of(2, "M", "h", "lz4", 4096, compressed),
				List.of(2, "D", "h", "zstd", 4096, compressed), List.of(2, "D"), List.of(2, "M", "h", compressed),
				List.of(2, "M", "h", "zstd", -1, compressed), List.of(2, "M", "h", "zstd", "4096", compressed),
				List.of(2, "M", "h", "zstd", 4096, compressed, 0), List.of(3, "M", "h", "zstd", 4096, compressed));
		for (List<Object> shape : shapes) {
			byte[] value = CBOR.writeValueAsBytes(shape);
			assertThatExceptionOfType(UnreadableValueException.class).as("decode %s", shape.subList(0, 2))
				.isThrownBy(() -> this.compressing.decode(value));
		}
		assertThatExceptionOfType(UnreadableValueException.class)
			.isThrownBy(() -> this.compressing.decode(CBOR.writeValueAsBytes(shapes.get(0))))
			.withMessageContaining("unknown algorithm 'lz4'");
	}

	@Test
	void negativeThresholdIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> ContentCompression.zstd(-1))
			.withMessage("threshold must not be negative but was -1");
	}

	private static List<Object> elements(byte[] value) {
		JsonNode tree = CBOR.readTree(value);
		List<Object> elements = new ArrayList<>();
		for (JsonNode element : tree) {
			elements.add(element.isBinary() ? element.binaryValue()
					: element.isIntegralNumber() ? (Object) element.asLong() : element.asString());
		}
		return elements;
	}

}
