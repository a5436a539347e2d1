package dev.workspacecache.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.valkey.ValkeyCache;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import dev.workspacecache.testsupport.RedisInspector;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * What {@link ValkeyCache} wrote, read back from the server with raw commands, so that
 * the baselines move exactly the bytes the cache stores without this module
 * re-implementing the cache's key layout or value format (both are package-private in
 * {@code dev.workspacecache.valkey}):
 * <ul>
 * <li>the key of a workspace is found with {@code SCAN MATCH <prefix>*<uuid>*}: the one
 * key the cache holds for that workspace;</li>
 * <li>the stored value of one entry (or of a snapshot, or a graph) is the only field of a
 * probe workspace to which the cache wrote just that part, read with
 * {@code HGETALL}.</li>
 * </ul>
 * Set-up only: nothing here is timed.
 */
final class ServerView {

	/** The name of the version field of a workspace's key. */
	private static final byte[] VERSION_FIELD = { 'v' };

	private final ValkeyCache cache;

	private final RedisCommands<byte[], byte[]> raw;

	/**
	 * A workspace the probes write one part to at a time; its key is deleted after each.
	 */
	private final UUID probe = UUID.randomUUID();

	private byte[] probeKey;

	ServerView(BenchmarkConnection connection) {
		this.cache = connection.cache();
		this.raw = connection.raw();
	}

	/**
	 * Return the key the cache wrote for a workspace, as the server lists it.
	 * @param id the workspace, which the cache must have written
	 * @return the key
	 * @throws IllegalStateException unless the server holds exactly one key for the
	 * workspace
	 */
	byte[] keyOf(UUID id) {
		ScanArgs match = ScanArgs.Builder.matches(BenchmarkConnection.KEY_PREFIX + "*" + id + "*").limit(10_000);
		List<byte[]> keys = new ArrayList<>();
		KeyScanCursor<byte[]> cursor = this.raw.scan(match);
		keys.addAll(cursor.getKeys());
		while (!cursor.isFinished()) {
			cursor = this.raw.scan(ScanCursor.of(cursor.getCursor()), match);
			keys.addAll(cursor.getKeys());
		}
		if (keys.size() != 1) {
			throw new IllegalStateException("Expected the cache to hold one key for workspace " + id + " but found "
					+ keys.size() + ": the benchmarks assume one key per workspace");
		}
		return keys.get(0);
	}

	/**
	 * Return the value the cache stores for an overlay entry.
	 * @param path the path
	 * @param entry the entry
	 * @return the stored bytes
	 */
	byte[] storedValue(String path, CachedOverlayEntry entry) {
		this.cache.cacheFile(this.probe, path, entry);
		return takeProbe();
	}

	/**
	 * Return the values the cache stores for overlay entries.
	 * @param files the entries by path
	 * @return the stored bytes by path, in the same order
	 */
	Map<String, byte[]> storedValues(Map<String, CachedOverlayEntry> files) {
		Map<String, byte[]> values = new LinkedHashMap<>(files.size() * 2);
		files.forEach((path, entry) -> values.put(path, storedValue(path, entry)));
		return values;
	}

	/**
	 * Return the value the cache stores for a snapshot.
	 * @param snapshot the snapshot
	 * @return the stored bytes
	 */
	byte[] storedSnapshot(WorkspaceSnapshot snapshot) {
		this.cache.cacheWorkspace(this.probe, snapshot);
		return takeProbe();
	}

	/**
	 * Return the value the cache stores for a graph.
	 * @param graph the graph bytes
	 * @return the stored bytes
	 */
	byte[] storedGraph(byte[] graph) {
		this.cache.cacheGraph(this.probe, graph);
		return takeProbe();
	}

	/**
	 * Return the only field of a key that holds a part of the workspace, and its value.
	 * The version field ({@code v}, the cache's bookkeeping, written with every part
	 * since versioned writes; see {@code WorkspaceKeys}) is left out.
	 * @param key a hash holding one part
	 * @return the field and its value
	 */
	Map.Entry<byte[], byte[]> onlyField(byte[] key) {
		List<Map.Entry<byte[], byte[]>> parts = new ArrayList<>();
		this.raw.hgetall(key).forEach((field, value) -> {
			if (!Arrays.equals(field, VERSION_FIELD)) {
				parts.add(Map.entry(field, value));
			}
		});
		if (parts.size() != 1) {
			throw new IllegalStateException(
					"Expected one part in " + new String(key, StandardCharsets.UTF_8) + " but found " + parts.size());
		}
		return parts.get(0);
	}

	/**
	 * Return what {@code MEMORY USAGE key SAMPLES 0} reports: every field counted, not a
	 * sample.
	 * @param key the key
	 * @return the bytes the server attributes to the key
	 */
	long memoryUsage(byte[] key) {
		return RedisInspector.memoryUsage(this.raw, key);
	}

	private byte[] takeProbe() {
		if (this.probeKey == null) {
			this.probeKey = keyOf(this.probe);
		}
		byte[] value = onlyField(this.probeKey).getValue();
		this.raw.unlink(this.probeKey);
		return value;
	}

}
