package dev.workspacecache.valkey;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceDescription;
import dev.workspacecache.WorkspaceSnapshot;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Decodes what the server replied for a workspace, the same way for {@link ValkeyCache}
 * and {@link ReactiveValkeyCache}: a value that cannot be decoded reads as a miss, is
 * logged at WARN with its key, and is counted; a workspace with any unreadable part is no
 * workspace.
 */
final class StoredWorkspaceDecoder {

	private static final Log logger = LogFactory.getLog(ValkeyCache.class);

	private final WorkspaceKeys keys;

	private final OverlayEntryCodec overlayEntries;

	private final LongAdder unreadableValues = new LongAdder();

	StoredWorkspaceDecoder(WorkspaceKeys keys, OverlayEntryCodec overlayEntries) {
		this.keys = keys;
		this.overlayEntries = overlayEntries;
	}

	WorkspaceKeys keys() {
		return this.keys;
	}

	OverlayEntryCodec overlayEntries() {
		return this.overlayEntries;
	}

	long unreadableValueCount() {
		return this.unreadableValues.sum();
	}

	@Nullable WorkspaceSnapshot snapshot(byte @Nullable [] value, byte[] key) {
		return decode(value, key, null, SnapshotCodec.INSTANCE::decode);
	}

	@Nullable CachedOverlayEntry entry(byte @Nullable [] value, byte[] key, String path) {
		return decode(value, key, path, this.overlayEntries::decode);
	}

	byte @Nullable [] graph(byte @Nullable [] value, byte[] key) {
		return decode(value, key, null, GraphCodec.INSTANCE::decode);
	}

	/**
	 * Return the paths among the fields of a workspace ({@code HKEYS}).
	 * @param fields the fields
	 * @return the paths, sorted and unmodifiable
	 */
	List<String> paths(@Nullable Collection<byte[]> fields) {
		if (fields == null || fields.isEmpty()) {
			return List.of();
		}
		List<String> paths = new ArrayList<>(fields.size());
		for (byte[] field : fields) {
			if (WorkspaceKeys.isFileField(field)) {
				paths.add(WorkspaceKeys.pathOf(field));
			}
		}
		Collections.sort(paths);
		return Collections.unmodifiableList(paths);
	}

	/**
	 * Return the overlay among the fields of a workspace ({@code HGETALL}), leaving out
	 * the entries that cannot be read.
	 * @param key the workspace key
	 * @param stored the fields and values
	 * @return the overlay, sorted by path and unmodifiable
	 */
	Map<String, CachedOverlayEntry> files(byte[] key, @Nullable Map<byte[], byte[]> stored) {
		if (stored == null || stored.isEmpty()) {
			return Map.of();
		}
		TreeMap<String, CachedOverlayEntry> files = new TreeMap<>();
		stored.forEach((field, value) -> {
			if (WorkspaceKeys.isFileField(field)) {
				String path = WorkspaceKeys.pathOf(field);
				CachedOverlayEntry entry = entry(value, key, path);
				if (entry != null) {
					files.put(path, entry);
				}
			}
		});
		return Collections.unmodifiableMap(files);
	}

	/**
	 * Return the whole workspace that the fields of its key hold ({@code HGETALL}).
	 * @param key the workspace key
	 * @param stored the fields and values
	 * @return the workspace with its version; {@code null} without a snapshot or with any
	 * part that cannot be read
	 */
	@Nullable CachedWorkspace workspace(byte[] key, @Nullable Map<byte[], byte[]> stored) {
		return workspace(key, StoredFields.of(stored));
	}

