package dev.workspacecache.valkey;

import dev.workspacecache.WriteOutcome;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts behind the writes of {@link ValkeyCache}, each on the one key of a
 * workspace ({@link WorkspaceKeys}), and the read-only {@link #DESCRIBE}. A script runs
 * atomically on the server, so the check of what the key holds and the write that depends
 * on it cannot be split by another client's write or evict. <pre>
 * KEYS[1]    the workspace key
 * ARGV[1]    time-to-live in milliseconds
 * ARGV[2..]  field, value, field, value... (writes)
 * returns    {@link #MISSING}, {@link #PRESENT} or {@link #EVICTED}: what the key held before
 * </pre> Every write refuses to run on an evict marker, then sets its fields and restarts
 * the time-to-live of the whole key with one {@code PEXPIRE}; a touch is a write without
 * fields, which creates nothing when the key is absent.
 */
final class WorkspaceScripts {

	/**
	 * Field-value pairs passed to one HSET: keeps Lua's unpack well under its stack
	 * limit.
	 */
	static final int HSET_CHUNK = 500;

	static final long MISSING = 0;

	static final long PRESENT = 1;

	static final long EVICTED = 2;

	private static final String CHECK = """
			if redis.call('HEXISTS', KEYS[1], 'x') == 1 then
			  return 2
			end
			local found = redis.call('HEXISTS', KEYS[1], 'm')
			""";

	private static final String SET_FIELDS_AND_EXPIRE = """
			for i = 2, #ARGV, %d do
			  redis.call('HSET', KEYS[1], unpack(ARGV, i, math.min(i + %d, #ARGV)))
			end
			redis.call('PEXPIRE', KEYS[1], ARGV[1])
			return found
			""".formatted(HSET_CHUNK * 2, HSET_CHUNK * 2 - 1);

	/**
	 * Set some fields (snapshot, graph, entries) and keep the others; with no fields, a
	 * touch.
	 */
	static final RedisScript<Long> WRITE = RedisScript.of(CHECK + SET_FIELDS_AND_EXPIRE, Long.class);

	/**
	 * Replace the whole workspace ({@code cacheAll}): set the new fields, then delete the
	 * old ones that are not among them. The key never ceases to exist inside the script:
	 * while Redis Cluster migrates its slot, a key deleted by a script is no longer local
	 * to the node, and the script's next write to it would fail half done.
	 */
	static final RedisScript<Long> REPLACE = RedisScript.of(CHECK + """
			local keep = {}
			for i = 2, #ARGV, 2 do
			  keep[ARGV[i]] = true
			end
			local stale = {}
			for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
			  if not keep[field] then
			    stale[#stale + 1] = field
			  end
			end
			for i = 2, #ARGV, %d do
			  redis.call('HSET', KEYS[1], unpack(ARGV, i, math.min(i + %d, #ARGV)))
			end
			for i = 1, #stale, %d do
			  redis.call('HDEL', KEYS[1], unpack(stale, i, math.min(i + %d, #stale)))
			end
			redis.call('PEXPIRE', KEYS[1], ARGV[1])
			return found
			""".formatted(HSET_CHUNK * 2, HSET_CHUNK * 2 - 1, HSET_CHUNK, HSET_CHUNK - 1), Long.class);

	/**
	 * Replace the workspace with its evict marker, which expires after the time-to-live.
	 * {@code UNLINK} keeps the evict constant-time whatever the size of the workspace
	 * (the server frees it in the background). While Redis Cluster migrates the slot, the
	 * write of the marker after it is refused as a write to a no longer local key;
	 * {@link ValkeyCache} then runs the script once more, and the server sends it to the
	 * importing node, which writes the marker there.
	 */
	static final RedisScript<Long> EVICT = RedisScript.of("""
			redis.call('UNLINK', KEYS[1])
			redis.call('HSET', KEYS[1], 'x', '1')
			return redis.call('PEXPIRE', KEYS[1], ARGV[1])
			""", Long.class);

	/**
	 * Describe the workspace without reading a value ({@code describe}): reads the field
	 * names, the size of each value ({@code HSTRLEN}) and the time left ({@code PTTL}),
	 * writes nothing. Replies an empty array when the key is absent or holds the evict
	 * marker, else {@code [snapshot 0|1, graph 0|1, files, bytes, pttl]} ({@code pttl} is
	 * -1 for a key without expiry). Summing on the server keeps the reply five integers
	 * whatever the number of files, and the paths on the server.
	 */
	static final String DESCRIBE = """
			local ttl = redis.call('PTTL', KEYS[1])
			if ttl == -2 or redis.call('HEXISTS', KEYS[1], 'x') == 1 then
			  return {}
			end
			local snapshot, graph, files, bytes = 0, 0, 0, 0
			for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
			  if string.byte(field, 1) == %d then
			    files = files + 1
			  elseif field == 'm' then
			    snapshot = 1
			  elseif field == 'g' then
			    graph = 1
			  end
			  bytes = bytes + redis.call('HSTRLEN', KEYS[1], field)
			end
			return {snapshot, graph, files, bytes, ttl}
			""".formatted(WorkspaceKeys.FILE_TAG);

	private WorkspaceScripts() {
	}

	/**
	 * Return the outcome a write script replied.
	 * @param reply the script's reply
	 * @return the outcome
	 */
	static WriteOutcome outcome(@Nullable Long reply) {
		long code = (reply != null) ? reply : -1;
		if (code == PRESENT) {
			return WriteOutcome.PRESENT;
		}
		if (code == MISSING) {
			return WriteOutcome.MISSING;
		}
		if (code == EVICTED) {
			return WriteOutcome.EVICTED;
		}
		throw new IllegalStateException("A workspace write script replied " + reply);
	}

}
