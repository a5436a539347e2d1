package dev.workspacecache.valkey;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/**
 * What {@link ValkeyCache#ping()} learnt of the server behind the cache: which server it
 * is, its version, how the cache reaches it, and how long a {@code PING} took.
 *
 * @param server {@code "valkey"} or {@code "redis"}
 * @param version the server's version ({@code valkey_version} on Valkey,
 * {@code redis_version} on Redis), or {@code "unknown"}
 * @param topology how the cache's connection reaches the server
 * @param latency how long the {@code PING} took, round trip (in a cluster, to every node)
 */
public record ServerPing(String server, String version, Topology topology, Duration latency) {

	private static final String UNKNOWN = "unknown";

	/**
	 * Return what an {@code INFO server} reply says of the server. Valkey reports
	 * {@code valkey_version} and, for compatibility, a {@code redis_version}; Redis only
	 * the latter. A cluster connection prefixes every key with its node's address
	 * ({@code host:port.redis_version}), which is ignored.
	 * @param info the reply
	 * @param topology how the server is reached
	 * @param latency how long the {@code PING} took
	 * @return the result
	 */
	static ServerPing of(Properties info, Topology topology, Duration latency) {
		String valkeyVersion = property(info, "valkey_version");
		if (valkeyVersion != null) {
			return new ServerPing("valkey", valkeyVersion, topology, latency);
		}
		String redisVersion = property(info, "redis_version");
		return new ServerPing("redis", (redisVersion != null) ? redisVersion : UNKNOWN, topology, latency);
	}

	private static @Nullable String property(Properties info, String name) {
		String value = info.getProperty(name);
		if (value != null) {
			return value;
		}
		for (Map.Entry<Object, Object> entry : info.entrySet()) {
			if (entry.getKey().toString().endsWith("." + name)) {
				return entry.getValue().toString();
			}
		}
		return null;
	}

	/**
	 * How the cache's connection reaches the server.
	 */
	public enum Topology {

		/** One server (or a master whose address the application configured). */
		STANDALONE,

		/** The master that Redis Sentinels name. */
		SENTINEL,

		/** A Redis Cluster. */
		CLUSTER;

		@Override
		public String toString() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
