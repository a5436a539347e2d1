package dev.workspacecache.valkey;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedOverlayEntry.Added;
import dev.workspacecache.CachedOverlayEntry.Deleted;
import dev.workspacecache.CachedOverlayEntry.Modified;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Pins the parser-free fast path of {@link OverlayEntryCodec#decode} to the Jackson
 * reader: on every value it accepts, it must decode exactly what Jackson decodes, and it
 * must accept the values this release writes for realistic hashes (ASCII, up to a few
 * hundred characters; Jackson writes much longer text in chunks, which the fast path
 * leaves to Jackson).
 */
class CanonicalOverlayEntryReaderTests {

	// Around every boundary of CBOR's length encodings: inline (< 24), 1, 2 and 4 byte
	// lengths.
	private static final int[] SIZES = { 0, 1, 23, 24, 255, 256, 65_535, 65_536, 70_000 };

	@Test
	void readsEveryValueThisReleaseWritesExactlyAsJacksonDoes() {
		Random random = new Random(42);
		for (CachedOverlayEntry entry : entries(random)) {
			byte[] value = OverlayEntryCodec.INSTANCE.encode(entry);
			String description = describe(entry);
			CachedOverlayEntry fast = CanonicalOverlayEntryReader.read(value);
			if (fast != null || hashLength(entry) <= 256) {
				assertThat(fast != null && fast.equals(entry)).as("fast path of %s", description).isTrue();
			}
			assertThat(OverlayEntryCodec.INSTANCE.decodeWithParser(value).equals(entry))
				.as("Jackson's reading of %s", description)
				.isTrue();
			assertThat(OverlayEntryCodec.INSTANCE.decode(value).equals(entry)).as("decode of %s", description).isTrue();
		}
	}

	@Test
	void leavesNonAsciiHashesToJackson() {
		Modified entry = new Modified(new byte[] { 1, 2 }, "häsh");
		byte[] value = OverlayEntryCodec.INSTANCE.encode(entry);
		assertThat(CanonicalOverlayEntryReader.read(value)).isNull();
		assertThat(OverlayEntryCodec.INSTANCE.decode(value)).isEqualTo(entry);
	}

	@Test
	void neverAcceptsAMutatedValueThatJacksonReadsOtherwise() {
		Random random = new Random(7);
		List<CachedOverlayEntry> entries = entries(random);
		int accepted = 0;
		for (int i = 0; i < 30_000; i++) {
			byte[] value = OverlayEntryCodec.INSTANCE.encode(entries.get(random.nextInt(entries.size())));
			byte[] mutated = mutate(value, random);
			CachedOverlayEntry fast = CanonicalOverlayEntryReader.read(mutated);
			if (fast == null) {
				continue;
			}
			accepted++;
			try {
				assertThat(OverlayEntryCodec.INSTANCE.decodeWithParser(mutated).equals(fast))
					.as("Jackson's reading of %s",
							Arrays.toString(Arrays.copyOf(mutated, Math.min(mutated.length, 16))))
					.isTrue();
			}
			catch (UnreadableValueException ex) {
				fail("The fast path accepted a value Jackson rejects (" + ex.getMessage() + "): "
						+ Arrays.toString(Arrays.copyOf(mutated, Math.min(mutated.length, 16))));
			}
		}
		// Mutations of the content bytes keep a value well formed: the comparison above
		// must have run.
		assertThat(accepted).isGreaterThan(1_000);
	}

	private static int hashLength(CachedOverlayEntry entry) {
		return (entry instanceof CachedOverlayEntry.WithContent withContent) ? withContent.hash().length() : 0;
	}

	private static String describe(CachedOverlayEntry entry) {
		return (entry instanceof CachedOverlayEntry.WithContent withContent) ? entry.getClass().getSimpleName() + " of "
				+ withContent.size() + " bytes, hash of " + withContent.hash().length() + " chars" : entry.toString();
	}

	private static List<CachedOverlayEntry> entries(Random random) {
		List<CachedOverlayEntry> entries = new ArrayList<>();
		entries.add(new Deleted());
		for (int hashLength : SIZES) {
			String hash = "h".repeat(hashLength);
			for (int contentLength : SIZES) {
				byte[] content = new byte[contentLength];
				random.nextBytes(content);
				entries.add(new Modified(content, hash));
				entries.add(new Added(content, hash));
			}
		}
		return entries;
	}

	private static byte[] mutate(byte[] value, Random random) {
		switch (random.nextInt(4)) {
			case 0 -> {
				byte[] copy = value.clone();
				// Mostly the framing at both ends, where a change alters the structure.
				int index = random.nextBoolean() ? random.nextInt(Math.min(copy.length, 12))
						: copy.length - 1 - random.nextInt(Math.min(copy.length, 3));
				copy[index] = (byte) random.nextInt(256);
				return copy;
			}
			case 1 -> {
				return Arrays.copyOf(value, random.nextInt(value.length));
			}
			case 2 -> {
				byte[] longer = Arrays.copyOf(value, value.length + 1 + random.nextInt(3));
				for (int i = value.length; i < longer.length; i++) {
					longer[i] = (byte) random.nextInt(256);
				}
				return longer;
			}
			default -> {
				byte[] copy = value.clone();
				copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
				return copy;
			}
		}
	}

}
