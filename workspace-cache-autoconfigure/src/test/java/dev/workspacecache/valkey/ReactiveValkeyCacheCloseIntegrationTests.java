package dev.workspacecache.valkey;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.WriteOutcome;
import dev.workspacecache.testsupport.RedisInspector;
import dev.workspacecache.testsupport.RedisServer;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What {@link ReactiveValkeyCache#close()} releases on a real server, counted as the
 * server counts its clients ({@code CLIENT LIST}), and that a closed cache refuses calls
 * rather than hang. A Lettuce factory either gives each reactive connection a native
 * connection of its own, which the cache closes, or shares one native connection, which
 * the factory owns and closes when it is destroyed.
 */
class ReactiveValkeyCacheCloseIntegrationTests extends AbstractValkeyCacheIntegrationTests {

	private static final Duration HANG_GUARD = Duration.ofSeconds(10);

	private RedisServer server;

	private RedisInspector control;

	@BeforeEach
	void startServer() {
		// A server of its own: the count of its clients is this test's alone.
		this.server = track(RedisServer.start());
		this.control = track(new RedisInspector(this.server));
	}

	@Test
	void closingReleasesTheConnectionTheCacheOpenedAndLaterCallsAreRefused() {
		LettuceConnectionFactory factory = dedicatedConnections();
		int before = clients();
		ReactiveValkeyCache reactive = new ReactiveValkeyCache(factory, this.prefix, TTL, MAX_ENTRY_SIZE);
		assertThat(reactive.touch(this.id).block(HANG_GUARD)).isEqualTo(WriteOutcome.MISSING);
		assertThat(clients()).as("clients while the cache is open").isEqualTo(before + 1);
		reactive.close();
		await("the cache's connection to be gone").until(() -> clients() == before);
		assertClosed(reactive);
		reactive.close();
		assertClosed(reactive);
	}

	@Test
	void aCacheClosedBeforeItsFirstCallNeverConnects() {
		LettuceConnectionFactory factory = dedicatedConnections();
		int before = clients();
		ReactiveValkeyCache reactive = new ReactiveValkeyCache(factory, this.prefix, TTL, MAX_ENTRY_SIZE);
		reactive.close();
		assertClosed(reactive);
		assertThat(clients()).isEqualTo(before);
	}

	@Test
	void aCallUnderWayWhenTheCacheClosesEndsWithAnErrorRatherThanWaitForTheServer() throws Exception {
		ReactiveValkeyCache reactive = new ReactiveValkeyCache(dedicatedConnections(), this.prefix, TTL,
				MAX_ENTRY_SIZE);
		reactive.touch(this.id).block(HANG_GUARD);
		// The server holds every command for 5 s: the call is under way when the cache
		// closes.
		assertThat(this.control.sync().clientPause(5_000)).isEqualTo("OK");
		CompletableFuture<WriteOutcome> call = reactive.touch(this.id).toFuture();
		long start = System.nanoTime();
		reactive.close();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.get(2, TimeUnit.SECONDS))
			.withCauseInstanceOf(WorkspaceCacheException.class);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
	}

	@Test
	void overASharedNativeConnectionClosingLeavesTheFactorysConnectionToTheFactory() {
		LettuceConnectionFactory factory = factory(this.server, COMMAND_TIMEOUT);
		assertThat(factory.getShareNativeConnection()).isTrue();
		int before = clients();
		ValkeyCache blocking = new ValkeyCache(factory, this.prefix, TTL, MAX_ENTRY_SIZE);
		ReactiveValkeyCache reactive = ReactiveValkeyCache.of(blocking);
		assertThat(blocking.cacheWorkspace(this.id, WorkspaceFixtures.snapshot(this.id)))
			.isEqualTo(WriteOutcome.MISSING);
		assertThat(reactive.touch(this.id).block(HANG_GUARD)).isEqualTo(WriteOutcome.PRESENT);
		// One native connection for blocking commands, one for reactive ones: both the
		// factory's, shared by every user of it.
		assertThat(clients()).isEqualTo(before + 2);
		reactive.close();
		assertClosed(reactive);
		// Still there for the factory's other users, and still serving them.
		assertThat(blocking.touch(this.id)).isEqualTo(WriteOutcome.PRESENT);
		assertThat(ReactiveValkeyCache.of(blocking).touch(this.id).block(HANG_GUARD)).isEqualTo(WriteOutcome.PRESENT);
		assertThat(clients()).isEqualTo(before + 2);
		factory.destroy();
		await("the factory's connections to be gone").until(() -> clients() == before);
	}

	private LettuceConnectionFactory dedicatedConnections() {
		LettuceConnectionFactory factory = factory(this.server, COMMAND_TIMEOUT);
		factory.setShareNativeConnection(false);
		return factory;
	}

	private void assertClosed(ReactiveValkeyCache reactive) {
		assertThatExceptionOfType(WorkspaceCacheException.class)
			.isThrownBy(() -> reactive.getFile(this.id, "a.txt").block(HANG_GUARD))
			.withMessage(
					"Workspace cache operation 'getFile' failed for workspace " + this.id + ": the cache is closed");
	}

	// Every client of the server, this test's inspector included.
	private int clients() {
		return (int) this.control.sync().clientList().lines().count();
	}

}
