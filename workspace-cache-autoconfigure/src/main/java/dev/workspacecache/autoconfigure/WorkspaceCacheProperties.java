package dev.workspacecache.autoconfigure;

import java.time.Duration;

import dev.workspacecache.valkey.ContentCompression;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of the workspace cache, under {@code workspace.cache}.
 */
@ConfigurationProperties(WorkspaceCacheProperties.PREFIX)
public class WorkspaceCacheProperties {

	/**
	 * The prefix of the workspace cache's properties.
	 */
	public static final String PREFIX = "workspace.cache";

	/**
	 * The property that selects the cache: decide on it with
	 * {@link ConditionalOnWorkspaceCacheMode @ConditionalOnWorkspaceCacheMode}, which
	 * binds it as the library does, rather than by comparing its text.
	 */
	public static final String MODE_PROPERTY = PREFIX + ".mode";

	/**
	 * Which cache backs the WorkspaceCache bean: 'noop' stores nothing (one pod, local
	 * development), 'valkey' shares workspaces between pods through Valkey or Redis over
	 * the application's Redis connection ('spring.data.redis.*'), 'memory' keeps them in
	 * this JVM with the same expiry semantics (tests, one pod).
	 */
	private Mode mode = Mode.NOOP;

	/**
	 * How long a workspace stays cached after its last write or touch. Every part of a
	 * workspace expires at the same time. Used by the 'valkey' and 'memory' modes.
	 */
	private Duration ttl = Duration.ofHours(1);

	/**
	 * Prefix of every key the 'valkey' cache writes, so that several applications or
	 * environments can share one server. Must not contain '{' or '}': the cache uses
	 * braces for the Redis Cluster hash tag.
	 */
	private String keyPrefix = "workspace-cache:";

	/**
	 * Largest file content or session graph the cache accepts; larger writes are rejected
	 * with an IllegalArgumentException before anything is stored.
	 */
	private DataSize maxEntrySize = DataSize.ofMegabytes(16);

	/**
	 * How the 'valkey' cache stores file content: 'none' stores it raw; 'zstd' compresses
	 * content of at least compression-threshold with Zstandard, when that saves space
	 * (needs com.github.luben:zstd-jni, which the starter brings). Every pod reads raw
	 * and compressed content whatever its own setting.
	 */
	private ContentCompression.Algorithm compression = ContentCompression.Algorithm.NONE;

	/**
	 * Smallest file content the 'valkey' cache compresses when compression is on; shorter
	 * content is stored raw.
	 */
	private DataSize compressionThreshold = DataSize.ofBytes(512);

	/**
	 * How the 'valkey' cache behaves while its server is unavailable.
	 */
	private final FailFast failFast = new FailFast();

	private final Notifications notifications = new Notifications();

	public Mode getMode() {
		return this.mode;
	}

	public void setMode(Mode mode) {
		this.mode = mode;
	}

	public Duration getTtl() {
		return this.ttl;
	}

	public void setTtl(Duration ttl) {
		if (ttl.toMillis() < 1) {
			throw new IllegalArgumentException("must be at least 1ms, was " + ttl);
		}
		this.ttl = ttl;
	}

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(String keyPrefix) {
		if (keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
			throw new IllegalArgumentException("must not contain '{' or '}', was '" + keyPrefix + "'");
		}
		this.keyPrefix = keyPrefix;
	}

	public DataSize getMaxEntrySize() {
		return this.maxEntrySize;
	}

	public void setMaxEntrySize(DataSize maxEntrySize) {
		if (maxEntrySize.toBytes() <= 0) {
			throw new IllegalArgumentException("must be positive, was " + maxEntrySize);
		}
		this.maxEntrySize = maxEntrySize;
	}

	public ContentCompression.Algorithm getCompression() {
		return this.compression;
	}

	public void setCompression(ContentCompression.Algorithm compression) {
		this.compression = compression;
	}

	public DataSize getCompressionThreshold() {
		return this.compressionThreshold;
	}

	public void setCompressionThreshold(DataSize compressionThreshold) {
		if (compressionThreshold.toBytes() < 0) {
			throw new IllegalArgumentException("must not be negative, was " + compressionThreshold);
		}
		this.compressionThreshold = compressionThreshold;
	}

	public FailFast getFailFast() {
		return this.failFast;
	}

	public Notifications getNotifications() {
		return this.notifications;
	}

	/**
	 * Change notifications: every write, cacheAll and evict is announced to the instances
	 * that watch the workspace.
	 */
	public static class Notifications {

		/**
		 * Whether changes are announced and heard. In 'valkey' mode each write script
		 * also publishes the change on the workspace's sharded Pub/Sub channel (SPUBLISH,
		 * Redis 7.0+ or Valkey 7.2+) and each instance subscribes to the workspaces it
		 * watches; in 'memory' mode delivery is in-process.
		 */
		private boolean enabled = true;

