package dev.workspacecache.valkey;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedOverlayEntry.Added;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.WriteOutcome;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several {@link ValkeyCache} instances on one server, as several pods are: a key prefix
 * of their own isolates them, one prefix shares every workspace between them.
 */
class InstancesOnOneServerIntegrationTests extends AbstractValkeyCacheIntegrationTests {

	@Test
	void cachesWithDifferentPrefixesOnOneServerAreIsolated() {
		ValkeyCache other = new ValkeyCache(factory(shared, COMMAND_TIMEOUT), this.prefix + "other:", TTL,
				MAX_ENTRY_SIZE);
		this.cache.cacheWorkspace(this.id, WorkspaceFixtures.snapshot(this.id));
		this.cache.cacheFile(this.id, "a", WorkspaceFixtures.added("a"));
		this.cache.cacheGraph(this.id, new byte[] { 1 });
		assertThat(other.getWorkspace(this.id)).isEmpty();
		assertThat(other.getFile(this.id, "a")).isEmpty();
		assertThat(other.listFiles(this.id)).isEmpty();
		assertThat(other.getGraph(this.id)).isEmpty();
		other.cacheWorkspace(this.id, WorkspaceFixtures.snapshot(this.id, "other intent"));
		other.evict(this.id);
		assertThat(this.cache.getWorkspace(this.id)).map(WorkspaceSnapshot::intent).contains("fix the bug");
		assertThat(this.cache.listFiles(this.id)).containsExactly("a");
		assertThat(this.cache.getGraph(this.id)).hasValueSatisfying((g) -> assertThat(g).containsExactly(1));
	}

	@Test
	void twoInstancesWithOnePrefixOverSeparateConnectionsShareState() {
		ValkeyCache podA = this.cache;
		ValkeyCache podB = new ValkeyCache(factory(shared, COMMAND_TIMEOUT), this.prefix, TTL, MAX_ENTRY_SIZE);
		WorkspaceSnapshot snapshot = WorkspaceFixtures.snapshot(this.id, "shared ✓");
		Map<String, CachedOverlayEntry> files = new LinkedHashMap<>();
		files.put("b/modified.txt", WorkspaceFixtures.modified("modified"));
		files.put("a/added.bin", new Added(WorkspaceFixtures.allByteValues(), "h"));
		files.put("c/deleted", WorkspaceFixtures.deleted());
		byte[] graph = WorkspaceFixtures.randomBytes(4096, 7);
		assertThat(podA.cacheWorkspace(this.id, snapshot)).isEqualTo(WriteOutcome.MISSING);
		assertThat(podA.cacheFiles(this.id, files)).isEqualTo(WriteOutcome.PRESENT);
		assertThat(podA.cacheGraph(this.id, graph)).isEqualTo(WriteOutcome.PRESENT);

		assertThat(podB.getWorkspace(this.id)).contains(snapshot);
		assertThat(podB.getFiles(this.id)).isEqualTo(files);
		assertThat(podB.listFiles(this.id)).containsExactly("a/added.bin", "b/modified.txt", "c/deleted");
		assertThat(podB.getFile(this.id, "a/added.bin")).contains(files.get("a/added.bin"));
		assertThat(podB.getGraph(this.id)).hasValueSatisfying((g) -> assertThat(g).isEqualTo(graph));
		assertThat(podB.recover(this.id)).contains(CachedWorkspace.of(snapshot, files, graph));

		// A touch by pod A restarts the clock that pod B's data runs on.
		this.raw.sync().pexpire(bytes(key()), 5_000);
		assertThat(podA.touch(this.id)).isEqualTo(WriteOutcome.PRESENT);
		assertThat(this.raw.pttl(key())).isGreaterThan(TTL.toMillis() - 60_000);
		assertThat(podB.getWorkspace(this.id)).contains(snapshot);

		// An evict by pod B is final for pod A too: its late write is refused.
		podB.evict(this.id);
		assertThat(podA.getWorkspace(this.id)).isEmpty();
		assertThat(podA.getFiles(this.id)).isEmpty();
		assertThat(podA.getGraph(this.id)).isEmpty();
		assertThat(podA.recover(this.id)).isEmpty();
		assertThat(podA.cacheFile(this.id, "late.txt", WorkspaceFixtures.added("late")))
			.isEqualTo(WriteOutcome.EVICTED);
		assertThat(this.raw.keys(this.prefix + "*")).containsExactly(key());
		assertThat(this.raw.fields(key())).containsExactly("x");
	}

}