	/**
	 * Return the whole workspace that the fields of its key hold ({@code HGETALL}).
	 * @param key the workspace key
	 * @param stored the fields and values
	 * @return the workspace with its version; {@code null} without a snapshot or with any
	 * part that cannot be read
	 */
	@Nullable CachedWorkspace workspace(byte[] key, StoredFields stored) {
		if (stored.isEmpty()) {
			return null;
		}
		WorkspaceSnapshot snapshot = null;
		byte[] graph = null;
		long version = 0;
		DecodedOverlay files = new DecodedOverlay(stored.size());
		boolean whole = true;
		for (int i = 0; i < stored.size(); i++) {
			byte[] name = stored.name(i);
			if (WorkspaceKeys.isFileField(name)) {
				String path = WorkspaceKeys.pathOf(name);
				CanonicalOverlayEntryReader.Parts parts = stored.parts(i);
				CachedOverlayEntry entry = (parts != null) ? parts.entry() : entry(stored.value(i), key, path);
				whole &= (entry != null);
				if (entry != null) {
					files.add(path, entry);
				}
			}
			else if (WorkspaceKeys.isField(name, WorkspaceKeys.SNAPSHOT_FIELD)) {
				snapshot = snapshot(stored.value(i), key);
				whole &= (snapshot != null);
			}
			else if (WorkspaceKeys.isField(name, WorkspaceKeys.GRAPH_FIELD)) {
				graph = graph(stored.value(i), key);
				whole &= (graph != null);
			}
			else if (WorkspaceKeys.isField(name, WorkspaceKeys.VERSION_FIELD)) {
				Long parsed = decode(stored.value(i), key, null, StoredWorkspaceDecoder::parseVersion);
				whole &= (parsed != null);
				version = (parsed != null) ? parsed : 0;
			}
		}
		// A workspace with a part this release cannot read is not the workspace that was
		// written: a miss lets the caller fall back to its system of record instead.
		if (snapshot == null || !whole) {
			return null;
		}
		try {
			return CachedWorkspace.of(snapshot, files, graph).withVersion(version);
		}
		catch (IllegalArgumentException ex) {
			// Two field names that decode to one path: not what any release writes.
			unreadable(key, null, ex.getMessage());
			return null;
		}
	}

	/**
	 * Return the description that {@link WorkspaceScripts#DESCRIBE} replied.
	 * @param reply the script's reply
	 * @return the description, {@code null} for an absent or evicted workspace
	 */
	static @Nullable WorkspaceDescription description(@Nullable List<?> reply) {
		if (reply == null || reply.size() < 5) {
			return null;
		}
		long pttl = number(reply.get(4));
		return new WorkspaceDescription(number(reply.get(0)) == 1, number(reply.get(1)) == 1,
				Math.toIntExact(number(reply.get(2))), number(reply.get(3)),
				(pttl >= 0) ? Duration.ofMillis(pttl) : null);
	}

	private static long number(Object value) {
		return ((Number) value).longValue();
	}

	private static long parseVersion(byte[] value) {
		try {
			long version = Long.parseLong(new String(value, StandardCharsets.US_ASCII));
			if (version < 0) {
				throw new UnreadableValueException("negative version " + version);
			}
			return version;
		}
		catch (NumberFormatException ex) {
			throw new UnreadableValueException("the version is not a number", ex);
		}
	}

	private <T> @Nullable T decode(byte @Nullable [] value, byte[] key, @Nullable String path,
			Function<byte[], T> decoder) {
		if (value == null) {
			return null;
		}
		try {
			return decoder.apply(value);
		}
		catch (RuntimeException ex) {
			unreadable(key, path, ex.getMessage());
			return null;
		}
	}

	/**
	 * Count and log a value that cannot be read.
	 * @param key the key
	 * @param path the path of the entry, or {@code null} when the key itself or another
	 * field is unreadable
	 * @param reason why
	 */
	void unreadable(byte[] key, @Nullable String path, @Nullable String reason) {
		this.unreadableValues.increment();
		if (logger.isWarnEnabled()) {
			String where = (path != null) ? "field '" + path + "' of key '" + this.keys.describe(key) + "'"
					: "key '" + this.keys.describe(key) + "'";
			logger.warn("Ignoring unreadable workspace cache value at " + where + " (read as a miss): " + reason);
		}
	}

	// What the metrics count as bytes moved: the encoded values received, not the key,
	// field names or protocol framing.
	static long valueBytes(@Nullable Map<byte[], byte[]> stored) {
		long bytes = 0;
		if (stored != null) {
			for (Map.Entry<byte[], byte[]> field : stored.entrySet()) {
				bytes += StoredFields.countedBytes(field.getKey(), field.getValue().length);
			}
		}
		return bytes;
	}

}
