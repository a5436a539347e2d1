package dev.workspacecache;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * The overlay of a {@link CachedWorkspace}: an immutable map from path to entry, held as
 * one array of entries sorted by path. Lookups search it in halves; iteration walks it in
 * path order.
 * <p>
 * Not a {@link java.util.TreeMap}: {@code recover} builds one overlay per read, and at
 * 1,000 files building a tree (a node and about ten path comparisons per file, then a
 * second tree for the copy) cost more than decoding every entry. The array is sorted
 * once, by {@link PathSort}, and an overlay already in this form is shared, not copied,
 * as it never changes.
 */
final class PathOrderedOverlay extends AbstractMap<String, CachedOverlayEntry> {

	private static final PathOrderedOverlay EMPTY = new PathOrderedOverlay(entries(0));

	private final Map.Entry<String, CachedOverlayEntry>[] entries;

	private final Set<Map.Entry<String, CachedOverlayEntry>> entrySet;

	private PathOrderedOverlay(Map.Entry<String, CachedOverlayEntry>[] entries) {
		this.entries = entries;
		List<Map.Entry<String, CachedOverlayEntry>> inOrder = Collections.unmodifiableList(Arrays.asList(entries));
		this.entrySet = new AbstractSet<>() {

			@Override
			public Iterator<Map.Entry<String, CachedOverlayEntry>> iterator() {
				return inOrder.iterator();
			}

			@Override
			public int size() {
				return inOrder.size();
			}

		};
	}

	@SuppressWarnings("unchecked")
	private static Map.Entry<String, CachedOverlayEntry>[] entries(int length) {
		return (Map.Entry<String, CachedOverlayEntry>[]) new Map.Entry<?, ?>[length];
	}

	/**
	 * Return the overlay of the given files, in path order.
	 * @param files the files by path; any map, in any order
	 * @return the overlay; {@code files} itself when it already is one
	 * @throws NullPointerException for a {@code null} path or entry
	 * @throws IllegalArgumentException if {@code files} yields a path twice, which only a
	 * map that breaks the {@link Map} contract can
	 */
	static PathOrderedOverlay copyOf(Map<String, CachedOverlayEntry> files) {
		if (files instanceof PathOrderedOverlay overlay) {
			return overlay;
		}
		if (files.isEmpty()) {
			return EMPTY;
		}
		Map.Entry<String, CachedOverlayEntry>[] entries = entries(files.size());
		int[] count = { 0 };
		files.forEach((path, entry) -> {
			Objects.requireNonNull(path, "files must not contain a null path");
			Objects.requireNonNull(entry, () -> "files[" + path + "] must not be null");
			if (count[0] == entries.length) {
				throw new IllegalArgumentException("files yielded more entries than its size (" + entries.length + ")");
			}
			entries[count[0]++] = Map.entry(path, entry);
		});
		if (count[0] != entries.length) {
			throw new IllegalArgumentException(
					"files yielded " + count[0] + " entries but its size is " + entries.length);
		}
		// A sorted map (a TreeMap, another workspace's overlay) needs no sort; anything
		// else stops the check at its first pair out of order, usually at once.
		if (!inStrictPathOrder(entries)) {
			PathSort.sort(entries);
			for (int i = 1; i < entries.length; i++) {
				if (entries[i - 1].getKey().equals(entries[i].getKey())) {
					throw new IllegalArgumentException(
							"files must not contain the path '" + entries[i].getKey() + "' twice");
				}
			}
		}
		return new PathOrderedOverlay(entries);
	}

	private static boolean inStrictPathOrder(Map.Entry<String, CachedOverlayEntry>[] entries) {
		for (int i = 1; i < entries.length; i++) {
			if (entries[i - 1].getKey().compareTo(entries[i].getKey()) >= 0) {
				return false;
			}
		}
		return true;
	}

	@Override
	public int size() {
		return this.entries.length;
	}

	@Override
	public boolean isEmpty() {
		return this.entries.length == 0;
	}

	@Override
	public @Nullable CachedOverlayEntry get(@Nullable Object key) {
		int index = indexOf(key);
		return (index >= 0) ? this.entries[index].getValue() : null;
	}

	@Override
	public boolean containsKey(@Nullable Object key) {
		return indexOf(key) >= 0;
	}

	private int indexOf(@Nullable Object key) {
		if (!(key instanceof String path)) {
			return -1;
		}
		int low = 0;
		int high = this.entries.length - 1;
		while (low <= high) {
			int middle = (low + high) >>> 1;
			int order = this.entries[middle].getKey().compareTo(path);
			if (order < 0) {
				low = middle + 1;
			}
			else if (order > 0) {
				high = middle - 1;
			}
			else {
				return middle;
			}
		}
		return -1;
	}

	@Override
	public void forEach(BiConsumer<? super String, ? super CachedOverlayEntry> action) {
		for (Map.Entry<String, CachedOverlayEntry> entry : this.entries) {
			action.accept(entry.getKey(), entry.getValue());
		}
	}

	@Override
	public Set<Map.Entry<String, CachedOverlayEntry>> entrySet() {
		return this.entrySet;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (other instanceof PathOrderedOverlay that) {
			return Arrays.equals(this.entries, that.entries);
		}
		return super.equals(other);
	}

	@Override
	public int hashCode() {
		int hash = 0;
		for (Map.Entry<String, CachedOverlayEntry> entry : this.entries) {
			hash += entry.hashCode();
		}
		return hash;
	}

}
