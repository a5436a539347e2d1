package dev.workspacecache.valkey;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.WriteOutcome;
import dev.workspacecache.testsupport.RedisInspector;
import dev.workspacecache.testsupport.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evict marker of {@link ValkeyCache}: what an evict leaves on the server, how it
 * refuses later writes ({@link WriteOutcome#EVICTED}), and what writes report once the
 * server lost everything, markers included ({@link WriteOutcome#MISSING}).
 */
class EvictMarkerIntegrationTests extends AbstractValkeyCacheIntegrationTests {

	@Test
	void evictLeavesOnlyTheMarkerFieldWithTheTtl() {
		writeEveryPart(this.cache, this.id);
		this.raw.sync().pexpire(bytes(key()), 5_000);
		this.cache.evict(this.id);
		assertThat(this.raw.keys(this.prefix + "*")).containsExactly(key());
		assertThat(this.raw.type(key())).isEqualTo("hash");
		assertThat(this.raw.fields(key())).containsExactly("x");
		// The marker lives for the cache's time-to-live from the evict, whatever the
		// workspace had left.
		assertThat(this.raw.pttl(key())).isGreaterThan(TTL.toMillis() - 60_000).isLessThanOrEqualTo(TTL.toMillis());
		assertThat(this.cache.recover(this.id)).isEmpty();
		assertThat(this.cache.getWorkspace(this.id)).isEmpty();
		assertThat(this.cache.listFiles(this.id)).isEmpty();
		assertThat(this.cache.getFiles(this.id)).isEmpty();
		assertThat(this.cache.getGraph(this.id)).isEmpty();
		assertThat(this.cache.getUnreadableValueCount()).as("the marker is not an unreadable value").isZero();
	}

	@Test
	void evictOfAnAbsentWorkspaceLeavesTheMarkerToo() {
		this.cache.evict(this.id);
		assertThat(this.raw.fields(key())).containsExactly("x");
		assertThat(this.raw.pttl(key())).isGreaterThan(TTL.toMillis() - 60_000).isLessThanOrEqualTo(TTL.toMillis());
		assertThat(this.cache.cacheFile(this.id, "late.txt", WorkspaceFixtures.added("late")))
			.isEqualTo(WriteOutcome.EVICTED);
	}

	static List<Arguments> lateWrites() {
		return List.of(write("cacheFile", (c, id) -> c.cacheFile(id, "late.txt", WorkspaceFixtures.added("late"))),
				write("cacheFiles",
						(c, id) -> c.cacheFiles(id,
								Map.of("late-1.txt", WorkspaceFixtures.added("1"), "late-2.txt",
										WorkspaceFixtures.deleted()))),
				write("cacheFiles (empty)", (c, id) -> c.cacheFiles(id, Map.of())),
				write("cacheGraph", (c, id) -> c.cacheGraph(id, new byte[] { 7 })),
				write("cacheWorkspace", (c, id) -> c.cacheWorkspace(id, WorkspaceFixtures.snapshot(id, "late"))),
				write("cacheAll", (c, id) -> c.cacheAll(id, whole(id, "late"))), write("touch", WorkspaceCache::touch));
	}

	private static Arguments write(String name, Write write) {
		return Arguments.of(Named.of(name, write));
	}

	@ParameterizedTest
	@MethodSource("lateWrites")
	void aWriteAfterAnEvictIsRefusedAndLeavesTheMarkerAlone(Write write) {
		writeEveryPart(this.cache, this.id);
		this.cache.evict(this.id);
		// A marker clearly older than a fresh one: a refused write must not restart its
		// clock.
		this.raw.sync().pexpire(bytes(key()), 300_000);
		assertThat(write.apply(this.cache, this.id)).isEqualTo(WriteOutcome.EVICTED);
		assertThat(this.raw.keys(this.prefix + "*")).containsExactly(key());
		assertThat(this.raw.fields(key())).containsExactly("x");
		assertThat(this.raw.pttl(key())).isPositive().isLessThanOrEqualTo(300_000);
		assertThat(this.cache.recover(this.id)).isEmpty();
		assertThat(this.cache.getWorkspace(this.id)).isEmpty();
		assertThat(this.cache.listFiles(this.id)).isEmpty();
		assertThat(this.cache.getGraph(this.id)).isEmpty();
	}

	@Test
	void afterFlushallWritesAndTouchesReportMissingUntilTheWorkspaceIsWrittenWhole() {
		// A server of its own: FLUSHALL on the shared one would wipe other tests' data.
		RedisServer server = track(RedisServer.start());
		RedisInspector control = track(new RedisInspector(server));
		ValkeyCache flushed = new ValkeyCache(factory(server, COMMAND_TIMEOUT), this.prefix, TTL, MAX_ENTRY_SIZE);
		CachedWorkspace workspace = whole(this.id, "before the flush");
		assertThat(flushed.cacheAll(this.id, workspace)).isEqualTo(WriteOutcome.MISSING);
		assertThat(flushed.touch(this.id)).isEqualTo(WriteOutcome.PRESENT);
		assertThat(flushed.cacheFile(this.id, "b.txt", WorkspaceFixtures.added("b"))).isEqualTo(WriteOutcome.PRESENT);

		assertThat(control.sync().flushall()).isEqualTo("OK");
		assertThat(flushed.touch(this.id)).isEqualTo(WriteOutcome.MISSING);
		assertThat(control.keys("*")).as("keys created by a touch of a lost workspace").isEmpty();
		assertThat(flushed.cacheFile(this.id, "c.txt", WorkspaceFixtures.added("c"))).isEqualTo(WriteOutcome.MISSING);
		// The file was stored, as the contract requires, but without a snapshot nothing
		// is recoverable.
		assertThat(flushed.getFile(this.id, "c.txt")).contains(WorkspaceFixtures.added("c"));
		assertThat(flushed.recover(this.id)).isEmpty();
		assertThat(flushed.touch(this.id)).isEqualTo(WriteOutcome.MISSING);

		// What a pod does on MISSING: write the workspace back whole.
		assertThat(flushed.cacheAll(this.id, workspace)).isEqualTo(WriteOutcome.MISSING);
		assertThat(flushed.touch(this.id)).isEqualTo(WriteOutcome.PRESENT);
		assertThat(flushed.recover(this.id)).contains(workspace);
		assertThat(flushed.getFile(this.id, "c.txt")).as("replaced by cacheAll").isEmpty();
	}

	@FunctionalInterface
	interface Write {

		WriteOutcome apply(WorkspaceCache cache, UUID id);

	}

	private static void writeEveryPart(WorkspaceCache cache, UUID id) {
		cache.cacheWorkspace(id, WorkspaceFixtures.snapshot(id));
		cache.cacheFiles(id, Map.of("a.txt", WorkspaceFixtures.added("a"), "b.txt", WorkspaceFixtures.deleted()));
		cache.cacheGraph(id, new byte[] { 4, 2 });
	}

}
