package dev.workspacecache.valkey;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.workspacecache.AbstractWorkspaceChangeNotifications;
import dev.workspacecache.WorkspaceChange;
import dev.workspacecache.WorkspaceChangeListener;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * {@link dev.workspacecache.WorkspaceChangeNotifications} over Redis or Valkey sharded
 * Pub/Sub: each workspace has its own channel, {@code <prefix>{<uuid>}:changes}
 * ({@link WorkspaceKeys}), on which the write scripts of {@link ValkeyCache} publish
 * every change with {@code SPUBLISH} ({@link WorkspaceScripts}), and which an instance
 * subscribes to ({@code SSUBSCRIBE}) while it {@link #watch(UUID) watches} the workspace.
 * <p>
 * Why sharded channels, one per workspace: on Redis Cluster a sharded message stays on
 * the shard that owns the workspace's slot and goes only to that channel's subscribers,
 * where a classic {@code PUBLISH} is broadcast to every node over the cluster bus and
 * then to every subscriber of the channel. So an instance hears only about the workspaces
 * it holds, and the cost of a change does not grow with the number of nodes or of pods.
 * Standalone and Sentinel servers (Redis 7.0+, Valkey 7.2+) serve the same commands.
 * <p>
 * Runs on its own Pub/Sub connection from the Lettuce client of the cache's connection
 * factory (so TLS, ACL, Sentinel and Cluster settings are the cache's), opened at the
 * first watch. Lettuce reconnects it, but messages published while it was down are lost,
 * and on Cluster a failover or a slot migration moves a channel to another node without
 * its subscribers. So when the subscription is lost (the connection, or on Cluster one of
 * its node connections, drops; the server unsubscribes a watched channel), listeners are
 * told to {@link WorkspaceChangeListener#onResynchronize(String) resynchronize}, every
 * watched channel is subscribed again (through the current topology, retrying every
 * {@code retryInterval} until it works), and listeners are told once more when that is
 * done: what they revalidate from then on cannot miss a change.
 * <p>
 * In an application context it is a {@link SmartLifecycle} bean of phase {@link #PHASE}:
 * it closes when the context stops, after the web server (which stops in a higher phase)
 * and before the connection factory (Spring Data Redis's Lettuce factory stops in phase
 * 0, and would otherwise close the Pub/Sub connection under it: a shutdown then logged
 * lost subscriptions and a connection already closed).
 */
public class ValkeyWorkspaceChangeNotifications extends AbstractWorkspaceChangeNotifications implements SmartLifecycle {

	/**
	 * The lifecycle phase: one after the default phase of Spring Data Redis's
	 * {@link LettuceConnectionFactory}, so that this stops first.
	 */
	public static final int PHASE = 1;

	private static final Log logger = LogFactory.getLog(ValkeyWorkspaceChangeNotifications.class);

	private final LettuceConnectionFactory connectionFactory;

	private volatile @Nullable AbstractRedisClient client;

	private final WorkspaceKeys keys;

	private final Duration retryInterval;

	private final ScheduledExecutorService resubscriber;

	private final ConnectionStates connectionStates = new ConnectionStates();

	private final AtomicBoolean resubscribeScheduled = new AtomicBoolean();

	private final Object connectionLock = new Object();

	/**
	 * The unsubscribes asked for and not yet confirmed, by workspace: the server's
	 * confirmation of one is no lost subscription, even when the workspace is watched
	 * again by the time it arrives.
	 */
	private final Map<UUID, Integer> unsubscribing = new ConcurrentHashMap<>();

	private volatile @Nullable StatefulRedisPubSubConnection<byte[], byte[]> connection;

	private volatile boolean lost;

	private volatile boolean closed;

	/**
	 * Create notifications over the Lettuce client of a connection factory.
	 * @param connectionFactory the cache's connection factory, started
	 * @param keyPrefix the key prefix of the cache whose changes to hear
	 * @param instanceId the id that marks this instance's changes
	 * @param retryInterval how long to wait before subscribing again after a failure
	 */
	public ValkeyWorkspaceChangeNotifications(LettuceConnectionFactory connectionFactory, String keyPrefix,
			String instanceId, Duration retryInterval) {
		super(instanceId);
		Objects.requireNonNull(connectionFactory, "connectionFactory must not be null");
		Objects.requireNonNull(retryInterval, "retryInterval must not be null");
		if (retryInterval.isNegative() || retryInterval.isZero()) {
			throw new IllegalArgumentException("retryInterval must be positive but was " + retryInterval);
		}
		this.connectionFactory = connectionFactory;
		this.keys = new WorkspaceKeys(Objects.requireNonNull(keyPrefix, "keyPrefix must not be null"));
		this.retryInterval = retryInterval;
		this.resubscriber = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "workspace-cache-resubscribe");
			thread.setDaemon(true);
			return thread;
		});
		warmUpDecoding(instanceId);
	}

	// Decodes one message now, so that the classes decoding needs are loaded before the
	// first change arrives: measured, a fresh pod heard its first changes up to 130 ms
	// late, the time class loading took.
	private static void warmUpDecoding(String instanceId) {
		byte[] body = ChangeMessageCodec.INSTANCE.encodeBody(WorkspaceChange.Kind.FILES, List.of("warm-up"),
				instanceId);
		byte[] message = new byte[body.length + 2];
		message[0] = '1';
		message[1] = ':';
		System.arraycopy(body, 0, message, 2, body.length);
		ChangeMessageCodec.INSTANCE.decode(new UUID(0, 0), message, instanceId);
	}

	@Override
	protected void doWatch(UUID id) {
		try {
			connection().sync().ssubscribe(this.keys.changes(id));
		}
		catch (RuntimeException ex) {
			// The server cannot be reached: the subscription will be made when it can,
			// and
			// a resynchronize signal will follow it, so the caller misses nothing.
			if (logger.isDebugEnabled()) {
				logger.debug("Could not subscribe to the changes of workspace " + id + "; retrying", ex);
			}
			subscriptionLost("subscribing failed: " + CredentialMasking.rootCauseMessage(ex));
		}
	}

	@Override
	protected void doUnwatch(UUID id) {
		StatefulRedisPubSubConnection<byte[], byte[]> current = this.connection;
		if (current != null && current.isOpen()) {
			this.unsubscribing.merge(id, 1, Integer::sum);
			// Not awaited: a change that arrives meanwhile is dropped as unwatched.
			current.async().sunsubscribe(this.keys.changes(id));
		}
	}

	/**
	 * Take note of the server's confirmation of an unsubscribe.
	 * @param id the workspace of the unsubscribed channel
	 * @return whether this instance asked for it
	 */
	private boolean confirmUnsubscribe(UUID id) {
		boolean[] asked = new boolean[1];
		this.unsubscribing.computeIfPresent(id, (key, count) -> {
			asked[0] = true;
			return (count > 1) ? count - 1 : null;
		});
		return asked[0];
	}

	private StatefulRedisPubSubConnection<byte[], byte[]> connection() {
		StatefulRedisPubSubConnection<byte[], byte[]> current = this.connection;
		if (current != null) {
			return current;
		}
		synchronized (this.connectionLock) {
			if (this.connection == null) {
				this.connection = connect();
			}
			return Objects.requireNonNull(this.connection);
		}
	}

	// The client of the factory exists once the factory has started, which may be after
	// this bean was created: it is looked up at the first connection.
	private StatefulRedisPubSubConnection<byte[], byte[]> connect() {
		AbstractRedisClient client = this.client;
		if (client == null) {
			client = this.connectionFactory.getRequiredNativeClient();
			client.addListener(this.connectionStates);
			this.client = client;
		}
		if (client instanceof RedisClusterClient cluster) {
			StatefulRedisClusterPubSubConnection<byte[], byte[]> clustered = cluster
				.connectPubSub(ByteArrayCodec.INSTANCE);
			// Sharded subscriptions live on node connections: their messages must reach
			// the listener of the cluster connection.
			clustered.setNodeMessagePropagation(true);
			clustered.addListener(new Messages());
			return clustered;
		}
		StatefulRedisPubSubConnection<byte[], byte[]> standalone = ((RedisClient) client)
			.connectPubSub(ByteArrayCodec.INSTANCE);
		standalone.addListener(new Messages());
		return standalone;
	}

	private void subscriptionLost(String reason) {
		if (this.closed) {
			return;
		}
		// Confirmations still awaited may never come: one counted from before would
		// take a real unsubscribe by the server for it.
		this.unsubscribing.clear();
		if (!this.lost) {
			this.lost = true;
			logger.info("Workspace change subscriptions lost (" + reason + "): listeners resynchronize");
			resynchronize("subscription lost: " + reason);
		}
		scheduleResubscribe(Duration.ZERO);
	}

	private void scheduleResubscribe(Duration delay) {
		if (this.closed || !this.resubscribeScheduled.compareAndSet(false, true)) {
			return;
		}
		try {
			this.resubscriber.schedule(this::resubscribe, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			this.resubscribeScheduled.set(false);
		}
	}

	// Subscribes every watched channel again, through the current topology, awaiting
	// the server's confirmation: only then can the listeners revalidate without missing
	// a change.
	private void resubscribe() {
		this.resubscribeScheduled.set(false);
		if (this.closed) {
			return;
		}
		Set<UUID> watched = watched();
		try {
			StatefulRedisPubSubConnection<byte[], byte[]> current = connection();
			for (UUID id : watched) {
				current.sync().ssubscribe(this.keys.changes(id));
			}
		}
		catch (RuntimeException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("Subscribing again to " + watched.size() + " workspaces failed; retrying in "
						+ this.retryInterval, ex);
			}
			scheduleResubscribe(this.retryInterval);
			return;
		}
		if (this.lost) {
			this.lost = false;
			logger.info("Workspace change subscriptions restored (" + watched.size()
					+ " workspaces): listeners resynchronize");
			resynchronize("subscription restored");
		}
	}

	/**
	 * Nothing to start: the subscription connection opens at the first watch.
	 */
	@Override
	public void start() {
	}

	/**
	 * Close, as {@link #close()} does: the context is stopping.
	 */
	@Override
	public void stop() {
		close();
	}

	@Override
	public boolean isRunning() {
		return !this.closed;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	protected void doClose() {
		this.closed = true;
		AbstractRedisClient client = this.client;
		if (client != null) {
			client.removeListener(this.connectionStates);
		}
		this.resubscriber.shutdownNow();
		StatefulRedisPubSubConnection<byte[], byte[]> current = this.connection;
		if (current != null) {
			current.close();
		}
	}

	@Override
	public String toString() {
		return "ValkeyWorkspaceChangeNotifications[keyPrefix='" + this.keys.prefix() + "', instanceId="
				+ getInstanceId() + "]";
	}

	/**
	 * Hands what arrives on the change channels to the listeners, off the I/O thread.
	 */
	private final class Messages extends RedisPubSubAdapter<byte[], byte[]> {

		@Override
		public void smessage(byte[] channel, byte[] message) {
			UUID id = ValkeyWorkspaceChangeNotifications.this.keys.workspaceOfChanges(channel);
			if (id == null) {
				return;
			}
			WorkspaceChange change;
			try {
				change = ChangeMessageCodec.INSTANCE.decode(id, message, getInstanceId());
			}
			catch (RuntimeException ex) {
				logger.warn("Ignoring an unreadable change notification for workspace " + id + ": " + ex.getMessage());
				return;
			}
			received(change.workspaceId(), change.kind(), change.paths(), change.version(), change.origin());
		}

		@Override
		public void sunsubscribed(byte[] channel, long count) {
			// The server unsubscribes a channel whose slot this node no longer owns (a
			// slot migration or a failover). The confirmation of an unsubscribe this
			// instance asked for is not that, even when the workspace was watched again
			// (and subscribed again) before it arrived.
			UUID id = ValkeyWorkspaceChangeNotifications.this.keys.workspaceOfChanges(channel);
			if (id != null && !confirmUnsubscribe(id) && isWatchedOrSubscribing(id)) {
				subscriptionLost("the server unsubscribed workspace " + id);
			}
		}

	}

	/**
	 * Notices when the subscription connection, or on Cluster one of its node
	 * connections, drops and comes back.
	 */
	private final class ConnectionStates implements RedisConnectionStateListener {

		@Override
		public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
			if (isSubscriptionConnection(connection)) {
				subscriptionLost("disconnected");
			}
		}

		@Override
		public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
			if (ValkeyWorkspaceChangeNotifications.this.lost && isSubscriptionConnection(connection)) {
				scheduleResubscribe(Duration.ZERO);
			}
		}

		// On Cluster the node connections of the subscription cannot be told apart from
		// other Pub/Sub connections of the client: any of them counts, which at worst
		// resynchronizes listeners once too often.
		private boolean isSubscriptionConnection(RedisChannelHandler<?, ?> connection) {
			StatefulRedisPubSubConnection<byte[], byte[]> current = ValkeyWorkspaceChangeNotifications.this.connection;
			return current != null && (connection == current || (current instanceof StatefulRedisClusterPubSubConnection
					&& connection instanceof StatefulRedisPubSubConnection));
		}

	}

}
