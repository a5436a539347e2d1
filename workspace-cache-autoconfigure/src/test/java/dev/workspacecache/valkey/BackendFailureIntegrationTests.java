package dev.workspacecache.valkey;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.lettuce.core.KillArgs;
import org.junit.jupiter.api.Test;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.WriteOutcome;
import dev.workspacecache.testsupport.RedisInspector;
import dev.workspacecache.testsupport.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What {@link ValkeyCache} does when its server fails: a killed, never reachable or hung
 * server fails every operation with a {@link WorkspaceCacheException} within the command
 * timeout, and the same cache goes on once the server is back.
 */
class BackendFailureIntegrationTests extends AbstractValkeyCacheIntegrationTests {

	@Test
	void everyOperationOnAKilledServerThrowsWorkspaceCacheException() {
		RedisServer server = track(RedisServer.start());
		ValkeyCache doomed = new ValkeyCache(factory(server, COMMAND_TIMEOUT), this.prefix, TTL, MAX_ENTRY_SIZE);
		doomed.cacheWorkspace(this.id, WorkspaceFixtures.snapshot(this.id));
		server.kill();
		for (NamedOperation operation : NamedOperation.all()) {
			operation.assertFailsWithin(FAILURE_DEADLINE, doomed);
		}
	}

	@Test
	void operationOnAServerThatWasNeverReachableThrowsWorkspaceCacheException() {
		RedisServer server = RedisServer.start();
		server.close();
		ValkeyCache unreachable = new ValkeyCache(factory(server, COMMAND_TIMEOUT), this.prefix, TTL, MAX_ENTRY_SIZE);
		new NamedOperation("getWorkspace", WorkspaceCache::getWorkspace).assertFailsWithin(FAILURE_DEADLINE,
				unreachable);
		new NamedOperation("cacheFiles", (c, id) -> c.cacheFiles(id, Map.of("x", WorkspaceFixtures.deleted())))
			.assertFailsWithin(FAILURE_DEADLINE, unreachable);
	}

	@Test
	void hungServerTimesOutAndTheSameCacheRecoversAfterwards() {
		Duration timeout = Duration.ofMillis(500);
		RedisServer server = track(RedisServer.start());
		RedisInspector control = track(new RedisInspector(server));
		ValkeyCache paused = new ValkeyCache(factory(server, timeout), this.prefix, TTL, MAX_ENTRY_SIZE);
		WorkspaceSnapshot snapshot = WorkspaceFixtures.snapshot(this.id);
		paused.cacheWorkspace(this.id, snapshot);
		assertThat(control.sync().clientPause(3_000)).isEqualTo("OK");
		long start = System.nanoTime();
		new NamedOperation("getWorkspace", WorkspaceCache::getWorkspace).assertFailsWithin(Duration.ofMillis(2_000),
				paused);
		new NamedOperation("cacheFile", (c, id) -> c.cacheFile(id, "late.txt", WorkspaceFixtures.added("late")))
			.assertFailsWithin(Duration.ofMillis(2_000), paused);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("both calls failed before the pause ended")
			.isLessThan(Duration.ofMillis(2_500));
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(200))
			.ignoreExceptionsInstanceOf(WorkspaceCacheException.class)
			.until(() -> paused.getWorkspace(this.id).equals(Optional.of(snapshot)));
		paused.cacheFile(this.id, "after.txt", WorkspaceFixtures.added("after"));
		assertThat(paused.getFile(this.id, "after.txt")).contains(WorkspaceFixtures.added("after"));
	}

	@Test
	void connectionsDroppedByTheServerAreReestablished() {
		// RedisServer cannot restart on a chosen port, so a server restart is simulated
		// by the server closing every client connection.
		RedisServer server = track(RedisServer.start());
		RedisInspector control = track(new RedisInspector(server));
		ValkeyCache dropped = new ValkeyCache(factory(server, COMMAND_TIMEOUT), this.prefix, TTL, MAX_ENTRY_SIZE);
		WorkspaceSnapshot snapshot = WorkspaceFixtures.snapshot(this.id);
		dropped.cacheWorkspace(this.id, snapshot);
		assertThat(control.sync().clientKill(KillArgs.Builder.typeNormal().skipme(true))).isPositive();
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptionsInstanceOf(WorkspaceCacheException.class)
			.until(() -> dropped.getWorkspace(this.id).equals(Optional.of(snapshot)));
		assertThat(dropped.touch(this.id)).isEqualTo(WriteOutcome.PRESENT);
		assertThat(control.pttl(key())).isPositive();
	}

}
