package dev.workspacecache.valkey;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The key layout of {@link ValkeyCache}, in one place. For a workspace {@code <uuid>} and the
 * configured prefix {@code <prefix>}:
 * <pre>
 * &lt;prefix&gt;{&lt;uuid&gt;}:meta    STRING  the snapshot ({@link SnapshotCodec})
 * &lt;prefix&gt;{&lt;uuid&gt;}:graph   STRING  the session graph ({@link GraphCodec})
 * &lt;prefix&gt;{&lt;uuid&gt;}:files   HASH    overlay: field = path (UTF-8), value = entry ({@link OverlayEntryCodec})
 * </pre>
 * The braces make {@code <uuid>} the Redis Cluster hash tag, so all keys of a workspace live in
 * one slot and multi-key commands and scripts on them are legal in Cluster mode. The whole
 * overlay is one hash, so that evicting, touching, reading or writing it is one command on a
 * constant number of keys, whatever the number of files. All three keys always carry the same
 * expiry.
 */
final class WorkspaceKeys {

	static final String SNAPSHOT_SUFFIX = ":meta";

	static final String GRAPH_SUFFIX = ":graph";

	static final String OVERLAY_SUFFIX = ":files";

	private final String prefix;

	WorkspaceKeys(String prefix) {
		if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
			// Redis hashes the first {...} of a key: a brace in the prefix would move the hash tag
			// away from the workspace id and split a workspace over several slots.
			throw new IllegalArgumentException("keyPrefix must not contain '{' or '}' but was '" + prefix + "'");
		}
		this.prefix = prefix;
	}

	String prefix() {
		return this.prefix;
	}

	byte[] snapshot(UUID id) {
		return key(id, SNAPSHOT_SUFFIX);
	}

	byte[] graph(UUID id) {
		return key(id, GRAPH_SUFFIX);
	}

	byte[] overlay(UUID id) {
		return key(id, OVERLAY_SUFFIX);
	}

	/**
	 * Return every key of a workspace, in the order the scripts of {@link WorkspaceScripts}
	 * expect them: snapshot, graph, overlay.
	 */
	byte[][] all(UUID id) {
		return new byte[][] { snapshot(id), graph(id), overlay(id) };
	}

	String describe(byte[] key) {
		return new String(key, StandardCharsets.UTF_8);
	}

	private byte[] key(UUID id, String suffix) {
		return (this.prefix + "{" + id + "}" + suffix).getBytes(StandardCharsets.UTF_8);
	}

}
