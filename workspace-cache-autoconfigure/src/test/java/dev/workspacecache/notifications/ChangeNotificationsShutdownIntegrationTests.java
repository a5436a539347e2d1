package dev.workspacecache.notifications;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.workspacecache.WorkspaceChange;
import dev.workspacecache.WorkspaceChangeListener;
import dev.workspacecache.WorkspaceChangeNotifications;
import dev.workspacecache.autoconfigure.WorkspaceCacheAutoConfiguration;
import dev.workspacecache.testsupport.RedisServer;
import dev.workspacecache.valkey.ValkeyWorkspaceChangeNotifications;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configured notifications close with the application context before its
 * connection factory does: the factory, stopped first, used to close the Pub/Sub
 * connection under them, and every shutdown told listeners their subscriptions were lost.
 */
class ChangeNotificationsShutdownIntegrationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DataRedisAutoConfiguration.class, WorkspaceCacheAutoConfiguration.class));

	@Test
	void closingTheContextClosesTheNotificationsBeforeTheirConnectionAndResynchronizesNothing() {
		RedisServer server = RedisServer.shared();
		List<String> resynchronized = new CopyOnWriteArrayList<>();
		WorkspaceChangeNotifications[] closed = new WorkspaceChangeNotifications[1];
		this.contextRunner
			.withPropertyValues("workspace.cache.mode=valkey", "spring.data.redis.host=" + server.host(),
					"spring.data.redis.port=" + server.port())
			.run((context) -> {
				WorkspaceChangeNotifications notifications = context.getBean(WorkspaceChangeNotifications.class);
				assertThat(notifications).isInstanceOf(ValkeyWorkspaceChangeNotifications.class);
				notifications.addListener(new WorkspaceChangeListener() {

					@Override
					public void onWorkspaceChange(WorkspaceChange change) {
					}

					@Override
					public void onResynchronize(String reason) {
						resynchronized.add(reason);
					}

				});
				// Opens the Pub/Sub connection, which a shutdown in the wrong order drops
				// under the notifications.
				notifications.watch(UUID.randomUUID());
				assertThat(((ValkeyWorkspaceChangeNotifications) notifications).isRunning()).isTrue();
				closed[0] = notifications;
			});
		assertThat(((ValkeyWorkspaceChangeNotifications) closed[0]).isRunning()).isFalse();
		// Delivery drains what was queued before close() returns, so a "lost" signal of
		// the shutdown would be here by now.
		assertThat(resynchronized).as("resynchronize signals during the shutdown").isEmpty();
	}

}
