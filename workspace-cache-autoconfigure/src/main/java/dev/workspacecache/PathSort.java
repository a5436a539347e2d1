package dev.workspacecache;

import java.util.Arrays;
import java.util.Map;

/**
 * Sorts overlay entries by path, in {@link String#compareTo} order, as a most significant
 * digit sort over primitive keys rather than a comparison sort over the paths.
 * <p>
 * Why: the paths of a workspace share long prefixes ({@code src/main/java/...}), so every
 * comparison of a comparison sort walks those prefixes again. Profiling {@code recover}
 * of 1,000 files showed {@link Arrays#sort(Object[], java.util.Comparator)} taking close
 * to half of the caller's time. Here each level packs the next few characters of every
 * path of a group into a {@code long}, with the entry's position in its low bits, sorts
 * those with {@link Arrays#sort(long[], int, int)}, and goes one level deeper only within
 * groups that still tie.
 * <p>
 * Characters are packed as 8 bits when every character of the level is Latin-1, else as
 * 16 bits, so the packed order is the order of UTF-16 code units that
 * {@link String#compareTo} uses. A path shorter than the level is padded with zeros: it
 * then ties with the paths it is a prefix of (padded with {@code '\0'} characters, if
 * any), and such paths go first, shortest first.
 */
final class PathSort {

	/**
	 * The largest group of keys sorted by insertion rather than by
	 * {@link Arrays#sort(long[], int, int)}.
	 */
	private static final int SMALL_GROUP = 24;

	private PathSort() {
	}

	/**
	 * Sort entries by path.
	 * @param <E> the entry type
	 * @param entries the entries, sorted in place; equal paths end up next to each other
	 */
	static <E extends Map.Entry<String, ?>> void sort(E[] entries) {
		if (entries.length < 2) {
			return;
		}
		int indexBits = 32 - Integer.numberOfLeadingZeros(entries.length - 1);
		long[] keys = new long[entries.length];
		E[] scratch = entries.clone();
		// Groups still to sort, as (from, to, level) triples: a stack rather than
		// recursion, so that no set of paths, however deep their ties, can overflow the
		// thread's stack.
		int[] groups = { 0, entries.length, 0 };
		int pending = 1;
		while (pending > 0) {
			pending--;
			int from = groups[pending * 3];
			int to = groups[pending * 3 + 1];
			int level = groups[pending * 3 + 2];
			int end;
			while (true) {
				int characters = pack(entries, keys, indexBits, from, to, level, 8);
				if (characters < 0) {
					characters = pack(entries, keys, indexBits, from, to, level, 16);
				}
				end = level + characters;
				boolean tie = allTie(keys, indexBits, from, to);
				if (tie && allLonger(entries, from, to, end)) {
					// The same characters at this level, and more to come for all: on
					// to where the paths first differ, found from the least and the
					// greatest path in one pass rather than level by level.
					level = Math.max(end, sharedPrefixLength(entries, from, to));
					continue;
				}
				if (!tie) {
					sortKeys(keys, from, to);
					long positionMask = (1L << indexBits) - 1;
					for (int i = from; i < to; i++) {
						scratch[i] = entries[from + (int) (keys[i] & positionMask)];
					}
					System.arraycopy(scratch, from, entries, from, to - from);
				}
				break;
			}
			// Each run of keys that tie at this level: the paths that end within it go
			// first, by length; the others are sorted on the next level.
			int start = from;
			while (start < to) {
				long characters = keys[start] >>> indexBits;
				int stop = start + 1;
				while (stop < to && (keys[stop] >>> indexBits) == characters) {
					stop++;
				}
				if (stop - start > 1) {
					int longer = endedFirst(entries, start, stop, end);
					if (stop - longer > 1) {
						if ((pending + 1) * 3 > groups.length) {
							groups = Arrays.copyOf(groups, groups.length * 2);
						}
						groups[pending * 3] = longer;
						groups[pending * 3 + 1] = stop;
						groups[pending * 3 + 2] = end;
						pending++;
					}
				}
				start = stop;
			}
		}
	}

	// Pack the characters of each path from 'level' into its key, left-aligned with the
	// sign bit flipped (so that a signed sort of the keys is an unsigned sort of the
	// characters) and the path's position in the group in the low bits. Returns how many
	// characters each key holds, or -1 when 8 bits are asked for and a character needs
	// more.
	private static <E extends Map.Entry<String, ?>> int pack(E[] entries, long[] keys, int indexBits, int from, int to,
			int level, int bitsPerCharacter) {
		int characters = (64 - indexBits) / bitsPerCharacter;
		int shift = 64 - characters * bitsPerCharacter;
		for (int i = from; i < to; i++) {
			String path = entries[i].getKey();
			int length = path.length();
			long packed = 0;
			for (int c = level; c < level + characters; c++) {
				char character = (c < length) ? path.charAt(c) : 0;
				if (bitsPerCharacter == 8 && character > 0xFF) {
					return -1;
				}
				packed = (packed << bitsPerCharacter) | character;
			}
			keys[i] = ((packed << shift) ^ Long.MIN_VALUE) | (i - from);
		}
		return characters;
	}

	private static <E extends Map.Entry<String, ?>> int sharedPrefixLength(E[] entries, int from, int to) {
		String least = entries[from].getKey();
		String greatest = least;
		for (int i = from + 1; i < to; i++) {
			String path = entries[i].getKey();
			if (path.compareTo(least) < 0) {
				least = path;
			}
			else if (path.compareTo(greatest) > 0) {
				greatest = path;
			}
		}
		int length = Math.min(least.length(), greatest.length());
		int shared = 0;
		while (shared < length && least.charAt(shared) == greatest.charAt(shared)) {
			shared++;
		}
		return shared;
	}

	// Most groups below the first level hold a handful of paths, for which a call to
	// Arrays.sort costs more than sorting them in place.
	private static void sortKeys(long[] keys, int from, int to) {
		if (to - from > SMALL_GROUP) {
			Arrays.sort(keys, from, to);
			return;
		}
		for (int i = from + 1; i < to; i++) {
			long key = keys[i];
			int j = i - 1;
			while (j >= from && keys[j] > key) {
				keys[j + 1] = keys[j];
				j--;
			}
			keys[j + 1] = key;
		}
	}

	private static boolean allTie(long[] keys, int indexBits, int from, int to) {
		long characters = keys[from] >>> indexBits;
		for (int i = from + 1; i < to; i++) {
			if ((keys[i] >>> indexBits) != characters) {
				return false;
			}
		}
		return true;
	}

	private static <E extends Map.Entry<String, ?>> boolean allLonger(E[] entries, int from, int to, int end) {
		for (int i = from; i < to; i++) {
			if (entries[i].getKey().length() <= end) {
				return false;
			}
		}
		return true;
	}

	// Move the paths no longer than 'end' to the front of a tie, shortest first, and
	// return where the others start. Each is equal to the others up to its own length
	// (padding included), so it is a prefix of every longer one.
	private static <E extends Map.Entry<String, ?>> int endedFirst(E[] entries, int from, int to, int end) {
		int ended = from;
		for (int i = from; i < to; i++) {
			if (entries[i].getKey().length() <= end) {
				E entry = entries[i];
				entries[i] = entries[ended];
				entries[ended] = entry;
				ended++;
			}
		}
		for (int i = from + 1; i < ended; i++) {
			E entry = entries[i];
			int length = entry.getKey().length();
			int j = i - 1;
			while (j >= from && entries[j].getKey().length() > length) {
				entries[j + 1] = entries[j];
				j--;
			}
			entries[j + 1] = entry;
		}
		return ended;
	}

}
