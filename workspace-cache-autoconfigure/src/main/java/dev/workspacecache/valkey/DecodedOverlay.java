package dev.workspacecache.valkey;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;

/**
 * The overlay entries decoded from one reply, in the order the server sent them, as a
 * read-only map for {@link CachedWorkspace#of} to copy into path order.
 * <p>
 * Two arrays rather than a {@link java.util.HashMap} or a {@link java.util.TreeMap}: the
 * map is read once, by that copy, so hashing or ordering 1,000 paths here would be spent
 * for nothing. Its paths are distinct as long as the stored field names decode to
 * distinct text, which only malformed UTF-8 breaks; {@link CachedWorkspace#of} rejects a
 * repeated path, and the decoder then reads the workspace as unreadable.
 */
final class DecodedOverlay extends AbstractMap<String, CachedOverlayEntry> {

	private String[] paths;

	private CachedOverlayEntry[] entries;

	private int size;

	DecodedOverlay(int capacity) {
		this.paths = new String[capacity];
		this.entries = new CachedOverlayEntry[capacity];
	}

	void add(String path, CachedOverlayEntry entry) {
		if (this.size == this.paths.length) {
			int capacity = Math.max(8, this.size * 2);
			this.paths = Arrays.copyOf(this.paths, capacity);
			this.entries = Arrays.copyOf(this.entries, capacity);
		}
		this.paths[this.size] = path;
		this.entries[this.size] = entry;
		this.size++;
	}

	@Override
	public int size() {
		return this.size;
	}

	@Override
	public void forEach(BiConsumer<? super String, ? super CachedOverlayEntry> action) {
		for (int i = 0; i < this.size; i++) {
			action.accept(this.paths[i], this.entries[i]);
		}
	}

	@Override
	public Set<Map.Entry<String, CachedOverlayEntry>> entrySet() {
		return new AbstractSet<>() {

			@Override
			public Iterator<Map.Entry<String, CachedOverlayEntry>> iterator() {
				return new Iterator<>() {

					private int next;

					@Override
					public boolean hasNext() {
						return this.next < DecodedOverlay.this.size;
					}

					@Override
					public Map.Entry<String, CachedOverlayEntry> next() {
						if (!hasNext()) {
							throw new NoSuchElementException();
						}
						int index = this.next++;
						return Map.entry(DecodedOverlay.this.paths[index], DecodedOverlay.this.entries[index]);
					}

				};
			}

			@Override
			public int size() {
				return DecodedOverlay.this.size;
			}

		};
	}

}
