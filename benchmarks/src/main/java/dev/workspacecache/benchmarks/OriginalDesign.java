package dev.workspacecache.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * The original engine's Valkey backend, re-created over raw Lettuce as its notes describe
 * it: the baseline of the recovery, evict and touch scenarios and of the stored-size
 * comparison. <pre>
 * {&lt;uuid&gt;}:meta          STRING  snapshot
 * {&lt;uuid&gt;}:graph         STRING  graph
 * {&lt;uuid&gt;}:file:&lt;path&gt;   STRING  one key per overlay file
 * {&lt;uuid&gt;}:files         SET     the paths
 * </pre>
 * <ul>
 * <li>a file write is a pipeline of {@code SET key value EX ttl}, {@code SADD} of the
 * path and {@code EXPIRE} of the set ({@link #cacheWorkspace} sends that for every file
 * in one batch);</li>
 * <li>{@link #evict} and {@link #touch} read the path set ({@code SMEMBERS}), then in a
 * second round trip send one {@code DEL} / {@code EXPIRE} per file key plus one per other
 * key, pipelined into one write (no MULTI/EXEC wrapper, which would only make the
 * baseline slower);</li>
 * <li>{@link #recover} is what the original engine's API offers to rebuild a workspace:
 * {@code get_workspace}, {@code list_files}, one {@code get_file} per path and
 * {@code get_graph}, sequentially: the N+1 pattern for the overlay, N+3 round trips in
 * all, each value parsed as it arrives.</li>
 * </ul>
 * Values are the bytes our cache stores for the same parts, as read back from the server
 * ({@link ServerView}), so both designs move the same payload. The original engine stored
 * MessagePack; here each value is parsed as the generic CBOR document it is
 * ({@link CBORMapper#readTree}), which costs about what decoding it into entries would,
 * without re-implementing our cache's value format. Decoding is a small part of this
 * baseline's time in any case: the round trips dominate. Pipelines switch auto-flush off,
 * so an instance needs a connection of its own and one thread at a time.
 */
final class OriginalDesign {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final CBORMapper CBOR = CBORMapper.builder().build();

	private final StatefulRedisConnection<byte[], byte[]> connection;

	private final RedisCommands<byte[], byte[]> sync;

	private final RedisAsyncCommands<byte[], byte[]> async;

	private final long ttlSeconds;

	OriginalDesign(StatefulRedisConnection<byte[], byte[]> connection, Duration ttl) {
		this.connection = connection;
		this.sync = connection.sync();
		this.async = connection.async();
		this.ttlSeconds = ttl.toSeconds();
	}

	static byte[] metaKey(UUID id) {
		return Workloads.utf8("{" + id + "}:meta");
	}

	static byte[] graphKey(UUID id) {
		return Workloads.utf8("{" + id + "}:graph");
	}

	static byte[] filesKey(UUID id) {
		return Workloads.utf8("{" + id + "}:files");
	}

	static byte[] fileKey(UUID id, String path) {
		return Workloads.utf8("{" + id + "}:file:" + path);
	}

	/**
	 * Write a whole workspace the way the original writes it, file by file, pipelined in
	 * one batch (set-up only: not timed).
	 */
	void cacheWorkspace(UUID id, byte[] meta, byte[] graph, Map<String, byte[]> files) {
		byte[] filesKey = filesKey(id);
		SetArgs withTtl = SetArgs.Builder.ex(this.ttlSeconds);
		pipeline((commands, futures) -> {
			futures.add(commands.set(metaKey(id), meta, withTtl));
			futures.add(commands.set(graphKey(id), graph, withTtl));
			files.forEach((path, value) -> {
				futures.add(commands.set(fileKey(id, path), value, withTtl));
				futures.add(commands.sadd(filesKey, Workloads.utf8(path)));
				futures.add(commands.expire(filesKey, this.ttlSeconds));
			});
		});
	}

	/** The original {@code list_files}: one SMEMBERS. */
	List<String> listFiles(UUID id) {
		Set<byte[]> members = this.sync.smembers(filesKey(id));
		List<String> paths = new ArrayList<>(members.size());
		for (byte[] member : members) {
			paths.add(new String(member, StandardCharsets.UTF_8));
		}
		return paths;
	}

	/**
	 * One GET, parsed: the original {@code get_workspace}, {@code get_file} or
	 * {@code get_graph}.
	 */
	private JsonNode get(byte[] key) {
		byte[] value = this.sync.get(key);
		return (value != null) ? CBOR.readTree(value) : null;
	}

	/**
	 * Rebuild a workspace as the original engine's API allows: snapshot, list of paths,
	 * one read per path, graph: N+3 sequential round trips.
	 */
	Recovered recover(UUID id) {
		JsonNode meta = get(metaKey(id));
		List<String> paths = listFiles(id);
		Map<String, JsonNode> files = new HashMap<>(paths.size() * 2);
		for (String path : paths) {
			JsonNode entry = get(fileKey(id, path));
			if (entry != null) {
				files.put(path, entry);
			}
		}
		JsonNode graph = get(graphKey(id));
		return new Recovered(meta, files, graph);
	}

	/**
	 * A workspace as {@link #recover} reads it.
	 *
	 * @param meta the parsed snapshot, or {@code null}
	 * @param files the parsed entries by path
	 * @param graph the parsed graph, or {@code null}
	 */
	record Recovered(JsonNode meta, Map<String, JsonNode> files, JsonNode graph) {
	}

	/**
	 * The original evict: read the path set, then delete every key, one command per key.
	 */
	void evict(UUID id) {
		byte[] filesKey = filesKey(id);
		Set<byte[]> paths = this.sync.smembers(filesKey);
		pipeline((commands, futures) -> {
			for (byte[] path : paths) {
				futures.add(commands.del(fileKey(id, new String(path, StandardCharsets.UTF_8))));
			}
			futures.add(commands.del(filesKey));
			futures.add(commands.del(metaKey(id)));
			futures.add(commands.del(graphKey(id)));
		});
	}

	/**
	 * The original touch: read the path set, then re-expire every key, one command per
	 * key.
	 */
	void touch(UUID id) {
		byte[] filesKey = filesKey(id);
		Set<byte[]> paths = this.sync.smembers(filesKey);
		pipeline((commands, futures) -> {
			for (byte[] path : paths) {
				futures.add(commands.expire(fileKey(id, new String(path, StandardCharsets.UTF_8)), this.ttlSeconds));
			}
			futures.add(commands.expire(filesKey, this.ttlSeconds));
			futures.add(commands.expire(metaKey(id), this.ttlSeconds));
			futures.add(commands.expire(graphKey(id), this.ttlSeconds));
		});
	}

	/** Send the queued commands in one write and wait for every reply: one round trip. */
	private void pipeline(Batch batch) {
		List<RedisFuture<?>> futures = new ArrayList<>();
		this.connection.setAutoFlushCommands(false);
		try {
			batch.queue(this.async, futures);
			this.connection.flushCommands();
		}
		finally {
			this.connection.setAutoFlushCommands(true);
		}
		if (!LettuceFutures.awaitAll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS,
				futures.toArray(new RedisFuture<?>[0]))) {
			throw new IllegalStateException("pipeline of " + futures.size() + " commands timed out");
		}
	}

	@FunctionalInterface
	private interface Batch {

		void queue(RedisAsyncCommands<byte[], byte[]> commands, List<RedisFuture<?>> futures);

	}

}
