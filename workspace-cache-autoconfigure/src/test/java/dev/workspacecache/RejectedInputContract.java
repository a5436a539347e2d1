package dev.workspacecache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.workspacecache.CachedOverlayEntry.Added;
import dev.workspacecache.CachedOverlayEntry.Modified;

import static dev.workspacecache.WorkspaceAssertions.assertWorkspaceIsEmpty;
import static dev.workspacecache.WorkspaceFixtures.entryOfKind;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.randomBytes;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static dev.workspacecache.WorkspaceFixtures.utf8;
import static dev.workspacecache.WorkspaceFixtures.wholeWorkspace;
import static dev.workspacecache.WorkspaceFixtures.writeEveryPart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Input the contract rejects: {@code null} arguments, empty, too long or malformed paths,
 * and content or graphs over the maximum entry size. A rejected call throws, names the
 * offending parameter and changes nothing, not even the part of a batch that came before
 * the bad entry; content and graphs of exactly the maximum size are accepted.
 */
interface RejectedInputContract extends WorkspaceCacheContract {

	/**
	 * Maximum entry size of the caches that test the limit.
	 */
	long SMALL_MAX_ENTRY_SIZE = 1024;

	static Stream<Rejection> rejectedCalls() {
		String tooLong = "x".repeat(WorkspaceCache.MAX_PATH_LENGTH + 1);
		return Stream.of(npe("cacheWorkspace(null, snapshot)", "id", (c, id) -> c.cacheWorkspace(null, snapshot(id))),
				npe("cacheWorkspace(id, null)", "snapshot", (c, id) -> c.cacheWorkspace(id, null)),
				npe("getWorkspace(null)", "id", (c, id) -> c.getWorkspace(null)),
				npe("cacheFile(null, ...)", "workspaceId", (c, id) -> c.cacheFile(null, "new.txt", modified("x"))),
				npe("cacheFile(id, null, entry)", "path", (c, id) -> c.cacheFile(id, null, modified("x"))),
				npe("cacheFile(id, path, null)", "entry", (c, id) -> c.cacheFile(id, "new.txt", null)),
				npe("getFile(null, path)", "workspaceId", (c, id) -> c.getFile(null, "a.txt")),
				npe("getFile(id, null)", "path", (c, id) -> c.getFile(id, null)),
				npe("listFiles(null)", "workspaceId", (c, id) -> c.listFiles(null)),
				npe("cacheGraph(null, data)", "workspaceId", (c, id) -> c.cacheGraph(null, utf8("new graph"))),
				npe("cacheGraph(id, null)", "graphData", (c, id) -> c.cacheGraph(id, null)),
				npe("getGraph(null)", "workspaceId", (c, id) -> c.getGraph(null)),
				npe("evict(null)", "id", (c, id) -> c.evict(null)), npe("touch(null)", "id", (c, id) -> c.touch(null)),
				npe("getFiles(null)", "workspaceId", (c, id) -> c.getFiles(null)),
				npe("cacheFiles(null, entries)", "workspaceId",
						(c, id) -> c.cacheFiles(null, Map.of("new.txt", modified("x")))),
				npe("cacheFiles(id, null)", "entries", (c, id) -> c.cacheFiles(id, null)),
				npe("cacheFiles with a null key", "entries",
						(c, id) -> c.cacheFiles(id, batchEndingWith(null, modified("bad")))),
				npe("cacheFiles with a null entry", "entries",
						(c, id) -> c.cacheFiles(id, batchEndingWith("bad.txt", null))),
				iae("cacheFile with an empty path", "path", (c, id) -> c.cacheFile(id, "", modified("x"))),
				iae("cacheFile with a too long path", "path", (c, id) -> c.cacheFile(id, tooLong, modified("x"))),
				iae("cacheFile with an unpaired surrogate", "path",
						(c, id) -> c.cacheFile(id, "lone\uD800.txt", modified("x"))),
				iae("getFile with an empty path", "path", (c, id) -> c.getFile(id, "")),
				iae("getFile with a too long path", "path", (c, id) -> c.getFile(id, tooLong)),
				iae("cacheFiles with an empty path", "entries",
						(c, id) -> c.cacheFiles(id, batchEndingWith("", modified("bad")))),
				iae("cacheFiles with a too long path", "entries",
						(c, id) -> c.cacheFiles(id, batchEndingWith(tooLong, modified("bad")))),
				npe("recover(null)", "id", (c, id) -> c.recover(null)),
				npe("cacheAll(null, workspace)", "id", (c, id) -> c.cacheAll(null, wholeWorkspace(id, "new"))),
				npe("cacheAll(id, null)", "workspace", (c, id) -> c.cacheAll(id, null)),
				iae("cacheAll with an empty path", "workspace",
						(c, id) -> c.cacheAll(id, wholeWith(id, "", modified("bad")))),
				iae("cacheAll with a too long path", "workspace",
						(c, id) -> c.cacheAll(id, wholeWith(id, tooLong, modified("bad")))),
				iae("cacheAll with an unpaired surrogate", "workspace",
						(c, id) -> c.cacheAll(id, wholeWith(id, "lone\uDBFF", modified("bad")))));
	}

