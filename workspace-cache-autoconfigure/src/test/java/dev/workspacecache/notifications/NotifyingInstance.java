package dev.workspacecache.notifications;

import java.time.Duration;

import dev.workspacecache.valkey.ValkeyCache;
import dev.workspacecache.valkey.ValkeyWorkspaceChangeNotifications;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * One instance of a service, as a pod runs it: a {@link ValkeyCache} that announces its
 * changes and the {@link ValkeyWorkspaceChangeNotifications} that hear everybody's, over
 * a connection factory of its own, with a listener that records what it hears.
 */
final class NotifyingInstance implements AutoCloseable {

	static final Duration TTL = Duration.ofMinutes(10);

	static final long MAX_ENTRY_SIZE = 1024 * 1024;

	/** Short, so that a test sees subscriptions come back soon after the server does. */
	static final Duration RETRY_INTERVAL = Duration.ofMillis(200);

	private final LettuceConnectionFactory connectionFactory;

	private final ValkeyCache cache;

	private final ValkeyWorkspaceChangeNotifications notifications;

	private final RecordedChanges heard = new RecordedChanges();

	/**
	 * Create an instance.
	 * @param connectionFactory a started connection factory, which the instance owns and
	 * destroys
	 * @param keyPrefix the key prefix every instance of the service shares
	 * @param instanceId the instance's id
	 */
	NotifyingInstance(LettuceConnectionFactory connectionFactory, String keyPrefix, String instanceId) {
		this.connectionFactory = connectionFactory;
		this.cache = new ValkeyCache(connectionFactory, keyPrefix, TTL, MAX_ENTRY_SIZE);
		this.notifications = new ValkeyWorkspaceChangeNotifications(connectionFactory, keyPrefix, instanceId,
				RETRY_INTERVAL);
		this.cache.setChangeNotifications(this.notifications);
		this.notifications.addListener(this.heard);
	}

	ValkeyCache cache() {
		return this.cache;
	}

	ValkeyWorkspaceChangeNotifications notifications() {
		return this.notifications;
	}

	RecordedChanges heard() {
		return this.heard;
	}

	String id() {
		return this.notifications.getInstanceId();
	}

	@Override
	public void close() {
		try {
			this.notifications.close();
		}
		finally {
			this.connectionFactory.destroy();
		}
	}

}
