package dev.workspacecache.notifications;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import dev.workspacecache.testsupport.RedisConnections;
import dev.workspacecache.testsupport.RedisServer;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static dev.workspacecache.WorkspaceFixtures.wholeWorkspace;

/**
 * Change notifications on a standalone server, and what a restart of the server does to
 * them: listeners resynchronize, and the subscriptions come back by themselves.
 */
class ChangeNotificationsStandaloneIntegrationTests extends AbstractChangeNotificationsIntegrationTests {

	private static RedisServer server;

	@BeforeAll
	static void startServer() {
		// A server of its own, to restart.
		server = RedisServer.builder().arg("--enable-debug-command", "yes").start();
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.close();
		}
	}

	@Override
	protected LettuceConnectionFactory connectionFactory() {
		return RedisConnections.connectionFactory(server);
	}

	@Test
	@Order(LAST)
	void aRestartResynchronizesListenersAndTheSubscriptionComesBack() {
		UUID id = UUID.randomUUID();
		this.a.notifications().watch(id);
		this.b.cache().cacheAll(id, wholeWorkspace(id, "before the restart"));
		this.a.heard().await(id, 1);

		long restarting = System.nanoTime();
		server.restartEmpty();
		long restarted = System.nanoTime();
		Resubscription resubscription = Resubscription.awaitRestored(this.a, 0, restarting);
		// The server came back empty: the workspace starts over at version 1, which only
		// a listener that resynchronized can take for news.
		this.b.cache().cacheAll(id, wholeWorkspace(id, "after the restart"));
		resubscription.assertHeardAfterRestore(this.b, id, currentVersion(id));
		System.out.println(resubscription.describe("RESYNC standalone restart (" + server.flavour() + ", restart took "
				+ Duration.ofNanos(restarted - restarting).toMillis() + " ms)"));
	}

}
