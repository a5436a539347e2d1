package dev.workspacecache.benchmarks;

import java.util.UUID;

import io.lettuce.core.SetArgs;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.WriteOutcome;

/**
 * One file as the cache stores it, in a cached workspace, and the very bytes the cache
 * stored for it kept under a plain key with the same expiry: what {@code getFile} and
 * {@code cacheFile} are compared with, a raw {@code GET} and {@code SET} of the same
 * bytes.
 *
 * @param workspace the workspace that holds the file
 * @param path the file's path
 * @param entry the file
 * @param rawKey the plain key
 * @param storedValue the value the cache stored for the entry
 * @param rawSetArgs the arguments of a raw {@code SET} with the cache's expiry
 */
record StoredFile(UUID workspace, String path, CachedOverlayEntry entry, byte[] rawKey, byte[] storedValue,
		SetArgs rawSetArgs) {

	static final String PATH = "src/main/java/dev/example/billing/InvoiceService.java";

	/**
	 * Store a file of the given size both ways.
	 * @param connection the connection of the cache and of the raw commands
	 * @param size the content size
	 * @param seed the seed of the content
	 * @return the stored file
	 */
	static StoredFile store(BenchmarkConnection connection, int size, long seed) {
		UUID workspace = UUID.randomUUID();
		CachedOverlayEntry entry = Workloads.file(size, seed);
		// The workspace holds just this entry at first: the one field of its key is the
		// entry.
		connection.cache().cacheFile(workspace, PATH, entry);
		ServerView view = new ServerView(connection);
		byte[] storedValue = view.onlyField(view.keyOf(workspace)).getValue();
		// Then its snapshot, so that writes find a cached workspace, as they do in use.
		connection.cache().cacheWorkspace(workspace, Workloads.snapshot());
		RecoveryBenchmark.expect(connection.cache().cacheFile(workspace, PATH, entry), WriteOutcome.PRESENT,
				"cacheFile");
		byte[] rawKey = Workloads.utf8("bench:raw:{" + workspace + "}:file");
		SetArgs rawSetArgs = SetArgs.Builder.px(BenchmarkConnection.TTL.toMillis());
		connection.raw().set(rawKey, storedValue, rawSetArgs);
		return new StoredFile(workspace, PATH, entry, rawKey, storedValue, rawSetArgs);
	}

	/**
	 * Remove both.
	 * @param connection the connection it was stored with
	 */
	void remove(BenchmarkConnection connection) {
		connection.cache().evict(this.workspace);
		connection.raw().del(this.rawKey);
	}

}
