package dev.workspacecache.valkey;

import java.util.List;

import dev.workspacecache.WriteOutcome;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts behind the writes of {@link ValkeyCache}, each on the one key of a
 * workspace ({@link WorkspaceKeys}), and the read-only {@link #DESCRIBE}. A script runs
 * atomically on the server, so the check of what the key holds, the write that depends on
 * it, the new version and the notification of the change cannot be split by another
 * client's write or evict. <pre>
 * KEYS[1]    the workspace key
 * ARGV[1]    time-to-live in milliseconds
 * ARGV[2]    the expected version of a conditional write, '' for an unconditional one
 * ARGV[3]    the notification of the change without its version ({@link ChangeMessageCodec}), '' for none
 * ARGV[4]    the workspace's change channel ('' when there is no notification)
 * ARGV[5..]  field, value, field, value... (writes)
 * returns    {found, version, applied}: found is {@link #MISSING}, {@link #PRESENT} or {@link #EVICTED},
 *            what the key held before; version the version after the call; applied 1 or 0
 * </pre> Every write refuses to run on an evict marker, then, if its version condition
 * holds, sets its fields, advances the version ({@code HINCRBY} of field {@code v}),
 * publishes the change with {@code SPUBLISH} on the workspace's channel and restarts the
 * time-to-live of the whole key with one {@code PEXPIRE}. So a change is announced if and
 * only if it was written, and in the order of the versions. A touch is a write without
 * fields: it creates nothing when the key is absent, and neither advances the version nor
 * announces anything. The channel shares the key's hash tag, so on Redis Cluster the
 * script's {@code SPUBLISH} is in the key's slot, on the node that owns the key. It is
 * passed as an argument, not as a second key: while a slot migrates, a script declaring
 * two keys is refused with {@code TRYAGAIN} until the migration ends, one key is not.
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

	/** Index in ARGV of the first field name. */
	static final int FIRST_FIELD = 5;

	// The version is read with a plain HGET so that a workspace written before versions
	// existed reads as version 0, and a marker written before them as version 1. Numbers
	// are formatted with %d: Lua 5.1 would print a
	// large one in exponent notation.
	private static final String CHECK = """
			local marker = redis.call('HGET', KEYS[1], 'x')
			if marker then
			  return {2, tonumber(marker) or 0, 0}
			end
			local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
			local found = redis.call('HEXISTS', KEYS[1], 'm')
			""";

	private static final String ANNOUNCE = """
			if ARGV[3] ~= '' then
			  redis.call('SPUBLISH', ARGV[4], string.format('%d', v) .. ':' .. ARGV[3])
			end
			""";

	/**
	 * Set some fields (snapshot, graph, entries) and keep the others; with no fields, a
	 * touch. Conditional: applied only at the expected version.
	 */
	static final RedisScript<List> WRITE = ConstantScript.of(CHECK + """
			if ARGV[2] ~= '' and tonumber(ARGV[2]) ~= v then
			  return {found, v, 0}
			end
			if #ARGV >= 5 then
			  for i = 5, #ARGV, %d do
			    redis.call('HSET', KEYS[1], unpack(ARGV, i, math.min(i + %d, #ARGV)))
			  end
			  v = redis.call('HINCRBY', KEYS[1], 'v', 1)
			""".formatted(HSET_CHUNK * 2, HSET_CHUNK * 2 - 1) + ANNOUNCE + """
			end
			redis.call('PEXPIRE', KEYS[1], ARGV[1])
			return {found, v, 1}
			""", List.class);

	/**
	 * Replace the whole workspace ({@code cacheAll}): set the new fields, then delete the
	 * old ones that are not among them. The key never ceases to exist inside the script:
	 * while Redis Cluster migrates its slot, a key deleted by a script is no longer local
	 * to the node, and the script's next write to it would fail half done. Conditional:
	 * applied at the expected version, or, when the workspace was lost (no snapshot), at
	 * any version up to the expected one, and then continued from it.
	 */
	static final RedisScript<List> REPLACE = ConstantScript.of(CHECK + """
			local base = v
			if ARGV[2] ~= '' then
			  local expected = tonumber(ARGV[2])
			  if expected ~= v and not (found == 0 and v <= expected) then
			    return {found, v, 0}
			  end
			  base = math.max(v, expected)
			end
			local keep = {v = true}
			for i = 5, #ARGV, 2 do
			  keep[ARGV[i]] = true
			end
			local stale = {}
			for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
			  if not keep[field] then
			    stale[#stale + 1] = field
			  end
			end
			for i = 5, #ARGV, %d do
			  redis.call('HSET', KEYS[1], unpack(ARGV, i, math.min(i + %d, #ARGV)))
			end
			for i = 1, #stale, %d do
			  redis.call('HDEL', KEYS[1], unpack(stale, i, math.min(i + %d, #stale)))
			end
			v = base + 1
			redis.call('HSET', KEYS[1], 'v', string.format('%%d', v))
			""".formatted(HSET_CHUNK * 2, HSET_CHUNK * 2 - 1, HSET_CHUNK, HSET_CHUNK - 1) + ANNOUNCE + """
			redis.call('PEXPIRE', KEYS[1], ARGV[1])
			return {found, v, 1}
			""", List.class);

	/**
	 * Replace the workspace with its evict marker, which expires after the time-to-live,
	 * holds the workspace's version advanced by one (as the value of its one field, so
	 * that the marker stays one small field) and is announced. {@code UNLINK} keeps the
	 * evict constant-time whatever the size of the workspace (the server frees it in the
	 * background). While Redis Cluster migrates the slot, the write of the marker after
	 * it is refused as a write to a no longer local key; {@link ValkeyCache} then runs
	 * the script once more, and the server sends it to the importing node, which writes
	 * the marker there. The version is read with {@code pcall}: an evict removes a key of
	 * any type.
	 */
	static final RedisScript<Long> EVICT = ConstantScript.of("""
			local v = redis.pcall('HGET', KEYS[1], 'v')
			if type(v) ~= 'string' then
			  v = redis.pcall('HGET', KEYS[1], 'x')
			end
			v = ((type(v) == 'string') and tonumber(v) or 0) + 1
			redis.call('UNLINK', KEYS[1])
			redis.call('HSET', KEYS[1], 'x', string.format('%d', v))
			redis.call('PEXPIRE', KEYS[1], ARGV[1])
			""" + ANNOUNCE + """
			return v
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
			  if field ~= 'v' then
			    bytes = bytes + redis.call('HSTRLEN', KEYS[1], field)
			  end
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
	static WriteOutcome outcome(@Nullable List<?> reply) {
		return outcome(element(reply, 0));
	}

	/**
	 * Return the version a write script replied.
	 * @param reply the script's reply
	 * @return the version
	 */
	static long version(@Nullable List<?> reply) {
		return element(reply, 1);
	}

	/**
	 * Return whether a write script applied its write.
	 * @param reply the script's reply
	 * @return {@code true} when applied
	 */
	static boolean applied(@Nullable List<?> reply) {
		return element(reply, 2) == 1;
	}

	private static long element(@Nullable List<?> reply, int index) {
		if (reply == null || reply.size() != 3 || !(reply.get(index) instanceof Number number)) {
			throw new IllegalStateException("A workspace write script replied " + reply);
		}
		return number.longValue();
	}

	private static WriteOutcome outcome(long code) {
		if (code == PRESENT) {
			return WriteOutcome.PRESENT;
		}
		if (code == MISSING) {
			return WriteOutcome.MISSING;
		}
		if (code == EVICTED) {
			return WriteOutcome.EVICTED;
		}
		throw new IllegalStateException("A workspace write script replied the outcome " + code);
	}

}
