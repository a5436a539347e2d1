package dev.workspacecache.autoconfigure;

import dev.workspacecache.WorkspaceCacheResynchronizeEvent;
import dev.workspacecache.WorkspaceChange;
import dev.workspacecache.WorkspaceChangeListener;
import dev.workspacecache.WorkspaceChangeNotifications;
import dev.workspacecache.WorkspaceChangedEvent;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Connects the application to the {@link WorkspaceChangeNotifications} once every
 * singleton exists: registers its {@link WorkspaceChangeListener} beans, in their order,
 * and publishes each change and resynchronize signal as a {@link WorkspaceChangedEvent}
 * or {@link WorkspaceCacheResynchronizeEvent}.
 */
class WorkspaceChangeListeners implements SmartInitializingSingleton {

	private final ObjectProvider<WorkspaceChangeNotifications> notifications;

	private final ApplicationEventPublisher publisher;

	private final ObjectProvider<WorkspaceChangeListener> listeners;

	WorkspaceChangeListeners(ObjectProvider<WorkspaceChangeNotifications> notifications,
			ApplicationEventPublisher publisher, ObjectProvider<WorkspaceChangeListener> listeners) {
		this.notifications = notifications;
		this.publisher = publisher;
		this.listeners = listeners;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.notifications.ifUnique((notifications) -> {
			this.listeners.orderedStream().forEach(notifications::addListener);
			notifications.addListener(new EventPublishingListener(notifications, this.publisher));
		});
	}

	private record EventPublishingListener(WorkspaceChangeNotifications notifications,
			ApplicationEventPublisher publisher) implements WorkspaceChangeListener {

		@Override
		public void onWorkspaceChange(WorkspaceChange change) {
			this.publisher.publishEvent(new WorkspaceChangedEvent(this.notifications, change));
		}

		@Override
		public void onResynchronize(String reason) {
			this.publisher.publishEvent(new WorkspaceCacheResynchronizeEvent(this.notifications, reason));
		}

	}

}
