package dev.workspacecache.valkey;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The key layout of {@link ValkeyCache}, in one place. A workspace {@code <uuid>} is one
 * Redis HASH, under the configured prefix {@code <prefix>}: <pre>
 * &lt;prefix&gt;{&lt;uuid&gt;}:workspace   HASH, with one expiry
 *   field "m"            the snapshot ({@link SnapshotCodec})
 *   field "g"            the session graph ({@link GraphCodec})
 *   field "f" + path     one overlay entry per path, path in UTF-8 ({@link OverlayEntryCodec})
 *   field "v"            the workspace's version, a decimal integer advanced by every write
 *   field "x"            only after an evict, then alone: the evict marker, holding no data but the version
 * &lt;prefix&gt;{&lt;uuid&gt;}:changes     sharded Pub/Sub channel of the workspace's changes ({@link ChangeMessageCodec})
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

	static final String CHANGES_SUFFIX = ":changes";

	/** Field of the version. */
	static final byte[] VERSION_FIELD = { 'v' };

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
	 * Return the sharded Pub/Sub channel of a workspace's changes: the same hash tag as
	 * its key, so the same slot.
	 * @param id the workspace id
	 * @return the channel
	 */
	byte[] changes(UUID id) {
		return (this.prefix + "{" + id + "}" + CHANGES_SUFFIX).getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Return the workspace whose change channel this is.
	 * @param channel a channel name
	 * @return the workspace id, or {@code null} when the channel is not a change channel
	 * under this prefix
	 */
	@Nullable UUID workspaceOfChanges(byte[] channel) {
		String name = new String(channel, StandardCharsets.UTF_8);
		int open = this.prefix.length();
		int close = name.length() - CHANGES_SUFFIX.length() - 1;
		if (!name.startsWith(this.prefix) || !name.endsWith("}" + CHANGES_SUFFIX) || close <= open
				|| name.charAt(open) != '{') {
			return null;
		}
		try {
			return UUID.fromString(name.substring(open + 1, close));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
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
