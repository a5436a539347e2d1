package dev.workspacecache.valkey;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The key layout of {@link ValkeyCache}, in one place. A workspace {@code <uuid>} is one
 * Redis HASH, under the configured prefix {@code <prefix>}: <pre>
 * &lt;prefix&gt;{&lt;uuid&gt;}:workspace   HASH, with one expiry
 *   field "m"            the snapshot ({@link SnapshotCodec})
 *   field "g"            the session graph ({@link GraphCodec})
 *   field "f" + path     one overlay entry per path, path in UTF-8 ({@link OverlayEntryCodec})
 *   field "x"            only after an evict, then alone: the evict marker, holding no data
 * </pre> One key per workspace is what makes recovery whole or nothing: the server
 * stores, expires and evicts (under {@code maxmemory}) a key as one unit, so no policy
 * can drop the overlay or the graph of a workspace and keep its snapshot. {@code HGETALL}
 * reads it whole in one atomic command, a write is one script on one key, an evict
 * replaces the key with its marker, and the key lives in one Redis Cluster slot (the
 * braces make {@code <uuid>} the hash tag), which slot migration moves atomically. Field
 * names start with a one-byte tag so that no path can collide with a field of another
 * kind.
 */
final class WorkspaceKeys {

	static final String WORKSPACE_SUFFIX = ":workspace";

	/** Field of the snapshot. */
	static final byte[] SNAPSHOT_FIELD = { 'm' };

	/** Field of the graph. */
	static final byte[] GRAPH_FIELD = { 'g' };

	/** Field of the evict marker. */
	static final byte[] EVICTED_FIELD = { 'x' };

	/** First byte of the field of an overlay entry, followed by the path. */
	static final byte FILE_TAG = 'f';

	private final String prefix;

	WorkspaceKeys(String prefix) {
		if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
			// Redis hashes the first {...} of a key: a brace in the prefix would move the
			// hash tag away from the workspace id.
			throw new IllegalArgumentException("keyPrefix must not contain '{' or '}' but was '" + prefix + "'");
		}
		this.prefix = prefix;
	}

	String prefix() {
		return this.prefix;
	}

	/**
	 * Return the key of a workspace.
	 * @param id the workspace id
	 * @return the key
	 */
	byte[] workspace(UUID id) {
		return (this.prefix + "{" + id + "}" + WORKSPACE_SUFFIX).getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Return the field of an overlay entry.
	 * @param path the entry's path
	 * @return the field name
	 */
	static byte[] fileField(String path) {
		byte[] utf8 = path.getBytes(StandardCharsets.UTF_8);
		byte[] field = new byte[utf8.length + 1];
		field[0] = FILE_TAG;
		System.arraycopy(utf8, 0, field, 1, utf8.length);
		return field;
	}

	/**
	 * Return the path of an overlay entry's field.
	 * @param fileField a field for which {@link #isFileField(byte[])} holds
	 * @return the path
	 */
	static String pathOf(byte[] fileField) {
		return new String(fileField, 1, fileField.length - 1, StandardCharsets.UTF_8);
	}

	static boolean isFileField(byte[] field) {
		return field.length > 0 && field[0] == FILE_TAG;
	}

	static boolean isField(byte[] field, byte[] expected) {
		return field.length == 1 && field[0] == expected[0];
	}

	String describe(byte[] key) {
		return new String(key, StandardCharsets.UTF_8);
	}

}
