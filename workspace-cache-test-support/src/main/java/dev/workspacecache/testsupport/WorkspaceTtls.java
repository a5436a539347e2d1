package dev.workspacecache.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;

/**
 * Reads the remaining time-to-live of a workspace stored by
 * {@code dev.workspacecache.valkey.ValkeyCache}, from the key layout as documented (one
 * HASH, {@code <prefix>{<uuid>}:workspace}), for the contract's {@code remainingTtls}.
 */
public final class WorkspaceTtls {

	/**
	 * PTTL of the key, or -2 when it holds no workspace data: absent, or the evict marker
	 * (the field {@code x}) alone. One script, so that what the key holds and its expiry
	 * are read at the same instant. A marker with data beside it is reported, since that
	 * is a bug to see.
	 */
	private static final byte[] SCRIPT = """
			local kind = redis.call('TYPE', KEYS[1])['ok']
			if kind == 'none' then
			  return -2
			end
			if kind == 'hash' and redis.call('HLEN', KEYS[1]) == redis.call('HEXISTS', KEYS[1], 'x') then
			  return -2
			end
			return redis.call('PTTL', KEYS[1])
			""".getBytes(StandardCharsets.UTF_8);

	private WorkspaceTtls() {
	}

	/**
	 * Return the remaining time-to-live of a workspace: one element, the expiry of its
	 * key, when the key holds workspace data; none when the key is absent or holds only
	 * the evict marker.
	 * @param connection a connection allowed to run {@code EVAL} with {@code TYPE},
	 * {@code HLEN}, {@code HEXISTS} and {@code PTTL} on the key
	 * @param keyPrefix the cache's key prefix
	 * @param workspaceId the workspace
	 * @return the remaining time-to-live, {@code -1 ms} for a key without expiry, or
	 * nothing
	 */
	public static List<Duration> remainingTtls(RedisConnection connection, String keyPrefix, UUID workspaceId) {
		byte[] key = (keyPrefix + "{" + workspaceId + "}:workspace").getBytes(StandardCharsets.UTF_8);
		Long millis = connection.scriptingCommands().eval(SCRIPT, ReturnType.INTEGER, 1, key);
		return (millis == null || millis == -2) ? List.of() : List.of(Duration.ofMillis(millis));
	}

}