	@ParameterizedTest
	@MethodSource("rejectedCalls")
	default void rejectedCallChangesNothing(Rejection rejection) {
		writeEveryPart(cache(), workspaceId());
		WorkspaceState before = WorkspaceState.of(cache(), workspaceId());
		assertThatThrownBy(() -> rejection.call().accept(cache(), workspaceId())).isInstanceOf(rejection.type())
			.hasMessageFindingMatch("\\b" + Pattern.quote(rejection.parameter()) + "\\b");
		assertThat(WorkspaceState.of(cache(), workspaceId())).isEqualTo(before);
	}

	@Test
	default void contentOverTheMaximumEntrySizeIsRejected() {
		WorkspaceCache cache = createCache(DEFAULT_TTL, SMALL_MAX_ENTRY_SIZE);
		writeEveryPart(cache, workspaceId());
		WorkspaceState before = WorkspaceState.of(cache, workspaceId());
		byte[] oversized = new byte[(int) SMALL_MAX_ENTRY_SIZE + 1];
		assertRejectedOverTheLimit(() -> cache.cacheFile(workspaceId(), "big.bin", new Modified(oversized, "h")));
		assertRejectedOverTheLimit(() -> cache.cacheFile(workspaceId(), "big.bin", new Added(oversized, "h")));
		assertRejectedOverTheLimit(() -> cache.cacheFiles(workspaceId(), Map.of("big.bin", new Added(oversized, "h"))));
		assertRejectedOverTheLimit(
				() -> cache.cacheAll(workspaceId(), wholeWith(workspaceId(), "big.bin", new Added(oversized, "h"))))
			.hasMessageContaining("big.bin");
		assertThat(WorkspaceState.of(cache, workspaceId())).isEqualTo(before);
	}

	@Test
	default void graphOverTheMaximumEntrySizeIsRejected() {
		WorkspaceCache cache = createCache(DEFAULT_TTL, SMALL_MAX_ENTRY_SIZE);
		writeEveryPart(cache, workspaceId());
		WorkspaceState before = WorkspaceState.of(cache, workspaceId());
		assertRejectedOverTheLimit(() -> cache.cacheGraph(workspaceId(), new byte[(int) SMALL_MAX_ENTRY_SIZE + 1]));
		assertRejectedOverTheLimit(() -> cache.cacheAll(workspaceId(),
				CachedWorkspace.of(snapshot(workspaceId()), Map.of(), new byte[(int) SMALL_MAX_ENTRY_SIZE + 1])))
			.hasMessageContaining("workspace.graph()");
		assertThat(WorkspaceState.of(cache, workspaceId())).isEqualTo(before);
	}

	@Test
	default void contentAndGraphOfExactlyTheMaximumEntrySizeAreAccepted() {
		WorkspaceCache cache = createCache(DEFAULT_TTL, SMALL_MAX_ENTRY_SIZE);
		byte[] limit = randomBytes((int) SMALL_MAX_ENTRY_SIZE, 3);
		cache.cacheFile(workspaceId(), "modified.bin", new Modified(limit, "m"));
		cache.cacheFiles(workspaceId(), Map.of("added.bin", new Added(limit, "a")));
		cache.cacheGraph(workspaceId(), limit);
		assertThat(cache.getFile(workspaceId(), "modified.bin")).contains(new Modified(limit, "m"));
		assertThat(cache.getFile(workspaceId(), "added.bin")).contains(new Added(limit, "a"));
		assertThat(cache.getGraph(workspaceId()))
			.hasValueSatisfying((graph) -> assertThat(graph).containsExactly(limit));
	}

