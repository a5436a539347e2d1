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
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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

import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.allByteValues;
import static dev.workspacecache.WorkspaceFixtures.deleted;
import static dev.workspacecache.WorkspaceFixtures.entryOfKind;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.randomBytes;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static dev.workspacecache.WorkspaceFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * The {@link WorkspaceCache} contract, for every implementation that stores data with a
 * time-to-live. An implementation's test extends this class and implements
 * {@link #createCache(Duration, long)} and {@link #remainingTtls(WorkspaceCache, UUID)}.
 * <p>
 * Each test gets a fresh {@link #cache} (time-to-live 1 hour, maximum entry size 1 MiB)
 * and a random {@link #id workspace id}. The time-to-live tests take a few seconds in
 * total: they wait for a clock to run down rather than mock it, since the clock of a real
 * store such as Redis cannot be mocked.
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
	 * overlay), one element per part that exists; a part stored without expiry is
	 * reported as {@code Duration.ofMillis(-1)}. Empty when nothing is stored. An
	 * implementation that keeps a single clock for the whole workspace may report one
	 * element.
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
		assertThat(this.cache.getGraph(this.id))
			.hasValueSatisfying((graph) -> assertThat(graph).containsExactly(utf8("graph-bytes")));
	}

	@Test
	void cacheGraphReplacesThePreviousGraph() {
		this.cache.cacheGraph(this.id, utf8("first graph"));
		this.cache.cacheGraph(this.id, utf8("second"));
		assertThat(this.cache.getGraph(this.id))
			.hasValueSatisfying((graph) -> assertThat(graph).containsExactly(utf8("second")));
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
		// String order (UTF-16 code units): the last two sort differently by code point
		// or by
		// UTF-8 bytes, so a backend that sorts bytes must sort again.
		List<String> paths = new ArrayList<>(
				List.of("b", "a", "a/b", "A", "a.b", "ab", "a b", "Z", "é", "z", "10", "9", "\uFF21", "\uD83D\uDE00"));
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
		assertThat(this.cache.getGraph(this.id))
			.hasValueSatisfying((graph) -> assertThat(graph).containsExactly(allByteValues()));
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
				Named.of("one-letter field name m", "m"), Named.of("one-letter field name g", "g"),
				Named.of("one-letter field name x", "x"), Named.of("one-letter field name f", "f"),
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
		// Near misses of the odd paths, which a careless key encoding could map to the
		// same key.
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
				npe("cacheAll(null, workspace)", "id", (c, id) -> c.cacheAll(null, whole(id, "new"))),
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
		assertThatThrownBy(() -> cache.cacheAll(this.id, wholeWith(this.id, "big.bin", new Added(oversized, "h"))))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("big.bin")
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
		assertThatThrownBy(() -> cache.cacheAll(this.id,
				CachedWorkspace.of(snapshot(this.id), Map.of(), new byte[(int) SMALL_MAX_ENTRY_SIZE + 1])))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("workspace.graph()")
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
				Named.of("too long path",
						batchEndingWith("x".repeat(WorkspaceCache.MAX_PATH_LENGTH + 1), modified("bad"))),
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
		assertThat(this.cache.getGraph(this.id))
			.hasValueSatisfying((read) -> assertThat(read).containsExactly(utf8("graph")));
	}

	@Test
	void changingTheGraphArrayReturnedByGetGraphChangesNothing() {
		this.cache.cacheGraph(this.id, utf8("graph"));
		this.cache.getGraph(this.id).orElseThrow()[0] = 'X';
		assertThat(this.cache.getGraph(this.id))
			.hasValueSatisfying((read) -> assertThat(read).containsExactly(utf8("graph")));
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

	// The whole workspace: recover and cacheAll

	@Test
	void recoverReturnsTheWorkspaceCacheAllWrote() {
		CachedWorkspace workspace = whole(this.id, "whole");
		this.cache.cacheAll(this.id, workspace);
		assertThat(this.cache.recover(this.id)).contains(workspace);
		assertThat(this.cache.getWorkspace(this.id)).contains(workspace.snapshot());
		assertThat(this.cache.getFiles(this.id)).isEqualTo(workspace.files());
		assertThat(this.cache.getGraph(this.id))
			.hasValueSatisfying((graph) -> assertThat(graph).containsExactly(workspace.graph().orElseThrow()));
	}

	@Test
	void recoverSeesPartsWrittenOneAtATime() {
		writeEveryPart(this.cache, this.id);
		this.cache.cacheFile(this.id, "gone.txt", deleted());
		assertThat(this.cache.recover(this.id)).contains(CachedWorkspace.of(snapshot(this.id),
				Map.of("src/lib.rs", modified("fn foo() {}"), "gone.txt", deleted()), utf8("graph")));
	}

	@Test
	void recoverOfAWorkspaceWithoutGraphOrFilesHasNone() {
		this.cache.cacheWorkspace(this.id, snapshot(this.id));
		assertThat(this.cache.recover(this.id)).hasValueSatisfying((workspace) -> {
			assertThat(workspace.snapshot()).isEqualTo(snapshot(this.id));
			assertThat(workspace.files()).isEmpty();
			assertThat(workspace.graph()).isEmpty();
		});
	}

	@Test
	void recoverOfAnAbsentWorkspaceIsEmpty() {
		assertThat(this.cache.recover(this.id)).isEmpty();
	}

	@Test
	void recoverIsEmptyWithoutASnapshotWhileThePartsStayReadable() {
		// The original engine's tests write files and graphs without a snapshot and read
		// them back.
		this.cache.cacheFile(this.id, "src/lib.rs", modified("fn foo() {}"));
		this.cache.cacheGraph(this.id, utf8("graph"));
		assertThat(this.cache.recover(this.id)).isEmpty();
		assertThat(this.cache.getFile(this.id, "src/lib.rs")).contains(modified("fn foo() {}"));
		assertThat(this.cache.getGraph(this.id))
			.hasValueSatisfying((graph) -> assertThat(graph).isEqualTo(utf8("graph")));
	}

	@Test
	void recoveredFilesAreUnmodifiableAndInPathOrder() {
		Map<String, CachedOverlayEntry> files = new LinkedHashMap<>();
		List.of("z.txt", "a/b.txt", "m.txt", "a.txt").forEach((path) -> files.put(path, added(path)));
		this.cache.cacheAll(this.id, CachedWorkspace.of(snapshot(this.id), files, null));
		CachedWorkspace recovered = this.cache.recover(this.id).orElseThrow();
		assertThat(recovered.files().keySet()).containsExactly("a.txt", "a/b.txt", "m.txt", "z.txt");
		assertUnmodifiable(recovered.files());
	}

	@Test
	void cacheAllReplacesEveryPart() {
		writeEveryPart(this.cache, this.id);
		this.cache.cacheFile(this.id, "old.txt", added("old"));
		CachedWorkspace replacement = CachedWorkspace.of(snapshot(this.id, "replaced"),
				Map.of("new.txt", modified("new")), null);
		this.cache.cacheAll(this.id, replacement);
		assertThat(this.cache.recover(this.id)).contains(replacement);
		assertThat(this.cache.listFiles(this.id)).containsExactly("new.txt");
		assertThat(this.cache.getFile(this.id, "old.txt")).isEmpty();
		assertThat(this.cache.getGraph(this.id)).as("graph of the replaced workspace").isEmpty();
	}

	@Test
	void cacheAllOfAThousandFilesRoundTrips() {
		Map<String, CachedOverlayEntry> files = new TreeMap<>();
		for (int i = 0; i < 1000; i++) {
			files.put("src/module-" + (i % 17) + "/file-" + i + ".rs", entryOfKind(i, "content of file " + i));
		}
		CachedWorkspace workspace = CachedWorkspace.of(snapshot(this.id), files, randomBytes(4096, 5));
		assertThat(this.cache.cacheAll(this.id, workspace)).isEqualTo(WriteOutcome.MISSING);
		assertThat(this.cache.recover(this.id)).contains(workspace);
	}

	@Test
	void changingTheGraphArrayAfterCacheAllChangesNothing() {
		byte[] graph = utf8("graph");
		CachedWorkspace workspace = CachedWorkspace.of(snapshot(this.id), Map.of(), graph);
		graph[0] = 'X';
		this.cache.cacheAll(this.id, workspace);
		workspace.graph().orElseThrow()[0] = 'Y';
		assertThat(this.cache.recover(this.id).orElseThrow().graph())
			.hasValueSatisfying((read) -> assertThat(read).isEqualTo(utf8("graph")));
	}

	// What writes report

	@ParameterizedTest
	@EnumSource
	void aWriteReportsMissingUntilTheSnapshotIsCachedThenPresent(Write write) {
		WriteOutcome first = write.apply(this.cache, this.id, "first");
		// cacheWorkspace and cacheAll write the snapshot, so only they make the next
		// write find it.
		assertThat(first).isEqualTo(WriteOutcome.MISSING);
		if (write != Write.CACHE_WORKSPACE && write != Write.CACHE_ALL) {
			assertThat(write.apply(this.cache, this.id, "second")).isEqualTo(WriteOutcome.MISSING);
			this.cache.cacheWorkspace(this.id, snapshot(this.id));
		}
		assertThat(write.apply(this.cache, this.id, "third")).isEqualTo(WriteOutcome.PRESENT);
		assertThat(this.cache.touch(this.id)).isEqualTo(WriteOutcome.PRESENT);
	}

	@Test
	void touchOfAnAbsentWorkspaceReportsMissing() {
		assertThat(this.cache.touch(this.id)).isEqualTo(WriteOutcome.MISSING);
		assertThat(this.cache.cacheFiles(this.id, Map.of())).isEqualTo(WriteOutcome.MISSING);
		assertWorkspaceIsEmpty(this.cache, this.id);
	}

	// An evict is final

	@ParameterizedTest
	@EnumSource
	void aLateWriteAfterAnEvictIsRefusedAndLeavesNothingToRecover(Write write) {
		this.cache.cacheAll(this.id, whole(this.id, "before"));
		this.cache.evict(this.id);
		assertThat(write.apply(this.cache, this.id, "late")).isEqualTo(WriteOutcome.EVICTED);
		assertThat(this.cache.touch(this.id)).isEqualTo(WriteOutcome.EVICTED);
		assertThat(this.cache.cacheFiles(this.id, Map.of())).isEqualTo(WriteOutcome.EVICTED);
		assertThat(this.cache.recover(this.id)).isEmpty();
		assertWorkspaceIsEmpty(this.cache, this.id);
		assertThat(remainingTtls(this.cache, this.id)).as("time-to-live of workspace data").isEmpty();
	}

	@Test
	void anEvictIsRememberedForTheTimeToLiveOnly() {
		WorkspaceCache cache = createCache(Duration.ofSeconds(1), DEFAULT_MAX_ENTRY_SIZE);
		cache.cacheAll(this.id, whole(this.id, "before"));
		cache.evict(this.id);
		assertThat(cache.cacheFile(this.id, "late.txt", added("late"))).isEqualTo(WriteOutcome.EVICTED);
		// The marker holds no data and expires like a workspace: the id is then free
		// again.
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> cache.touch(this.id) == WriteOutcome.MISSING);
		assertThat(cache.cacheAll(this.id, whole(this.id, "after"))).isEqualTo(WriteOutcome.MISSING);
		assertThat(cache.recover(this.id)).contains(whole(this.id, "after"));
	}

	// A loss heals

	@Test
	void aWorkspaceLostByTheStoreIsReportedAndHealsWithCacheAll() {
		// Expiry is one way a store loses a workspace that a pod still holds; restarts,
		// flushes
		// and evictions under memory pressure look the same to the cache's next write.
		WorkspaceCache cache = createCache(Duration.ofSeconds(1), DEFAULT_MAX_ENTRY_SIZE);
		CachedWorkspace held = whole(this.id, "held");
		assertThat(cache.cacheAll(this.id, held)).isEqualTo(WriteOutcome.MISSING);
		assertThat(cache.touch(this.id)).isEqualTo(WriteOutcome.PRESENT);
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> cache.recover(this.id).isEmpty());
		Map<String, CachedOverlayEntry> files = new TreeMap<>(held.files());
		files.put("written-after-the-loss.txt", added("late"));
		assertThat(cache.cacheFile(this.id, "written-after-the-loss.txt", added("late")))
			.isEqualTo(WriteOutcome.MISSING);
		assertThat(cache.recover(this.id)).as("a workspace without its snapshot").isEmpty();
		CachedWorkspace healed = CachedWorkspace.of(held.snapshot(), files, held.graph().orElseThrow());
		assertThat(cache.cacheAll(this.id, healed)).isEqualTo(WriteOutcome.MISSING);
		assertThat(cache.recover(this.id)).contains(healed);
		assertThat(cache.cacheFile(this.id, "next.txt", added("next"))).isEqualTo(WriteOutcome.PRESENT);
	}

	// Concurrency

	@Test
	void evictRacingWritersLeavesNoPartialWorkspaceAndRefusesEveryLaterWrite() throws Exception {
		int writers = 4;
		int maxIterations = 200;
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		WorkspaceSnapshot snapshot = snapshot(this.id);
		byte[] graph = utf8("raced graph");
		Map<String, CachedOverlayEntry> written = new ConcurrentHashMap<>();
		AtomicBoolean evicted = new AtomicBoolean();
		List<String> appliedAfterTheEvict = Collections.synchronizedList(new ArrayList<>());
		ExecutorService executor = Executors.newFixedThreadPool(writers + 2);
		try {
			CountDownLatch start = new CountDownLatch(1);
			CountDownLatch halfway = new CountDownLatch(writers);
			AtomicBoolean writing = new AtomicBoolean(true);
			List<Future<?>> writes = new ArrayList<>();
			for (int t = 0; t < writers; t++) {
				int thread = t;
				writes.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < maxIterations && System.nanoTime() - deadline < 0; i++) {
						if (i == maxIterations / 2) {
							halfway.countDown();
						}
						boolean afterTheEvict = evicted.get();
						Map<String, CachedOverlayEntry> batch = batch(thread, i);
						written.putAll(batch);
						List<WriteOutcome> outcomes = new ArrayList<>();
						outcomes.add(this.cache.cacheFiles(this.id, batch));
						// Other parts raced too, so that evict can strand none of them
						// either.
						if (thread == 0) {
							outcomes.add(this.cache.cacheWorkspace(this.id, snapshot));
						}
						else if (thread == 1) {
							outcomes.add(this.cache.cacheGraph(this.id, graph));
						}
						if (afterTheEvict && outcomes.stream().anyMatch((outcome) -> outcome != WriteOutcome.EVICTED)) {
							appliedAfterTheEvict.add("writer " + thread + " iteration " + i + ": " + outcomes);
						}
					}
					halfway.countDown();
					return null;
				}));
			}
			// The evict lands while every writer is busy, so writes race it on both
			// sides.
			Future<?> eviction = executor.submit(() -> {
				start.await();
				halfway.await();
				this.cache.evict(this.id);
				evicted.set(true);
				return null;
			});
			// getFiles reads the overlay at once, so even mid-race it must see whole
			// batches only.
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
			}
			eviction.get(60, TimeUnit.SECONDS);
			reads.get(60, TimeUnit.SECONDS);
		}
		finally {
			executor.shutdownNow();
			executor.awaitTermination(10, TimeUnit.SECONDS);
		}

		assertThat(evicted).isTrue();
		assertThat(appliedAfterTheEvict).as("writes that started after the evict returned and were applied").isEmpty();
		assertWorkspaceIsEmpty(this.cache, this.id);
		assertThat(this.cache.recover(this.id)).isEmpty();
		assertThat(remainingTtls(this.cache, this.id)).as("time-to-live of workspace data").isEmpty();
	}

	/**
	 * Thousands of rounds, each on a fresh workspace: one thread replaces the whole
	 * workspace ({@code cacheAll}) with successive versions, one writes batches of files
	 * into it, one evicts it in every other round, and one recovers it all along. Every
	 * recovered workspace must be one version whole, plus whole batches, and nothing once
	 * the evict is done.
	 */
	@Test
	void recoverRacingWritersAndEvictNeverSeesAMix() throws Exception {
		int rounds = 2000;
		int threads = 4;
		UUID[] ids = new UUID[rounds];
		for (int round = 0; round < rounds; round++) {
			ids[round] = UUID.randomUUID();
		}
		Map<String, CachedOverlayEntry> batches = new ConcurrentHashMap<>();
		AtomicLong recovered = new AtomicLong();
		CyclicBarrier roundStart = new CyclicBarrier(threads);
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> tasks = new ArrayList<>();
			tasks.add(executor.submit(() -> {
				for (int round = 0; round < rounds; round++) {
					roundStart.await(60, TimeUnit.SECONDS);
					for (int version = 0; version < 3; version++) {
						this.cache.cacheAll(ids[round], version(ids[round], version));
					}
				}
				return null;
			}));
			tasks.add(executor.submit(() -> {
				for (int round = 0; round < rounds; round++) {
					roundStart.await(60, TimeUnit.SECONDS);
					for (int i = 0; i < 2; i++) {
						Map<String, CachedOverlayEntry> batch = batch(round, i);
						batches.putAll(batch);
						this.cache.cacheFiles(ids[round], batch);
					}
				}
				return null;
			}));
			tasks.add(executor.submit(() -> {
				for (int round = 0; round < rounds; round++) {
					roundStart.await(60, TimeUnit.SECONDS);
					if (round % 2 == 1) {
						this.cache.evict(ids[round]);
					}
				}
				return null;
			}));
			tasks.add(executor.submit(() -> {
				for (int round = 0; round < rounds; round++) {
					roundStart.await(60, TimeUnit.SECONDS);
					for (int i = 0; i < 3; i++) {
						Optional<CachedWorkspace> workspace = this.cache.recover(ids[round]);
						workspace.ifPresent((read) -> assertOneVersionAndWholeBatches(read, batches));
						if (workspace.isPresent()) {
							recovered.incrementAndGet();
						}
					}
				}
				return null;
			}));
			for (Future<?> task : tasks) {
				task.get(300, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
			executor.awaitTermination(10, TimeUnit.SECONDS);
		}
		// Evicted rounds stay evicted whatever raced their evict; the others end as some
		// version.
		for (int round = 0; round < rounds; round++) {
			Optional<CachedWorkspace> end = this.cache.recover(ids[round]);
			if (round % 2 == 1) {
				assertThat(end).as("round %d, evicted", round).isEmpty();
			}
			else {
				CachedWorkspace last = version(ids[round], 2);
				assertThat(end).as("round %d", round).hasValueSatisfying((read) -> {
					assertOneVersionAndWholeBatches(read, batches);
					assertThat(read.snapshot()).isEqualTo(last.snapshot());
				});
			}
		}
		assertThat(recovered.get()).as("recoveries that found a workspace mid-race").isPositive();
	}

	/**
	 * A version of a whole workspace for
	 * {@link #recoverRacingWritersAndEvictNeverSeesAMix}: its snapshot, files and graph
	 * all name the version, and its files are a different set per version.
	 */
	private static CachedWorkspace version(UUID id, int version) {
		Map<String, CachedOverlayEntry> files = new TreeMap<>();
		for (int i = 0; i <= version + 2; i++) {
			files.put("version-" + version + "/file-" + i, entryOfKind(i, "version " + version + " file " + i));
		}
		return CachedWorkspace.of(snapshot(id, "version " + version), files, utf8("graph of version " + version));
	}

	private static void assertOneVersionAndWholeBatches(CachedWorkspace read, Map<String, CachedOverlayEntry> batches) {
		String intent = read.snapshot().intent();
		assertThat(intent).startsWith("version ");
		CachedWorkspace expected = version(read.snapshot().sessionId(),
				Integer.parseInt(intent.substring("version ".length())));
		Map<String, CachedOverlayEntry> versionFiles = new TreeMap<>(read.files());
		versionFiles.keySet().removeIf((path) -> path.startsWith("batch-"));
		assertThat(versionFiles).as("files of %s", intent).isEqualTo(expected.files());
		assertThat(read.graph()).as("graph of %s", intent)
			.hasValueSatisfying((graph) -> assertThat(graph).isEqualTo(expected.graph().orElseThrow()));
		Map<String, CachedOverlayEntry> batchFiles = new TreeMap<>(read.files());
		batchFiles.keySet().removeIf((path) -> !path.startsWith("batch-"));
		assertWholeBatches(batchFiles, batches);
	}

	/**
	 * Assert that the overlay holds each batch written by {@link #batch(int, int)} whole
	 * or not at all, with the entries written.
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

	/**
	 * A whole workspace whose snapshot, two files and graph all carry {@code value}.
	 */
	private static CachedWorkspace whole(UUID id, String value) {
		return CachedWorkspace.of(snapshot(id, value),
				Map.of("src/" + value + ".rs", modified(value), "removed-" + value + ".rs", deleted()),
				utf8("graph " + value));
	}

	/**
	 * A whole workspace with a few good files and then the given, possibly bad, one.
	 */
	private static CachedWorkspace wholeWith(UUID id, String path, CachedOverlayEntry entry) {
		Map<String, CachedOverlayEntry> files = new TreeMap<>(whole(id, "with").files());
		files.put(path, entry);
		return CachedWorkspace.of(snapshot(id, "with"), files, null);
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
			.allSatisfy(
					(remaining) -> assertThat(remaining).isGreaterThan(REFRESHED_TTL).isLessThanOrEqualTo(SHORT_TTL));
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
	 * Writes to one part of a workspace, or to all of it.
	 */
	enum Write {

		CACHE_WORKSPACE {
			@Override
			WriteOutcome apply(WorkspaceCache cache, UUID id, String value) {
				return cache.cacheWorkspace(id, snapshot(id, value));
			}
		},

		CACHE_FILE {
			@Override
			WriteOutcome apply(WorkspaceCache cache, UUID id, String value) {
				return cache.cacheFile(id, "single.txt", modified(value));
			}
		},

		CACHE_FILES {
			@Override
			WriteOutcome apply(WorkspaceCache cache, UUID id, String value) {
				return cache.cacheFiles(id, Map.of("one.txt", added(value), "two.txt", deleted()));
			}
		},

		CACHE_GRAPH {
			@Override
			WriteOutcome apply(WorkspaceCache cache, UUID id, String value) {
				return cache.cacheGraph(id, utf8(value));
			}
		},

		CACHE_ALL {
			@Override
			WriteOutcome apply(WorkspaceCache cache, UUID id, String value) {
				return cache.cacheAll(id, whole(id, value));
			}
		};

		abstract WriteOutcome apply(WorkspaceCache cache, UUID id, String value);

	}

	private static Rejection npe(String description, String parameter, CacheCall call) {
		return new Rejection(description, NullPointerException.class, parameter, call);
	}

	private static Rejection iae(String description, String parameter, CacheCall call) {
		return new Rejection(description, IllegalArgumentException.class, parameter, call);
	}

}
