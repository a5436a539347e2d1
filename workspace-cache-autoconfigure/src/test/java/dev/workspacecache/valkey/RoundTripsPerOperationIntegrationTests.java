package dev.workspacecache.valkey;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.WriteOutcome;
import dev.workspacecache.testsupport.RedisInspector;
import dev.workspacecache.testsupport.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands each operation of {@link ValkeyCache} sends, counted by the server: one
 * command or one script call, whatever the number of files.
 */
class RoundTripsPerOperationIntegrationTests extends AbstractValkeyCacheIntegrationTests {

	@Test
	void evictTouchGetFilesAndCacheFilesAreOneCommandEachWhateverTheNumberOfFiles() {
		try (RedisServer server = RedisServer.start(); RedisInspector stats = new RedisInspector(server)) {
			ValkeyCache counted = new ValkeyCache(factory(server, COMMAND_TIMEOUT), "stats:", TTL, MAX_ENTRY_SIZE);
			// Warm up: connects and loads the three scripts (write, replace, evict), so
			// that later calls are EVALSHA hits.
			UUID warmUp = UUID.randomUUID();
			counted.cacheWorkspace(warmUp, WorkspaceFixtures.snapshot(warmUp));
			counted.cacheAll(warmUp, whole(warmUp, "warm up"));
			counted.evict(warmUp);
			String key = "stats:{" + this.id + "}:workspace";
			Map<String, CachedOverlayEntry> files = new LinkedHashMap<>();
			for (int i = 0; i < 1_000; i++) {
				files.put("dir/file-" + i + ".txt", WorkspaceFixtures.entryOfKind(i, "content " + i));
			}

			// Commands called by a script are counted too: they show that each script
			// works on the one key (the version and existence checks, then HSETs of 500
			// fields each, the version's HINCRBY, then one PEXPIRE). No change is
			// announced
			// here: this cache has no notifications.
			stats.sync().configResetstat();
			counted.cacheFiles(this.id, files);
			assertThat(stats.scriptCalls()).as("script calls of cacheFiles").isEqualTo(1);
			assertThat(stats.dataCommandCalls()).as("commands of cacheFiles")
				.containsOnlyKeys("evalsha", "hget", "hexists", "hset", "hincrby", "pexpire")
				.containsEntry("hincrby", 1L)
				.containsEntry("pexpire", 1L);
			assertThat(stats.keys("stats:{" + this.id + "}*")).containsExactly(key);
			assertThat(stats.sync().hlen(bytes(key))).as("the files and the version").isEqualTo(1_001);
			assertThat(stats.pttl(key)).as("TTL of the workspace").isPositive().isLessThanOrEqualTo(TTL.toMillis());

			counted.cacheWorkspace(this.id, WorkspaceFixtures.snapshot(this.id));
			counted.cacheGraph(this.id, new byte[] { 1 });
			assertThat(stats.keys("stats:{" + this.id + "}*")).containsExactly(key);
			assertThat(stats.sync().hlen(bytes(key))).isEqualTo(1_003);
			assertThat(stats.pttl(key)).isPositive();

			stats.sync().configResetstat();
			assertThat(counted.getFiles(this.id)).hasSize(1_000);
			assertThat(stats.dataCommandCalls()).as("commands of getFiles").containsExactly(Map.entry("hgetall", 1L));

			stats.sync().configResetstat();
			assertThat(counted.recover(this.id)).hasValueSatisfying((w) -> assertThat(w.files()).hasSize(1_000));
			assertThat(stats.dataCommandCalls()).as("commands of recover").containsExactly(Map.entry("hgetall", 1L));

			stats.sync().configResetstat();
			assertThat(counted.touch(this.id)).isEqualTo(WriteOutcome.PRESENT);
			assertThat(stats.scriptCalls()).as("script calls of touch").isEqualTo(1);
			assertThat(stats.dataCommandCalls()).as("commands of touch")
				.containsOnlyKeys("evalsha", "hget", "hexists", "pexpire")
				.containsEntry("pexpire", 1L);

			stats.sync().configResetstat();
			assertThat(counted.cacheAll(this.id, CachedWorkspace.of(WorkspaceFixtures.snapshot(this.id), files, null)))
				.isEqualTo(WriteOutcome.PRESENT);
			assertThat(stats.scriptCalls()).as("script calls of cacheAll").isEqualTo(1);
			assertThat(stats.dataCommandCalls()).as("commands of cacheAll")
				.containsOnlyKeys("evalsha", "hget", "hexists", "hkeys", "hset", "hdel", "pexpire")
				.containsEntry("hkeys", 1L)
				.containsEntry("hdel", 1L)
				.containsEntry("pexpire", 1L);
			assertThat(stats.keys("stats:{" + this.id + "}*")).containsExactly(key);
			assertThat(stats.sync().hlen(bytes(key))).as("fields after cacheAll: no graph left").isEqualTo(1_002);

			stats.sync().configResetstat();
			counted.evict(this.id);
			assertThat(stats.dataCommandCalls()).as("commands of evict")
				.containsOnly(Map.entry("evalsha", 1L), Map.entry("hget", 1L), Map.entry("unlink", 1L),
						Map.entry("hset", 1L), Map.entry("pexpire", 1L));
			assertThat(stats.keys("stats:{" + this.id + "}*")).containsExactly(key);
			assertThat(stats.fields(key)).containsExactly("x");
		}
	}

}
