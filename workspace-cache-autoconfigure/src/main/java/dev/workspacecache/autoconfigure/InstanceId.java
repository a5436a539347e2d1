package dev.workspacecache.autoconfigure;

import java.util.UUID;

/**
 * The id that marks this instance's changes in notifications: the configured
 * {@code workspace.cache.notifications.instance-id}, else a random UUID per start, so
 * that two pods never share one by accident.
 */
final class InstanceId {

	private InstanceId() {
	}

	static String of(WorkspaceCacheProperties properties) {
		String configured = properties.getNotifications().getInstanceId();
		return (configured != null) ? configured : UUID.randomUUID().toString();
	}

}
