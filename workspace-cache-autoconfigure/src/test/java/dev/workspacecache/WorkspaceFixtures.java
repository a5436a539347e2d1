package dev.workspacecache;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Factory of test values: snapshots, overlay entries, whole workspaces and byte arrays;
 * and the workspace with every part written that many contract tests start from.
 */
public final class WorkspaceFixtures {

	private WorkspaceFixtures() {
	}

	/**
	 * Return a snapshot of the given workspace with plausible values.
	 * @param sessionId the workspace id
	 * @return a new snapshot
	 */
	public static WorkspaceSnapshot snapshot(UUID sessionId) {
		return snapshot(sessionId, "fix the bug");
	}

	/**
	 * Return a snapshot of the given workspace with the given intent, to tell snapshots
	 * apart. The same arguments always give an equal snapshot, so that tests can compare
	 * what they read with a snapshot built again.
	 * @param sessionId the workspace id
	 * @param intent the intent
	 * @return a new snapshot
	 */
	public static WorkspaceSnapshot snapshot(UUID sessionId, String intent) {
		return new WorkspaceSnapshot(sessionId, derivedId("repo", sessionId, intent), "clerk|abc", "agent-1",
				derivedId("changeset", sessionId, intent), intent, "deadbeef", "active", "ephemeral");
	}

	private static UUID derivedId(String kind, UUID sessionId, String intent) {
		return UUID.nameUUIDFromBytes(utf8(kind + "/" + sessionId + "/" + intent));
	}

	/**
	 * Return a whole workspace whose snapshot, two files (one modified, one deleted) and
	 * graph all carry {@code value}. The same arguments always give an equal workspace.
	 * @param id the workspace id
	 * @param value tells workspaces apart
	 * @return a new workspace
	 */
	public static CachedWorkspace wholeWorkspace(UUID id, String value) {
		return CachedWorkspace.of(snapshot(id, value),
				Map.of("src/" + value + ".rs", modified(value), "removed-" + value + ".rs", deleted()),
				utf8("graph " + value));
	}

	/**
	 * Write every part of a workspace, one operation a part: a snapshot, one file
	 * ({@code src/lib.rs}, modified to {@code fn foo() {}}) and a graph ({@code graph}).
	 * @param cache the cache to write to
	 * @param id the workspace id
	 */
	public static void writeEveryPart(WorkspaceCache cache, UUID id) {
		cache.cacheWorkspace(id, snapshot(id));
		cache.cacheFile(id, "src/lib.rs", modified("fn foo() {}"));
		cache.cacheGraph(id, utf8("graph"));
	}

	/**
	 * Return a {@link CachedOverlayEntry.Modified} with UTF-8 text content.
	 * @param text the content
	 * @return a new entry
	 */
	public static CachedOverlayEntry.Modified modified(String text) {
		return new CachedOverlayEntry.Modified(utf8(text), hash(text));
	}

	/**
	 * Return a {@link CachedOverlayEntry.Modified} with the given content and a fixed
	 * hash.
	 * @param content the content
	 * @return a new entry
	 */
	public static CachedOverlayEntry.Modified modified(byte[] content) {
		return new CachedOverlayEntry.Modified(content, "sha");
	}

	/**
	 * Return a {@link CachedOverlayEntry.Added} with UTF-8 text content.
	 * @param text the content
	 * @return a new entry
	 */
	public static CachedOverlayEntry.Added added(String text) {
		return new CachedOverlayEntry.Added(utf8(text), hash(text));
	}

	/**
	 * Return a {@link CachedOverlayEntry.Deleted}.
	 * @return a new entry
	 */
	public static CachedOverlayEntry.Deleted deleted() {
		return new CachedOverlayEntry.Deleted();
	}

	/**
	 * Return an entry of the kind chosen by {@code index} (modified, added, deleted, in
	 * turn) with content derived from {@code text}.
	 * @param index chooses the kind
	 * @param text the content, ignored for a deleted entry
	 * @return a new entry
	 */
	public static CachedOverlayEntry entryOfKind(int index, String text) {
		switch (Math.floorMod(index, 3)) {
			case 0:
				return modified(text);
			case 1:
				return added(text);
			default:
				return deleted();
		}
	}

	/**
	 * Return the UTF-8 bytes of a string.
	 * @param text the string
	 * @return its UTF-8 encoding
	 */
	public static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Return every byte value, 0 to 255, once and in order.
	 * @return 256 bytes
	 */
	public static byte[] allByteValues() {
		byte[] bytes = new byte[256];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = (byte) i;
		}
		return bytes;
	}

	/**
	 * Return reproducible pseudo-random bytes.
	 * @param length the number of bytes
	 * @param seed the seed
	 * @return the bytes
	 */
	public static byte[] randomBytes(int length, long seed) {
		byte[] bytes = new byte[length];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	private static String hash(String text) {
		return "sha-" + Integer.toHexString(text.hashCode());
	}

}
