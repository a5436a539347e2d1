package dev.workspacecache.valkey;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;

/**
 * The overlay entries decoded from one reply, in the order the server sent them, as a
 * read-only map for {@link CachedWorkspace#of} to copy into path order.
 * <p>
 * A list rather than a {@link java.util.HashMap} or a {@link java.util.TreeMap}: the map
 * is read once, by that copy, so hashing or ordering 1,000 paths here would be spent for
 * nothing. Its paths are distinct as long as the stored field names decode to distinct
 * text, which only malformed UTF-8 breaks; {@link CachedWorkspace#of} rejects a repeated
 * path, and the decoder then reads the workspace as unreadable.
 */
final class DecodedOverlay extends AbstractMap<String, CachedOverlayEntry> {

	private final List<Map.Entry<String, CachedOverlayEntry>> entries;

	DecodedOverlay(int capacity) {
		this.entries = new ArrayList<>(capacity);
	}

	void add(String path, CachedOverlayEntry entry) {
		this.entries.add(Map.entry(path, entry));
	}

	@Override
	public int size() {
		return this.entries.size();
	}

	@Override
	public void forEach(BiConsumer<? super String, ? super CachedOverlayEntry> action) {
		for (Map.Entry<String, CachedOverlayEntry> entry : this.entries) {
			action.accept(entry.getKey(), entry.getValue());
		}
	}

	@Override
	public Set<Map.Entry<String, CachedOverlayEntry>> entrySet() {
		List<Map.Entry<String, CachedOverlayEntry>> entries = Collections.unmodifiableList(this.entries);
		return new AbstractSet<>() {

			@Override
			public Iterator<Map.Entry<String, CachedOverlayEntry>> iterator() {
				return entries.iterator();
			}

			@Override
			public int size() {
				return entries.size();
			}

		};
	}

}
