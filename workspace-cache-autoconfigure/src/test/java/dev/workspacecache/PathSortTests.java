package dev.workspacecache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PathSort}: its order must be {@link String#compareTo}'s for any paths.
 */
class PathSortTests {

	/** Characters that stress each branch: Latin-1, wider, surrogates, and NUL. */
	private static final char[] ALPHABET = { 'a', 'b', 'z', '/', '.', '\0', '\u0001', '\u00e9', '\u00ff', '\u0100',
			'\u4e2d', '\ud7ff', '\ud83d', '\ude00', '\ue000', '\uffff' };

	private static final String[] PREFIXES = { "", "src/main/java/dev/example/", "src/main/java/dev/example/module",
			"src/test/", "\u00e9t\u00e9/", "\u4e2d\u6587/" };

	@Test
	void sortsAsStringCompareToForRandomPaths() {
		Random random = new Random(42);
		for (int round = 0; round < 2_000; round++) {
			int size = (round % 50 == 0) ? 1 + random.nextInt(3_000) : random.nextInt(40);
			List<String> paths = new ArrayList<>(size);
			for (int i = 0; i < size; i++) {
				paths.add(randomPath(random, paths));
			}
			assertSortedAsStrings(paths);
		}
	}

	@Test
	void sortsPathsThatArePrefixesOfOneAnotherShortestFirst() {
		assertSortedAsStrings(List.of("a\0\0\0\0\0\0\0\0\0b", "a", "a\0", "a\0\0\0\0\0\0\0\0", "",
				"a\0\0\0\0\0\0\0\0\0", "a\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"));
	}

	@Test
	void sortsPathsThatTieForManyLevels() {
		String shared = "x".repeat(10_000);
		List<String> paths = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			paths.add(shared.substring(0, i * 20) + (char) ('a' + (i % 3)));
		}
		assertSortedAsStrings(paths);
	}

	@Test
	void keepsEqualPathsNextToEachOther() {
		List<Map.Entry<String, Integer>> entries = List.of(Map.entry("b", 1), Map.entry("a", 2), Map.entry("b", 3),
				Map.entry("a", 4));
		@SuppressWarnings("unchecked")
		Map.Entry<String, Integer>[] sorted = entries.toArray(new Map.Entry[0]);
		PathSort.sort(sorted);
		assertThat(Arrays.stream(sorted).map(Map.Entry::getKey)).containsExactly("a", "a", "b", "b");
	}

	private static String randomPath(Random random, List<String> earlier) {
		if (!earlier.isEmpty() && random.nextInt(8) == 0) {
			// A path that is a prefix of, equal to, or an extension of an earlier one.
			String other = earlier.get(random.nextInt(earlier.size()));
			return switch (random.nextInt(3)) {
				case 0 -> other.substring(0, random.nextInt(other.length() + 1));
				case 1 -> other;
				default -> other + ALPHABET[random.nextInt(ALPHABET.length)];
			};
		}
		StringBuilder path = new StringBuilder(PREFIXES[random.nextInt(PREFIXES.length)]);
		int length = random.nextInt(24);
		// Mostly one narrow alphabet, so that paths tie over several levels.
		int alphabet = random.nextBoolean() ? 3 : ALPHABET.length;
		for (int i = 0; i < length; i++) {
			path.append(ALPHABET[random.nextInt(alphabet)]);
		}
		return path.toString();
	}

	private static void assertSortedAsStrings(List<String> paths) {
		@SuppressWarnings("unchecked")
		Map.Entry<String, Integer>[] entries = new Map.Entry[paths.size()];
		for (int i = 0; i < entries.length; i++) {
			entries[i] = Map.entry(paths.get(i), i);
		}
		PathSort.sort(entries);
		List<String> expected = new ArrayList<>(paths);
		expected.sort(String::compareTo);
		assertThat(Arrays.stream(entries).map(Map.Entry::getKey).toList()).isEqualTo(expected);
	}

}