	static Stream<Named<CachedOverlayEntryBatch>> batchesWithOneBadEntry() {
		return Stream.of(Named.of("null path", batchEndingWith(null, modified("bad"))),
				Named.of("null entry", batchEndingWith("bad.txt", null)),
				Named.of("empty path", batchEndingWith("", modified("bad"))),
				Named.of("too long path",
						batchEndingWith("x".repeat(WorkspaceCache.MAX_PATH_LENGTH + 1), modified("bad"))),
				Named.of("unpaired surrogate", batchEndingWith("\uDC00", modified("bad"))),
				Named.of("content over the limit",
						batchEndingWith("big.bin", new Added(new byte[(int) SMALL_MAX_ENTRY_SIZE + 1], "big"))));
	}

	@ParameterizedTest
	@MethodSource("batchesWithOneBadEntry")
	default void batchWithOneBadEntryStoresNoneOfIt(CachedOverlayEntryBatch batch) {
		WorkspaceCache cache = createCache(DEFAULT_TTL, SMALL_MAX_ENTRY_SIZE);
		assertThatThrownBy(() -> cache.cacheFiles(workspaceId(), batch)).isInstanceOfAny(NullPointerException.class,
				IllegalArgumentException.class);
		assertWorkspaceIsEmpty(cache, workspaceId());
		assertThat(remainingTtls(cache, workspaceId())).isEmpty();
		writeEveryPart(cache, workspaceId());
		WorkspaceState before = WorkspaceState.of(cache, workspaceId());
		assertThatThrownBy(() -> cache.cacheFiles(workspaceId(), batch)).isInstanceOfAny(NullPointerException.class,
				IllegalArgumentException.class);
		assertThat(WorkspaceState.of(cache, workspaceId())).isEqualTo(before);
		assertThat(cache.getFile(workspaceId(), "src/lib.rs")).contains(modified("fn foo() {}"));
	}

	/**
	 * Assert that the call is rejected for exceeding {@link #SMALL_MAX_ENTRY_SIZE}, which
	 * the message names.
	 */
	private static AbstractThrowableAssert<?, ? extends Throwable> assertRejectedOverTheLimit(ThrowingCallable call) {
		return assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining(Long.toString(SMALL_MAX_ENTRY_SIZE));
	}

	/**
	 * A whole workspace with a few good files and then the given, possibly bad, one.
	 */
	private static CachedWorkspace wholeWith(UUID id, String path, CachedOverlayEntry entry) {
		Map<String, CachedOverlayEntry> files = new TreeMap<>(wholeWorkspace(id, "with").files());
		files.put(path, entry);
		return CachedWorkspace.of(snapshot(id, "with"), files, null);
	}

	/**
	 * Return a batch of good entries, one of them replacing {@code src/lib.rs}, followed
	 * by the given, possibly bad, one: a cache that wrote as it validated would have
	 * written the good ones before meeting the bad one.
	 */
	private static CachedOverlayEntryBatch batchEndingWith(String path, CachedOverlayEntry entry) {
		CachedOverlayEntryBatch batch = new CachedOverlayEntryBatch();
		batch.put("src/lib.rs", modified("replaced"));
		for (int i = 0; i < 5; i++) {
			batch.put("good-" + i + ".txt", entryOfKind(i, "good " + i));
		}
		batch.put(path, entry);
		return batch;
	}

	/**
	 * A batch of entries in insertion order that accepts {@code null} paths and entries.
	 */
	final class CachedOverlayEntryBatch extends LinkedHashMap<String, CachedOverlayEntry> {

	}

	/**
	 * A call with a {@code null} or malformed argument, the exception it must throw and
	 * the parameter that exception must name.
	 */
	record Rejection(String description, Class<? extends RuntimeException> type, String parameter, CacheCall call) {

		@Override
		public String toString() {
			return this.description;
		}

	}

	/**
	 * A call of the cache under test for one workspace.
	 */
	@FunctionalInterface
	interface CacheCall {

		void accept(WorkspaceCache cache, UUID id);

	}

	private static Rejection npe(String description, String parameter, CacheCall call) {
		return new Rejection(description, NullPointerException.class, parameter, call);
	}

	private static Rejection iae(String description, String parameter, CacheCall call) {
		return new Rejection(description, IllegalArgumentException.class, parameter, call);
	}

}
