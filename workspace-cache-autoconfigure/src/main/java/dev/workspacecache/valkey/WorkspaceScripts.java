package dev.workspacecache.valkey;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua script behind every write of {@link ValkeyCache}. Scripts run atomically on the server
 * and, unlike MULTI, Spring Data Redis runs them in Cluster mode too: all keys of a workspace
 * share one hash slot ({@link WorkspaceKeys}).
 * <p>
 * One script writes one part of a workspace (or none, for a touch) and then sets the expiry of
 * all three keys, so a workspace's parts are always written with, and expire at, the same
 * deadline: no part outlives the others and no file is ever stored without an expiry. The
 * deadline is computed once from the server's {@code TIME} and set with {@code PEXPIREAT}:
 * Redis 7.0 reads its clock afresh for each relative {@code PEXPIRE} inside a script, which
 * would leave the three keys a millisecond apart now and then.
 * <pre>
 * KEYS    snapshot key, graph key, overlay key
 * ARGV[1] time-to-live in milliseconds
 * ARGV[2] "meta" | "graph" | "files" | "touch"
 * ARGV[3] the value (meta, graph), or path, entry, path, entry... (files)
 * returns the number of the workspace's keys that exist afterwards
 * </pre>
 */
final class WorkspaceScripts {

	/** Field-value pairs passed to one HSET: keeps Lua's unpack well under its stack limit. */
	static final int HSET_CHUNK = 500;

	static final RedisScript<Long> WRITE_AND_EXPIRE = RedisScript.of("""
			local part = ARGV[2]
			if part == 'meta' then
			  redis.call('SET', KEYS[1], ARGV[3])
			elseif part == 'graph' then
			  redis.call('SET', KEYS[2], ARGV[3])
			elseif part == 'files' then
			  local step = %d
			  for i = 3, #ARGV, step do
			    redis.call('HSET', KEYS[3], unpack(ARGV, i, math.min(i + step - 1, #ARGV)))
			  end
			end
			local now = redis.call('TIME')
			local deadline = string.format('%%.0f', now[1] * 1000 + math.floor(now[2] / 1000) + tonumber(ARGV[1]))
			return redis.call('PEXPIREAT', KEYS[1], deadline) + redis.call('PEXPIREAT', KEYS[2], deadline)
			  + redis.call('PEXPIREAT', KEYS[3], deadline)
			""".formatted(HSET_CHUNK * 2), Long.class);

	static final String META = "meta";

	static final String GRAPH = "graph";

	static final String FILES = "files";

	static final String TOUCH = "touch";

	private WorkspaceScripts() {
	}

}