		/**
		 * Id that marks this instance's changes as its own. A random UUID per start when
		 * not set.
		 */
		private @Nullable String instanceId;

		/**
		 * How long to wait before subscribing again after a subscription failed (server
		 * down, failover in progress).
		 */
		private Duration retryInterval = Duration.ofMillis(250);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getInstanceId() {
			return this.instanceId;
		}

		public void setInstanceId(@Nullable String instanceId) {
			if (instanceId != null && instanceId.isBlank()) {
				throw new IllegalArgumentException("must not be blank");
			}
			this.instanceId = instanceId;
		}

		public Duration getRetryInterval() {
			return this.retryInterval;
		}

		public void setRetryInterval(Duration retryInterval) {
			if (retryInterval.toMillis() < 1) {
				throw new IllegalArgumentException("must be at least 1ms, was " + retryInterval);
			}
			this.retryInterval = retryInterval;
		}

	}

	/**
	 * Fail-fast settings of the 'valkey' cache, blocking and reactive: one circuit for
	 * both.
	 */
	public static class FailFast {

		/**
		 * Whether calls, blocking and reactive, fail at once, with a
		 * WorkspaceCacheUnavailableException, while the server is known to be
		 * unavailable, instead of each waiting out the command timeout. Needs
		 * Resilience4j's circuit breaker on the classpath, and for reactive calls its
		 * Reactor module (the starter brings both).
		 */
		private boolean enabled = true;

		/**
		 * How many calls in a row, blocking or reactive, must fail to reach the server
		 * (refused, disconnected, timed out) before calls fail fast. 1 detects an outage
		 * within one command timeout whatever the load.
		 */
		private int consecutiveFailures = 1;

		/**
		 * How long the background probe waits between two PINGs while the server is
		 * unavailable. The cache serves again at most this long (plus one reconnect)
		 * after the server is back.
		 */
		private Duration probeInterval = Duration.ofMillis(250);

		/**
		 * Whether the Lettuce client Spring Boot auto-configures rejects commands at once
		 * while it is disconnected (ClientOptions.DisconnectedBehavior.REJECT_COMMANDS),
		 * rather than queueing each one until its timeout. Applies to every user of that
		 * client.
		 */
		private boolean rejectCommandsWhileDisconnected = true;

		/**
		 * Longest wait between two reconnect attempts of the Lettuce client Spring Boot
		 * auto-configures (Lettuce's own default grows to 30s). Applies to every user of
		 * that client.
		 */
		private Duration maxReconnectDelay = Duration.ofMillis(500);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getConsecutiveFailures() {
			return this.consecutiveFailures;
		}

		public void setConsecutiveFailures(int consecutiveFailures) {
			if (consecutiveFailures < 1) {
				throw new IllegalArgumentException("must be at least 1, was " + consecutiveFailures);
			}
			this.consecutiveFailures = consecutiveFailures;
		}

		public Duration getProbeInterval() {
			return this.probeInterval;
		}

		public void setProbeInterval(Duration probeInterval) {
			if (probeInterval.toMillis() < 1) {
				throw new IllegalArgumentException("must be at least 1ms, was " + probeInterval);
			}
			this.probeInterval = probeInterval;
		}

		public boolean isRejectCommandsWhileDisconnected() {
			return this.rejectCommandsWhileDisconnected;
		}

		public void setRejectCommandsWhileDisconnected(boolean rejectCommandsWhileDisconnected) {
			this.rejectCommandsWhileDisconnected = rejectCommandsWhileDisconnected;
		}

		public Duration getMaxReconnectDelay() {
			return this.maxReconnectDelay;
		}

		public void setMaxReconnectDelay(Duration maxReconnectDelay) {
			if (maxReconnectDelay.toMillis() < 1) {
				throw new IllegalArgumentException("must be at least 1ms, was " + maxReconnectDelay);
			}
			this.maxReconnectDelay = maxReconnectDelay;
		}

	}

	/**
	 * The kinds of cache {@code workspace.cache.mode} selects.
	 */
	public enum Mode {

		/** Store nothing: writes are discarded, reads miss. */
		NOOP,

		/** Share workspaces between pods through Valkey or Redis. */
		VALKEY,

		/** Keep workspaces in this JVM, with expiry; not shared between pods. */
		MEMORY;

		/**
		 * Return the mode an environment selects, bound from {@value #MODE_PROPERTY} as
		 * the library binds it (so {@code valkey}, {@code VALKEY} and {@code Val_Key} are
		 * all {@link #VALKEY}), {@link #NOOP} when unset.
		 * @param environment the environment
		 * @return the mode
		 * @throws org.springframework.boot.context.properties.bind.BindException if the
		 * value is not a mode
		 */
		public static Mode of(Environment environment) {
			BindResult<Mode> mode = Binder.get(environment).bind(MODE_PROPERTY, Mode.class);
			return mode.isBound() ? mode.get() : NOOP;
		}

	}

}
