package dev.workspacecache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.workspacecache.CachedOverlayEntry.Added;
import dev.workspacecache.CachedOverlayEntry.Deleted;
import dev.workspacecache.CachedOverlayEntry.Modified;

import static dev.workspacecache.testsupport.WorkspaceFixtures.added;
import static dev.workspacecache.testsupport.WorkspaceFixtures.allByteValues;
import static dev.workspacecache.testsupport.WorkspaceFixtures.deleted;
import static dev.workspacecache.testsupport.WorkspaceFixtures.entryOfKind;
import static dev.workspacecache.testsupport.WorkspaceFixtures.modified;
import static dev.workspacecache.testsupport.WorkspaceFixtures.randomBytes;
import static dev.workspacecache.testsupport.WorkspaceFixtures.snapshot;
import static dev.workspacecache.testsupport.WorkspaceFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * The {@link WorkspaceCache} contract, for every implementation that stores data with a
 * time-to-live. An implementation's test extends this class and implements
 * {@link #createCache(Duration, long)} and {@link #remainingTtls(WorkspaceCache, UUID)}.
 * <p>
 * Each test gets a fresh {@link #cache} (time-to-live 1 hour, maximum entry size 1 MiB) and a
 * random {@link #id workspace id}. The time-to-live tests take a few seconds in total: they
 * wait for a clock to run down rather than mock it, since the clock of a real store such as
 * Redis cannot be mocked.
 */
public abstract class WorkspaceCacheContractTests {

	/**
	 * Time-to-live of {@link #cache}.
	 */
	protected static final Duration DEFAULT_TTL = Duration.ofHours(1);

	/**
	 * Maximum entry size of {@link #cache}.
	 */
	protected static final long DEFAULT_MAX_ENTRY_SIZE = 1024 * 1024;

	private static final long SMALL_MAX_ENTRY_SIZE = 1024;

	private static final Duration SHORT_TTL = Duration.ofSeconds(10);

	/** How far below {@link #SHORT_TTL} a refreshed time-to-live may already be. */
	private static final Duration REFRESHED_TTL = SHORT_TTL.minusSeconds(1);

	/**
	 * The cache under test, created before each test.
	 */
	protected WorkspaceCache cache;

	/**
	 * A random workspace id, chosen before each test.
	 */
	protected UUID id;

	/**
	 * A fresh cache whose keys are isolated from every other cache this method returned.
	 * @param ttl the time-to-live of every part of a workspace
	 * @param maxEntrySize the largest file content or graph accepted, in bytes
	 * @return a new cache
	 */
	protected abstract WorkspaceCache createCache(Duration ttl, long maxEntrySize);

	/**
	 * The remaining time-to-live of every stored part of the workspace (snapshot, graph,
	 * overlay), one element per part that exists; a part stored without expiry is reported as
	 * {@code Duration.ofMillis(-1)}. Empty when nothing is stored. An implementation that keeps a
	 * single clock for the whole workspace may report one element.
	 * @param cache a cache returned by {@link #createCache(Duration, long)}
	 * @param workspaceId the workspace
	 * @return the remaining time-to-live of each stored part
	 */
	protected abstract List<Duration> remainingTtls(WorkspaceCache cache, UUID workspaceId);

	@BeforeEach
	protected void createDefaultCache() {
		this.cache = createCache(DEFAULT_TTL, DEFAULT_MAX_ENTRY_SIZE);
		this.id = UUID.randomUUID();
	}

	// Scenarios of the original Redis integration tests

	@Test
	void snapshotRoundTrips() {
		WorkspaceSnapshot snapshot = snapshot(this.id);
		this.cache.cacheWorkspace(this.id, snapshot);
		assertThat(this.cache.getWorkspace(this.id)).contains(snapshot);
	}

	@Test
	void cacheWorkspaceReplacesThePreviousSnapshot() {
		this.cache.cacheWorkspace(this.id, snapshot(this.id, "first"));
		WorkspaceSnapshot second = snapshot(this.id, "second");
		this.cache.cacheWorkspace(this.id, second);
		assertThat(this.cache.getWorkspace(this.id)).contains(second);
	}

	@Test
	void fileRoundTrips() {
		this.cache.cacheFile(this.id, "src/lib.rs", modified("fn foo() {}"));
		assertThat(this.cache.getFile(this.id, "src/lib.rs")).contains(modified("fn foo() {}"));
	}

	@Test
	void cacheFileReplacesThePreviousEntryOfThePath() {
		this.cache.cacheFile(this.id, "src/lib.rs", modified("fn foo() {}"));
		this.cache.cacheFile(this.id, "src/lib.rs", deleted());
		assertThat(this.cache.getFile(this.id, "src/lib.rs")).contains(deleted());
		assertThat(this.cache.listFiles(this.id)).containsExactly("src/lib.rs");
	}

	@Test
	void listFilesReturnsEveryCachedPath() {
		this.cache.cacheFile(this.id, "src/main.rs", modified("fn main() {}"));
		this.cache.cacheFile(this.id, "src/lib.rs", added("pub mod x;"));
		this.cache.cacheFile(this.id, "README.md", deleted());
		assertThat(this.cache.listFiles(this.id)).containsExactly("README.md", "src/lib.rs", "src/main.rs");
	}

	@Test
	void graphRoundTrips() {
		this.cache.cacheGraph(this.id, utf8("graph-bytes"));
		assertThat(this.cache.getGraph(this.id)).hasValueSatisfying(
				(graph) -> assertThat(graph).containsExactly(utf8("graph-bytes")));
	}

	@Test
	void cacheGraphReplacesThePreviousGraph() {
		this.cache.cacheGraph(this.id, utf8("first graph"));
		this.cache.cacheGraph(this.id, utf8("second"));
		assertThat(this.cache.getGraph(this.id)).hasValueSatisfying(
				(graph) -> assertThat(graph).containsExactly(utf8("second")));
	}

	@Test
	void evictRemovesEveryPartOfTheWorkspace() {
		writeEveryPart(this.cache, this.id);
		this.cache.evict(this.id);
		assertWorkspaceIsEmpty(this.cache, this.id);
		assertThat(this.cache.getFile(this.id, "src/lib.rs")).isEmpty();
		assertThat(remainingTtls(this.cache, this.id)).as("remaining time-to-live of parts left behind").isEmpty();
	}

	@Test
	void evictOfAnAbsentWorkspaceDoesNothing() {
		this.cache.evict(this.id);
		assertWorkspaceIsEmpty(this.cache, this.id);
	}

	@Test
	void readsOfAnAbsentWorkspaceMiss() {
		assertWorkspaceIsEmpty(this.cache, this.id);
		assertThat(this.cache.getFile(this.id, "src/lib.rs")).isEmpty();
		assertThat(remainingTtls(this.cache, this.id)).isEmpty();
	}

	@Test
	void readsOfAbsentPartsOfAPresentWorkspaceMiss() {
		this.cache.cacheWorkspace(this.id, snapshot(this.id));
		this.cache.cacheFile(this.id, "present.txt", modified("x"));
		assertThat(this.cache.getFile(this.id, "absent.txt")).isEmpty();
		assertThat(this.cache.getGraph(this.id)).isEmpty();
	}

	@Test
	void severalFilesOfOneWorkspaceAreKeptApart() {
		Map<String, CachedOverlayEntry> files = new TreeMap<>();
		for (int i = 0; i < 10; i++) {
			files.put("src/file" + i + ".rs", modified("content " + i));
		}
		files.forEach((path, entry) -> this.cache.cacheFile(this.id, path, entry));
		files.forEach((path, entry) -> assertThat(this.cache.getFile(this.id, path)).as(path).contains(entry));
		assertThat(this.cache.listFiles(this.id)).containsExactlyElementsOf(files.keySet());
	}

	@Test
	void everyKindOfEntryRoundTrips() {
		this.cache.cacheFile(this.id, "modified.rs", modified("changed"));
		this.cache.cacheFile(this.id, "added.rs", added("new"));
		this.cache.cacheFile(this.id, "deleted.rs", deleted());
		assertThat(this.cache.getFile(this.id, "modified.rs")).containsInstanceOf(Modified.class)
			.contains(modified("changed"));
		assertThat(this.cache.getFile(this.id, "added.rs")).containsInstanceOf(Added.class).contains(added("new"));
		assertThat(this.cache.getFile(this.id, "deleted.rs")).containsInstanceOf(Deleted.class).contains(deleted());
	}

	@Test
	void touchOfAPresentWorkspaceKeepsItsData() {
		writeEveryPart(this.cache, this.id);
		WorkspaceState before = stateOf(this.cache, this.id);
		this.cache.touch(this.id);
		assertThat(stateOf(this.cache, this.id)).isEqualTo(before);
	}

	@Test
	void touchOfAnAbsentWorkspaceCreatesNothing() {
		this.cache.touch(this.id);
		assertWorkspaceIsEmpty(this.cache, this.id);
		assertThat(remainingTtls(this.cache, this.id)).isEmpty();
	}

	// Time-to-live

	@ParameterizedTest
	@EnumSource
	void eachWriteStoresItsPartWithTheConfiguredTtl(Write write) {
		write.apply(this.cache, this.id, "first");
		assertTtlsWithin(remainingTtls(this.cache, this.id), DEFAULT_TTL);
	}

	@Test
	void everyStoredPartHasTheConfiguredTtlAfterWrites() {
		writeEveryPart(this.cache, this.id);
		assertTtlsWithin(remainingTtls(this.cache, this.id), DEFAULT_TTL);
	}

	@Test
	void touchRefreshesTheTtlOfEveryPart() {
		WorkspaceCache cache = createCache(SHORT_TTL, DEFAULT_MAX_ENTRY_SIZE);
		writeEveryPart(cache, this.id);
		awaitTtlsBelow(cache, this.id, REFRESHED_TTL);
		cache.touch(this.id);
		assertTtlsRefreshed(remainingTtls(cache, this.id));
	}

	@ParameterizedTest
	@EnumSource
	void writingAnyPartRefreshesTheTtlOfEveryPart(Write write) {
		WorkspaceCache cache = createCache(SHORT_TTL, DEFAULT_MAX_ENTRY_SIZE);
		writeEveryPart(cache, this.id);
		awaitTtlsBelow(cache, this.id, REFRESHED_TTL);
		write.apply(cache, this.id, "again");
		List<Duration> ttls = remainingTtls(cache, this.id);
		assertTtlsRefreshed(ttls);
		Duration spread = Collections.max(ttls).minus(Collections.min(ttls));
		assertThat(spread).as("spread of the remaining time-to-live of the parts %s", ttls)
			.isLessThanOrEqualTo(Duration.ofMillis(100));
	}

	@Test
	void everyPartExpiresTogether() {
		WorkspaceCache cache = createCache(Duration.ofSeconds(1), DEFAULT_MAX_ENTRY_SIZE);
		cache.cacheWorkspace(this.id, snapshot(this.id));
		cache.cacheFiles(this.id, Map.of("a.txt", modified("a"), "b.txt", deleted()));
		cache.cacheGraph(this.id, utf8("graph"));
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> cache.getWorkspace(this.id).isEmpty());
		assertThat(cache.getFiles(this.id)).isEmpty();
		assertThat(cache.listFiles(this.id)).isEmpty();
		assertThat(cache.getGraph(this.id)).isEmpty();
		assertThat(cache.getFile(this.id, "a.txt")).isEmpty();
		assertThat(remainingTtls(cache, this.id)).isEmpty();
	}

	// getFiles and cacheFiles

	@Test
	void hundredEntriesOfMixedKindsRoundTripAsABatch() {
		Map<String, CachedOverlayEntry> files = new LinkedHashMap<>();
		for (int i = 0; i < 100; i++) {
			files.put("dir" + (i % 7) + "/file-" + i + ".txt", entryOfKind(i, "content of file " + i));
		}
		this.cache.cacheFiles(this.id, files);
		assertThat(this.cache.getFiles(this.id)).isEqualTo(files);
		assertThat(this.cache.listFiles(this.id)).containsExactlyElementsOf(new TreeSet<>(files.keySet()));
		files.forEach((path, entry) -> assertThat(this.cache.getFile(this.id, path)).as(path).contains(entry));
	}

	@Test
	void filesAreReturnedInLexicographicOrder() {
		// String order (UTF-16 code units): the last two sort differently by code point or by
		// UTF-8 bytes, so a backend that sorts bytes must sort again.
		List<String> paths = new ArrayList<>(List.of("b", "a", "a/b", "A", "a.b", "ab", "a b", "Z", "é", "z",
				"10", "9", "\uFF21", "\uD83D\uDE00"));
		Collections.shuffle(paths, new Random(42));
		Map<String, CachedOverlayEntry> files = new LinkedHashMap<>();
		paths.forEach((path) -> files.put(path, modified(path)));
		this.cache.cacheFiles(this.id, files);
		List<String> sorted = paths.stream().sorted().collect(Collectors.toList());
		assertThat(this.cache.getFiles(this.id).keySet()).containsExactlyElementsOf(sorted);
		assertThat(this.cache.listFiles(this.id)).containsExactlyElementsOf(sorted);
	}

	@Test
	void getFilesReturnsAnUnmodifiableMap() {
		this.cache.cacheFile(this.id, "a.txt", modified("a"));
		assertUnmodifiable(this.cache.getFiles(this.id));
		assertUnmodifiable(this.cache.getFiles(UUID.randomUUID()));
		assertThat(this.cache.getFiles(this.id)).containsExactly(entry("a.txt", modified("a")));
	}

	@Test
	void cacheFilesWithAnEmptyMapWritesNothing() {
		this.cache.cacheFiles(this.id, Map.of());
		assertWorkspaceIsEmpty(this.cache, this.id);
		assertThat(remainingTtls(this.cache, this.id)).isEmpty();
		writeEveryPart(this.cache, this.id);
		WorkspaceState before = stateOf(this.cache, this.id);
		this.cache.cacheFiles(this.id, Map.of());
		assertThat(stateOf(this.cache, this.id)).isEqualTo(before);
	}

	@Test
	void cacheFilesReplacesGivenPathsAndKeepsOthers() {
		this.cache.cacheFiles(this.id, Map.of("kept.txt", modified("kept"), "replaced.txt", modified("old")));
		this.cache.cacheFiles(this.id, Map.of("replaced.txt", added("new"), "new.txt", deleted()));
		assertThat(this.cache.getFiles(this.id)).containsExactly(entry("kept.txt", modified("kept")),
				entry("new.txt", deleted()), entry("replaced.txt", added("new")));
	}

	@Test
	void getFilesSeesEntriesOfCacheFile() {
		this.cache.cacheFiles(this.id, Map.of("batch.txt", modified("batch")));
		this.cache.cacheFile(this.id, "single.txt", added("single"));
		assertThat(this.cache.getFiles(this.id)).containsExactly(entry("batch.txt", modified("batch")),
				entry("single.txt", added("single")));
	}

	// Binary content

	@Test
	void contentWithEveryByteValueRoundTrips() {
		Modified modified = new Modified(allByteValues(), "all-modified");
		Added added = new Added(allByteValues(), "all-added");
		this.cache.cacheFile(this.id, "modified.bin", modified);
		this.cache.cacheFiles(this.id, Map.of("added.bin", added));
		assertThat(this.cache.getFile(this.id, "modified.bin")).contains(modified);
		assertThat(this.cache.getFile(this.id, "added.bin")).contains(added);
		assertThat(contentOf(this.cache.getFile(this.id, "modified.bin").orElseThrow()))
			.containsExactly(allByteValues());
		assertThat(contentOf(this.cache.getFiles(this.id).get("added.bin"))).containsExactly(allByteValues());
	}

	@Test
	void emptyContentRoundTripsAndIsNotMistakenForDeleted() {
		Modified modified = new Modified(new byte[0], "empty-modified");
		Added added = new Added(new byte[0], "empty-added");
		this.cache.cacheFile(this.id, "modified.txt", modified);
		this.cache.cacheFile(this.id, "added.txt", added);
		assertThat(this.cache.getFile(this.id, "modified.txt")).containsInstanceOf(Modified.class).contains(modified);
		assertThat(this.cache.getFile(this.id, "added.txt")).containsInstanceOf(Added.class).contains(added);
		assertThat(contentOf(this.cache.getFiles(this.id).get("modified.txt"))).isEmpty();
		assertThat(contentOf(this.cache.getFiles(this.id).get("added.txt"))).isEmpty();
	}

	@Test
	void largeRandomContentRoundTrips() {
		byte[] content = randomBytes(512 * 1024, 7);
		Modified modified = new Modified(content, "large");
		this.cache.cacheFile(this.id, "large.bin", modified);
		CachedOverlayEntry read = this.cache.getFile(this.id, "large.bin").orElseThrow();
		assertThat(read).isEqualTo(modified);
		assertThat(contentOf(read)).containsExactly(content);
	}

	@Test
	void emptyGraphRoundTripsAsPresent() {
		this.cache.cacheGraph(this.id, new byte[0]);
		assertThat(this.cache.getGraph(this.id)).hasValueSatisfying((graph) -> assertThat(graph).isEmpty());
	}

	@Test
	void graphWithEveryByteValueRoundTrips() {
		this.cache.cacheGraph(this.id, allByteValues());
		assertThat(this.cache.getGraph(this.id)).hasValueSatisfying(
				(graph) -> assertThat(graph).containsExactly(allByteValues()));
	}

	@Test
	void largeRandomGraphRoundTrips() {
		byte[] graph = randomBytes(512 * 1024, 11);
		this.cache.cacheGraph(this.id, graph);
		assertThat(this.cache.getGraph(this.id)).hasValueSatisfying((read) -> assertThat(read).containsExactly(graph));
	}

	// Odd paths

	static Stream<Named<String>> oddPaths() {
		return Stream.of(Named.of("colon", ":"), Named.of("opening brace", "{"), Named.of("closing brace", "}"),
				Named.of("hash tag", "{abc}"), Named.of("star", "*"), Named.of("glob", "[a-z]?"),
				Named.of("spaces", "a b c"), Named.of("backslash", "back\\slash"),
				Named.of("non-ASCII", "üñíçødé/文件.txt"), Named.of("emoji", "emoji/\uD83D\uDE00\uD83D\uDE80.txt"),
				Named.of("newline", "\n"), Named.of("NUL", "nul\u0000char"), Named.of("key suffix", ":files"),
				Named.of("key name", "files"), Named.of("meta", "meta"), Named.of("graph", "graph"),
				Named.of("1000 chars", "p".repeat(1000)),
				Named.of("MAX_PATH_LENGTH ASCII chars", "q".repeat(WorkspaceCache.MAX_PATH_LENGTH)),
				Named.of("MAX_PATH_LENGTH CJK chars", "文".repeat(WorkspaceCache.MAX_PATH_LENGTH)),
				Named.of("MAX_PATH_LENGTH chars of emoji", "\uD83D\uDE00".repeat(WorkspaceCache.MAX_PATH_LENGTH / 2)));
	}

	@ParameterizedTest
	@MethodSource("oddPaths")
	void oddPathRoundTrips(String path) {
		CachedOverlayEntry entry = modified("content of " + path);
		this.cache.cacheFile(this.id, path, entry);
		assertThat(this.cache.getFile(this.id, path)).contains(entry);
		assertThat(this.cache.listFiles(this.id)).containsExactly(path);
		assertThat(this.cache.getFiles(this.id)).containsExactly(entry(path, entry));
	}

	@Test
	void distinctOddPathsDoNotCollide() {
		Map<String, CachedOverlayEntry> files = new TreeMap<>();
		oddPaths().map(Named::getPayload).forEach((path) -> files.put(path, added("content of " + path)));
		// Near misses of the odd paths, which a careless key encoding could map to the same key.
		List.of("abc", "nul", "nulchar", "files:", "a", "q".repeat(WorkspaceCache.MAX_PATH_LENGTH - 1))
			.forEach((path) -> files.put(path, modified("content of " + path)));
		files.forEach((path, entry) -> this.cache.cacheFile(this.id, path, entry));
		files.forEach((path, entry) -> assertThat(this.cache.getFile(this.id, path)).as(path).contains(entry));
		assertThat(this.cache.listFiles(this.id)).containsExactlyElementsOf(files.keySet());
		assertThat(this.cache.getFiles(this.id)).isEqualTo(files);
	}

	// Isolation

	@Test
	void cachesDoNotSeeEachOthersData() {
		WorkspaceCache other = createCache(DEFAULT_TTL, DEFAULT_MAX_ENTRY_SIZE);
		writeEveryPart(this.cache, this.id);
		assertWorkspaceIsEmpty(other, this.id);
		other.cacheWorkspace(this.id, snapshot(this.id, "other"));
		other.cacheFile(this.id, "other.txt", added("other"));
		other.cacheGraph(this.id, utf8("other graph"));
		WorkspaceState mine = stateOf(this.cache, this.id);
		assertThat(mine.paths()).doesNotContain("other.txt");
		assertThat(stateOf(other, this.id).paths()).containsExactly("other.txt");
		other.evict(this.id);
		assertWorkspaceIsEmpty(other, this.id);
		assertThat(stateOf(this.cache, this.id)).isEqualTo(mine);
	}

	@Test
	void workspacesOfOneCacheDoNotSeeEachOthersData() {
		UUID otherId = UUID.randomUUID();
		writeEveryPart(this.cache, this.id);
		assertWorkspaceIsEmpty(this.cache, otherId);
		this.cache.cacheWorkspace(otherId, snapshot(otherId));
		this.cache.cacheFile(otherId, "other.txt", added("other"));
		this.cache.cacheGraph(otherId, utf8("other graph"));
		WorkspaceState other = stateOf(this.cache, otherId);
		assertThat(other.paths()).containsExactly("other.txt");
		this.cache.evict(this.id);
		assertWorkspaceIsEmpty(this.cache, this.id);
		assertThat(stateOf(this.cache, otherId)).isEqualTo(other);
	}

	// Rejected input

	static Stream<Rejection> rejectedCalls() {
		String tooLong = "x".repeat(WorkspaceCache.MAX_PATH_LENGTH + 1);
		return Stream.of(
				npe("cacheWorkspace(null, snapshot)", "id", (c, id) -> c.cacheWorkspace(null, snapshot(id))),
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
						(c, id) -> c.cacheFiles(id, batchEndingWith(tooLong, modified("bad")))));
	}

	@ParameterizedTest
	@MethodSource("rejectedCalls")
	void rejectedCallChangesNothing(Rejection rejection) {
		writeEveryPart(this.cache, this.id);
		WorkspaceState before = stateOf(this.cache, this.id);
		assertThatThrownBy(() -> rejection.call().accept(this.cache, this.id)).isInstanceOf(rejection.type())
			.hasMessageFindingMatch("\\b" + Pattern.quote(rejection.parameter()) + "\\b");
		assertThat(stateOf(this.cache, this.id)).isEqualTo(before);
	}

	@Test
	void contentOverTheMaximumEntrySizeIsRejected() {
		WorkspaceCache cache = createCache(DEFAULT_TTL, SMALL_MAX_ENTRY_SIZE);
		writeEveryPart(cache, this.id);
		WorkspaceState before = stateOf(cache, this.id);
		byte[] oversized = new byte[(int) SMALL_MAX_ENTRY_SIZE + 1];
		assertThatThrownBy(() -> cache.cacheFile(this.id, "big.bin", new Modified(oversized, "h")))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining(Long.toString(SMALL_MAX_ENTRY_SIZE));
		assertThatThrownBy(() -> cache.cacheFile(this.id, "big.bin", new Added(oversized, "h")))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining(Long.toString(SMALL_MAX_ENTRY_SIZE));
		assertThatThrownBy(() -> cache.cacheFiles(this.id, Map.of("big.bin", new Added(oversized, "h"))))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining(Long.toString(SMALL_MAX_ENTRY_SIZE));
		assertThat(stateOf(cache, this.id)).isEqualTo(before);
	}

	@Test
	void graphOverTheMaximumEntrySizeIsRejected() {
		WorkspaceCache cache = createCache(DEFAULT_TTL, SMALL_MAX_ENTRY_SIZE);
		writeEveryPart(cache, this.id);
		WorkspaceState before = stateOf(cache, this.id);
		assertThatThrownBy(() -> cache.cacheGraph(this.id, new byte[(int) SMALL_MAX_ENTRY_SIZE + 1]))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining(Long.toString(SMALL_MAX_ENTRY_SIZE));
		assertThat(stateOf(cache, this.id)).isEqualTo(before);
	}

	@Test
	void contentAndGraphOfExactlyTheMaximumEntrySizeAreAccepted() {
		WorkspaceCache cache = createCache(DEFAULT_TTL, SMALL_MAX_ENTRY_SIZE);
		byte[] limit = randomBytes((int) SMALL_MAX_ENTRY_SIZE, 3);
		cache.cacheFile(this.id, "modified.bin", new Modified(limit, "m"));
		cache.cacheFiles(this.id, Map.of("added.bin", new Added(limit, "a")));
		cache.cacheGraph(this.id, limit);
		assertThat(cache.getFile(this.id, "modified.bin")).contains(new Modified(limit, "m"));
		assertThat(cache.getFile(this.id, "added.bin")).contains(new Added(limit, "a"));
		assertThat(cache.getGraph(this.id)).hasValueSatisfying((graph) -> assertThat(graph).containsExactly(limit));
	}

	static Stream<Named<CachedOverlayEntryBatch>> batchesWithOneBadEntry() {
		return Stream.of(Named.of("null path", batchEndingWith(null, modified("bad"))),
				Named.of("null entry", batchEndingWith("bad.txt", null)),
				Named.of("empty path", batchEndingWith("", modified("bad"))),
				Named.of("too long path", batchEndingWith("x".repeat(WorkspaceCache.MAX_PATH_LENGTH + 1), modified("bad"))),
				Named.of("unpaired surrogate", batchEndingWith("\uDC00", modified("bad"))),
				Named.of("content over the limit",
						batchEndingWith("big.bin", new Added(new byte[(int) SMALL_MAX_ENTRY_SIZE + 1], "big"))));
	}

	@ParameterizedTest
	@MethodSource("batchesWithOneBadEntry")
	void batchWithOneBadEntryStoresNoneOfIt(CachedOverlayEntryBatch batch) {
		WorkspaceCache cache = createCache(DEFAULT_TTL, SMALL_MAX_ENTRY_SIZE);
		assertThatThrownBy(() -> cache.cacheFiles(this.id, batch)).isInstanceOfAny(NullPointerException.class,
				IllegalArgumentException.class);
		assertWorkspaceIsEmpty(cache, this.id);
		assertThat(remainingTtls(cache, this.id)).isEmpty();
		writeEveryPart(cache, this.id);
		WorkspaceState before = stateOf(cache, this.id);
		assertThatThrownBy(() -> cache.cacheFiles(this.id, batch)).isInstanceOfAny(NullPointerException.class,
				IllegalArgumentException.class);
		assertThat(stateOf(cache, this.id)).isEqualTo(before);
		assertThat(cache.getFile(this.id, "src/lib.rs")).contains(modified("fn foo() {}"));
	}

	// Copies in and out

	@Test
	void changingTheGraphArrayAfterCacheGraphChangesNothing() {
		byte[] graph = utf8("graph");
		this.cache.cacheGraph(this.id, graph);
		graph[0] = 'X';
		assertThat(this.cache.getGraph(this.id)).hasValueSatisfying(
				(read) -> assertThat(read).containsExactly(utf8("graph")));
	}

	@Test
	void changingTheGraphArrayReturnedByGetGraphChangesNothing() {
		this.cache.cacheGraph(this.id, utf8("graph"));
		this.cache.getGraph(this.id).orElseThrow()[0] = 'X';
		assertThat(this.cache.getGraph(this.id)).hasValueSatisfying(
				(read) -> assertThat(read).containsExactly(utf8("graph")));
	}

	@Test
	void changingTheContentArrayAfterCachingChangesNothing() {
		byte[] content = utf8("content");
		Modified entry = new Modified(content, "h");
		this.cache.cacheFile(this.id, "a.txt", entry);
		this.cache.cacheFiles(this.id, Map.of("b.txt", entry));
		content[0] = 'X';
		assertThat(this.cache.getFile(this.id, "a.txt")).contains(new Modified(utf8("content"), "h"));
		assertThat(this.cache.getFile(this.id, "b.txt")).contains(new Modified(utf8("content"), "h"));
	}

	@Test
	void changingReturnedContentChangesNothing() {
		this.cache.cacheFile(this.id, "a.txt", modified("content"));
		contentOf(this.cache.getFile(this.id, "a.txt").orElseThrow())[0] = 'X';
		contentOf(this.cache.getFiles(this.id).get("a.txt"))[0] = 'X';
		assertThat(this.cache.getFile(this.id, "a.txt")).contains(modified("content"));
	}

	@Test
	void changingTheMapAfterCacheFilesChangesNothing() {
		Map<String, CachedOverlayEntry> files = new LinkedHashMap<>(Map.of("a.txt", modified("a")));
		this.cache.cacheFiles(this.id, files);
		files.put("a.txt", deleted());
		files.put("b.txt", deleted());
		assertThat(this.cache.getFiles(this.id)).containsExactly(entry("a.txt", modified("a")));
	}

	// Concurrency

	@Test
	void evictRacingWritersLeavesNoPartialWorkspace() throws Exception {
		int writers = 4;
		int maxIterations = 200;
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		WorkspaceSnapshot snapshot = snapshot(this.id);
		byte[] graph = utf8("raced graph");
		Map<String, CachedOverlayEntry> written = new ConcurrentHashMap<>();
		ExecutorService executor = Executors.newFixedThreadPool(writers + 2);
		try {
			CountDownLatch start = new CountDownLatch(1);
			AtomicBoolean writing = new AtomicBoolean(true);
			AtomicBoolean evicting = new AtomicBoolean(true);
			List<Future<?>> writes = new ArrayList<>();
			for (int t = 0; t < writers; t++) {
				int thread = t;
				writes.add(executor.submit(() -> {
					start.await();
					try {
						for (int i = 0; i < maxIterations && System.nanoTime() - deadline < 0; i++) {
							Map<String, CachedOverlayEntry> batch = batch(thread, i);
							written.putAll(batch);
							this.cache.cacheFiles(this.id, batch);
							// Other parts raced too, so that evict can strand none of them either.
							if (thread == 0) {
								this.cache.cacheWorkspace(this.id, snapshot);
							}
							else if (thread == 1) {
								this.cache.cacheGraph(this.id, graph);
							}
						}
					}
					finally {
						// The first writer done stops the evictions while the others still write:
						// were the last evict after the last write, the end state would be
						// trivially empty.
						evicting.set(false);
					}
					return null;
				}));
			}
			Future<?> evictions = executor.submit(() -> {
				start.await();
				do {
					this.cache.evict(this.id);
				}
				while (evicting.get());
				return null;
			});
			// getFiles reads the overlay at once, so even mid-race it must see whole batches only.
			Future<?> reads = executor.submit(() -> {
				start.await();
				do {
					assertWholeBatches(this.cache.getFiles(this.id), written);
				}
				while (writing.get());
				return null;
			});
			start.countDown();
			try {
				for (Future<?> write : writes) {
					write.get(60, TimeUnit.SECONDS);
				}
			}
			finally {
				writing.set(false);
				evicting.set(false);
			}
			evictions.get(60, TimeUnit.SECONDS);
			reads.get(60, TimeUnit.SECONDS);
		}
		finally {
			executor.shutdownNow();
			executor.awaitTermination(10, TimeUnit.SECONDS);
		}

		Map<String, CachedOverlayEntry> files = this.cache.getFiles(this.id);
		assertWholeBatches(files, written);
		assertThat(this.cache.listFiles(this.id)).containsExactlyElementsOf(new TreeSet<>(files.keySet()));
		this.cache.getWorkspace(this.id).ifPresent((read) -> assertThat(read).isEqualTo(snapshot));
		this.cache.getGraph(this.id).ifPresent((read) -> assertThat(read).containsExactly(graph));
		assertThat(remainingTtls(this.cache, this.id))
			.allSatisfy((ttl) -> assertThat(ttl).as("remaining time-to-live").isPositive());

		this.cache.evict(this.id);
		assertWorkspaceIsEmpty(this.cache, this.id);
		assertThat(remainingTtls(this.cache, this.id)).isEmpty();
	}

	/**
	 * Assert that the overlay holds each batch written by {@link #batch(int, int)} whole or not
	 * at all, with the entries written.
	 */
	private static void assertWholeBatches(Map<String, CachedOverlayEntry> files,
			Map<String, CachedOverlayEntry> written) {
		Map<String, List<String>> pathsByBatch = files.keySet()
			.stream()
			.collect(Collectors.groupingBy((path) -> path.substring(0, path.indexOf('/'))));
		pathsByBatch.forEach((batch, paths) -> assertThat(paths).as("files of %s", batch).hasSize(20));
		files.forEach((path, entry) -> assertThat(entry).as(path).isEqualTo(written.get(path)));
	}

	@Test
	void concurrentWritersOfDifferentPathsAllLand() throws Exception {
		int writers = 8;
		int filesPerWriter = 50;
		Map<String, CachedOverlayEntry> expected = new TreeMap<>();
		ExecutorService executor = Executors.newFixedThreadPool(writers);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> writes = new ArrayList<>();
			for (int t = 0; t < writers; t++) {
				Map<String, CachedOverlayEntry> files = new TreeMap<>();
				for (int i = 0; i < filesPerWriter; i++) {
					files.put("writer-" + t + "/file-" + i, entryOfKind(i, "writer " + t + " file " + i));
				}
				expected.putAll(files);
				writes.add(executor.submit(() -> {
					start.await();
					files.forEach((path, entry) -> this.cache.cacheFile(this.id, path, entry));
					return null;
				}));
			}
			start.countDown();
			for (Future<?> write : writes) {
				write.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
			executor.awaitTermination(10, TimeUnit.SECONDS);
		}
		assertThat(this.cache.listFiles(this.id)).hasSize(writers * filesPerWriter)
			.containsExactlyElementsOf(expected.keySet());
		assertThat(this.cache.getFiles(this.id)).isEqualTo(expected);
	}

	// Helpers

	/**
	 * Write a snapshot, one file ({@code src/lib.rs}) and a graph.
	 */
	private static void writeEveryPart(WorkspaceCache cache, UUID id) {
		cache.cacheWorkspace(id, snapshot(id));
		cache.cacheFile(id, "src/lib.rs", modified("fn foo() {}"));
		cache.cacheGraph(id, utf8("graph"));
	}

	private static void assertWorkspaceIsEmpty(WorkspaceCache cache, UUID id) {
		assertThat(cache.getWorkspace(id)).as("snapshot").isEmpty();
		assertThat(cache.getFiles(id)).as("files").isEmpty();
		assertThat(cache.listFiles(id)).as("paths").isEmpty();
		assertThat(cache.getGraph(id)).as("graph").isEmpty();
	}

	private static void assertTtlsWithin(List<Duration> ttls, Duration ttl) {
		assertThat(ttls).as("remaining time-to-live of the stored parts")
			.isNotEmpty()
			.allSatisfy((remaining) -> assertThat(remaining).isPositive().isLessThanOrEqualTo(ttl));
	}

	private static void assertTtlsRefreshed(List<Duration> ttls) {
		assertThat(ttls).as("remaining time-to-live of the stored parts")
			.isNotEmpty()
			.allSatisfy((remaining) -> assertThat(remaining).isGreaterThan(REFRESHED_TTL)
				.isLessThanOrEqualTo(SHORT_TTL));
	}

	private void awaitTtlsBelow(WorkspaceCache cache, UUID id, Duration limit) {
		await().atMost(SHORT_TTL.minusSeconds(2))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertThat(remainingTtls(cache, id)).isNotEmpty()
				.allSatisfy((remaining) -> assertThat(remaining).isLessThanOrEqualTo(limit)));
	}

	private static void assertUnmodifiable(Map<String, CachedOverlayEntry> files) {
		assertThatThrownBy(() -> files.put("x", deleted())).isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(() -> files.remove("a.txt")).isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(files::clear).isInstanceOf(UnsupportedOperationException.class);
	}

	private static byte[] contentOf(CachedOverlayEntry entry) {
		if (entry instanceof Modified modified) {
			return modified.content();
		}
		if (entry instanceof Added added) {
			return added.content();
		}
		throw new AssertionError("Expected an entry with content but was " + entry);
	}

	private static Map<String, CachedOverlayEntry> batch(int thread, int iteration) {
		Map<String, CachedOverlayEntry> batch = new LinkedHashMap<>();
		for (int k = 0; k < 20; k++) {
			String path = "batch-" + thread + "-" + iteration + "/f" + k;
			batch.put(path, entryOfKind(k, path));
		}
		return batch;
	}

	/**
	 * Return a batch of good entries, one of them replacing {@code src/lib.rs}, followed by the
	 * given, possibly bad, one: a cache that wrote as it validated would have written the good
	 * ones before meeting the bad one.
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

	private static WorkspaceState stateOf(WorkspaceCache cache, UUID id) {
		return new WorkspaceState(cache.getWorkspace(id), new LinkedHashMap<>(cache.getFiles(id)), cache.listFiles(id),
				cache.getGraph(id).map(HexFormat.of()::formatHex));
	}

	/**
	 * Everything a workspace holds, comparable with {@code equals}.
	 */
	private record WorkspaceState(Optional<WorkspaceSnapshot> snapshot, Map<String, CachedOverlayEntry> files,
			List<String> paths, Optional<String> graphHex) {

	}

	/**
	 * A batch of entries in insertion order that accepts {@code null} paths and entries.
	 */
	static final class CachedOverlayEntryBatch extends LinkedHashMap<String, CachedOverlayEntry> {

	}

	/**
	 * A call with a {@code null}, empty or too long argument.
	 */
	record Rejection(String description, Class<? extends RuntimeException> type, String parameter, CacheCall call) {

		@Override
		public String toString() {
			return this.description;
		}

	}

	@FunctionalInterface
	interface CacheCall {

		void accept(WorkspaceCache cache, UUID id);

	}

	/**
	 * Writes to one part of a workspace.
	 */
	enum Write {

		CACHE_WORKSPACE {
			@Override
			void apply(WorkspaceCache cache, UUID id, String value) {
				cache.cacheWorkspace(id, snapshot(id, value));
			}
		},

		CACHE_FILE {
			@Override
			void apply(WorkspaceCache cache, UUID id, String value) {
				cache.cacheFile(id, "single.txt", modified(value));
			}
		},

		CACHE_FILES {
			@Override
			void apply(WorkspaceCache cache, UUID id, String value) {
				cache.cacheFiles(id, Map.of("one.txt", added(value), "two.txt", deleted()));
			}
		},

		CACHE_GRAPH {
			@Override
			void apply(WorkspaceCache cache, UUID id, String value) {
				cache.cacheGraph(id, utf8(value));
			}
		};

		abstract void apply(WorkspaceCache cache, UUID id, String value);

	}

	private static Rejection npe(String description, String parameter, CacheCall call) {
		return new Rejection(description, NullPointerException.class, parameter, call);
	}

	private static Rejection iae(String description, String parameter, CacheCall call) {
		return new Rejection(description, IllegalArgumentException.class, parameter, call);
	}

}
