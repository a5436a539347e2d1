package dev.workspacecache.valkey;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.cbor.CBORMapper;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedOverlayEntry.Added;
import dev.workspacecache.CachedOverlayEntry.Deleted;
import dev.workspacecache.CachedOverlayEntry.Modified;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.WriteOutcome;
import dev.workspacecache.testsupport.RedisInspector;
import dev.workspacecache.testsupport.RedisServer;
import dev.workspacecache.WorkspaceFixtures;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tests of what is specific to {@link ValkeyCache}, against real servers: the key layout
 * (one hash per workspace) and encoding on the server, the evict marker and write
 * outcomes, unreadable values, sharing between instances, the number of round trips,
 * backend failures and credentials. The round trips of the contract are covered by
 * {@code ValkeyCacheContractIntegrationTests}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ValkeyCacheIntegrationTests {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);

	/**
	 * Hang guard for a failing call: its command timeout plus slack for a loaded machine.
	 */
	private static final Duration FAILURE_DEADLINE = COMMAND_TIMEOUT.plusSeconds(3);

	private static final Duration TTL = Duration.ofMinutes(10);

	private static final long MAX_ENTRY_SIZE = 2 * 1024 * 1024;

	private static final CBORMapper CBOR = CBORMapper.builder().build();

	/** The field of the snapshot in a workspace's hash. */
	private static final byte[] SNAPSHOT = bytes("m");

	/** The field of the graph in a workspace's hash. */
	private static final byte[] GRAPH = bytes("g");

	private static RedisServer shared;

	private final List<AutoCloseable> resources = new ArrayList<>();

	private RedisInspector raw;

	private String prefix;

	private ValkeyCache cache;

	private UUID id;

	@BeforeAll
	static void startSharedServer() {
		shared = RedisServer.shared();
	}

	@BeforeEach
	void setUp() {
		this.raw = track(new RedisInspector(shared));
		this.prefix = "valkey-cache-test:" + UUID.randomUUID() + ":";
		this.cache = new ValkeyCache(factory(shared, COMMAND_TIMEOUT), this.prefix, TTL, MAX_ENTRY_SIZE);
		this.id = UUID.randomUUID();
	}

	@AfterEach
	void closeResources() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
		this.resources.clear();
	}

	// ---------------------------------------------------------------- key layout

	@Test
	void keyLayoutIsExactlyAsDocumented() {
		String path = "src/dír/ñandú {x}:*.txt";
		assertThat(this.cache.cacheWorkspace(this.id, WorkspaceFixtures.snapshot(this.id)))
			.isEqualTo(WriteOutcome.MISSING);
		assertThat(this.cache.cacheFile(this.id, path, WorkspaceFixtures.modified("hello")))
			.isEqualTo(WriteOutcome.PRESENT);
		assertThat(this.cache.cacheGraph(this.id, new byte[] { 1, 2, 3 })).isEqualTo(WriteOutcome.PRESENT);
		String key = key();
		assertThat(key).isEqualTo(this.prefix + "{" + this.id + "}:workspace");
		assertThat(this.raw.keys(this.prefix + "*")).containsExactly(key);
		assertThat(this.raw.type(key)).isEqualTo("hash");
		// Field names are the raw bytes: a one-byte tag, then (for a file) the path in
		// UTF-8.
		assertThat(this.raw.fields(key)).containsExactlyInAnyOrder("m", "g", "f" + path);
		assertThat(this.raw.sync().hkeys(bytes(key))).anySatisfy((name) -> assertThat(name).isEqualTo(field(path)));
		assertThat(SlotHash.getSlot(bytes(key))).as("slot of %s", key).isEqualTo(SlotHash.getSlot(this.id.toString()));
	}

	@Test
	void emptyPrefixKeepsTheLayout() {
		ValkeyCache unprefixed = new ValkeyCache(factory(shared, COMMAND_TIMEOUT), "", TTL, MAX_ENTRY_SIZE);
		try {
			unprefixed.cacheWorkspace(this.id, WorkspaceFixtures.snapshot(this.id));
			assertThat(this.raw.keys("{" + this.id + "}*")).containsExactly("{" + this.id + "}:workspace");
		}
		finally {
			// Not evict: its marker would stay on the shared server for the whole
			// time-to-live.
			this.raw.sync().unlink(bytes("{" + this.id + "}:workspace"));
		}
	}

	@Test
	void theOneKeyOfAWorkspaceCarriesTheTtl() {
		// Was: every key (meta, graph, files) carries the TTL. One key now holds every
		// part, so
		// its expiry is the expiry of every part.
		this.cache.cacheWorkspace(this.id, WorkspaceFixtures.snapshot(this.id));
		this.cache.cacheFile(this.id, "a", WorkspaceFixtures.added("a"));
		this.cache.cacheGraph(this.id, new byte[] { 1 });
		assertThat(this.raw.keys(this.prefix + "*")).containsExactly(key());
		assertThat(this.raw.pttl(key())).isPositive().isLessThanOrEqualTo(TTL.toMillis());
	}

	// ---------------------------------------------------------------- evict marker

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

	// ---------------------------------------------------------------- stored size and
	// encoding

	@ParameterizedTest
	@ValueSource(ints = { 0, 1024, 64 * 1024, 1024 * 1024 })
	void storedEntryIsContentPlusSmallFramingAndStoresContentRaw(int size) {
		byte[] content = WorkspaceFixtures.randomBytes(size, size);
		String hash = "sha256:" + "ab".repeat(32);
		String path = "dir/file-" + size + ".bin";
		this.cache.cacheFile(this.id, path, new Modified(content, hash));
		byte[] workspaceKey = bytes(key());
		byte[] field = field(path);
		long stored = this.raw.sync().hstrlen(workspaceKey, field);
		assertThat(stored).isLessThanOrEqualTo(size + hash.length() + 64L);
		assertThat(this.raw.sync().hkeys(workspaceKey)).singleElement()
			.satisfies((f) -> assertThat(f).isEqualTo(field));
		byte[] value = this.raw.sync().hget(workspaceKey, field);
		assertThat(value).hasSize((int) stored);
		if (size > 0) {
			assertThat(indexOf(value, content)).as("raw content inside the stored value").isNotNegative();
		}
		assertThat(indexOf(value, hash.getBytes(StandardCharsets.US_ASCII))).isNotNegative();
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1024, 64 * 1024, 1024 * 1024 })
	void storedGraphIsGraphPlusSmallFramingAndStoredRaw(int size) {
		byte[] graph = WorkspaceFixtures.randomBytes(size, 31L * size);
		this.cache.cacheGraph(this.id, graph);
		byte[] workspaceKey = bytes(key());
		assertThat(this.raw.fields(key())).containsExactly("g");
		assertThat(this.raw.sync().hstrlen(workspaceKey, GRAPH)).isLessThanOrEqualTo(size + 64L);
		if (size > 0) {
			assertThat(indexOf(this.raw.sync().hget(workspaceKey, GRAPH), graph)).isNotNegative();
		}
	}

	@Test
	void everyStoredValueStartsWithFormatVersionOne() {
		this.cache.cacheWorkspace(this.id, WorkspaceFixtures.snapshot(this.id));
		this.cache.cacheFiles(this.id, Map.of("m", WorkspaceFixtures.modified("m"), "a", WorkspaceFixtures.added("a"),
				"d", WorkspaceFixtures.deleted()));
		this.cache.cacheGraph(this.id, new byte[] { 9, 9 });
		// Every field of the one key: snapshot, graph and the three entries.
		List<byte[]> values = this.raw.sync().hvals(bytes(key()));
		assertThat(values).hasSize(5).allSatisfy((value) -> {
			JsonNode tree = CBOR.readTree(value);
			assertThat(tree.isArray()).isTrue();
			assertThat(tree.get(0).isIntegralNumber()).isTrue();
			assertThat(tree.get(0).asInt()).isEqualTo(1);
		});
	}

	// ---------------------------------------------------------------- unreadable values

	static List<Arguments> unreadableValues() {
		byte[] valid = OverlayEntryCodec.INSTANCE.encode(new Modified(new byte[] { 1, 2 }, "h"));
		byte[] trailing = new byte[valid.length + 1];
		System.arraycopy(valid, 0, trailing, 0, valid.length);
		return List.of(Arguments.of(Named.of("garbage", "not cbor at all \u00ff".getBytes(StandardCharsets.UTF_8))),
				Arguments.of(Named.of("empty value", new byte[0])),
				Arguments.of(Named.of("version 2", cbor(List.of(2, "M", "h", new byte[] { 1, 2 })))),
				Arguments.of(Named.of("version 0", cbor(List.of(0, "D")))),
				Arguments.of(Named.of("unknown entry kind", cbor(List.of(1, "X")))),
				Arguments.of(Named.of("truncated array", cbor(List.of(1, "M", "h")))),
				Arguments.of(Named.of("truncated bytes", Arrays.copyOf(valid, valid.length - 1))),
				Arguments.of(Named.of("trailing bytes", trailing)),
				Arguments.of(Named.of("truncated inside a text", Arrays.copyOf(valid, 3))),
				Arguments.of(Named.of("invalid UTF-8 text",
						new byte[] { (byte) 0x84, 0x01, 0x61, 'M', 0x62, (byte) 0xc3, (byte) 0x28, 0x41, 0x01 })),
				Arguments.of(Named.of("hash not text", cbor(List.of(1, "M", 5, new byte[] { 1 })))),
				Arguments.of(Named.of("content as text", cbor(List.of(1, "A", "h", "text")))),
				Arguments.of(Named.of("extra element", cbor(List.of(1, "D", "more")))),
				Arguments.of(Named.of("a map", cbor(Map.of("version", 1)))));
	}

	@ParameterizedTest
	@MethodSource("unreadableValues")
	void unreadableFileReadsAsMissLogsKeyAndIsCounted(byte[] value, CapturedOutput output) {
		this.cache.cacheFile(this.id, "good.txt", WorkspaceFixtures.modified("good"));
		this.raw.sync().hset(bytes(key()), field("bad.txt"), value);
		long before = this.cache.getUnreadableValueCount();
		assertThat(this.cache.getFile(this.id, "bad.txt")).isEmpty();
		assertThat(this.cache.getUnreadableValueCount()).isEqualTo(before + 1);
		assertThat(this.cache.getFiles(this.id)).containsOnlyKeys("good.txt")
			.containsEntry("good.txt", WorkspaceFixtures.modified("good"));
		assertThat(this.cache.getUnreadableValueCount()).isEqualTo(before + 2);
		assertThat(this.cache.getFile(this.id, "good.txt")).contains(WorkspaceFixtures.modified("good"));
		assertThat(output.getAll()).contains("WARN").contains(key()).contains("bad.txt");
	}

	static List<Arguments> unreadableSnapshots() {
		UUID session = UUID.randomUUID();
		return List.of(Arguments.of(Named.of("garbage", new byte[] { (byte) 0xff, 0, 1, 2 })),
				Arguments.of(Named.of("version 2",
						cbor(List.of(2, session.toString(), session.toString(), "a", "b", session.toString(), "i", "c",
								"s", "m")))),
				Arguments.of(Named.of("missing component",
						cbor(List.of(1, session.toString(), session.toString(), "a", "b", session.toString(), "i", "c",
								"s")))),
				Arguments.of(Named.of("not a uuid",
						cbor(List.of(1, "nope", session.toString(), "a", "b", session.toString(), "i", "c", "s",
								"m")))),
				Arguments.of(Named.of("overlay entry in the snapshot field",
						OverlayEntryCodec.INSTANCE.encode(new Deleted()))));
	}

	@ParameterizedTest
	@MethodSource("unreadableSnapshots")
	void unreadableSnapshotReadsAsMissLogsKeyAndIsCounted(byte[] value, CapturedOutput output) {
		this.raw.sync().hset(bytes(key()), SNAPSHOT, value);
		assertThat(this.cache.getWorkspace(this.id)).isEmpty();
		assertThat(this.cache.getUnreadableValueCount()).isEqualTo(1);
		assertThat(output.getAll()).contains("WARN").contains(key());
	}

	@ParameterizedTest
	@MethodSource("unreadableValues")
	void unreadableGraphReadsAsMissLogsKeyAndIsCounted(byte[] value, CapturedOutput output) {
		this.raw.sync().hset(bytes(key()), GRAPH, value);
		assertThat(this.cache.getGraph(this.id)).isEmpty();
		assertThat(this.cache.getUnreadableValueCount()).isEqualTo(1);
		assertThat(output.getAll()).contains("WARN").contains(key());
	}

	@Test
	void snapshotStoredInTheGraphFieldIsNotReadAsAGraph() {
		this.raw.sync().hset(bytes(key()), GRAPH, SnapshotCodec.INSTANCE.encode(WorkspaceFixtures.snapshot(this.id)));
		assertThat(this.cache.getGraph(this.id)).isEmpty();
		assertThat(this.cache.getUnreadableValueCount()).isEqualTo(1);
	}

	static List<Arguments> unreadableParts() {
		return List.of(Arguments.of(Named.of("a corrupt entry", "fbad.txt")),
				Arguments.of(Named.of("a corrupt graph", "g")), Arguments.of(Named.of("a corrupt snapshot", "m")));
	}

	@ParameterizedTest
	@MethodSource("unreadableParts")
	void recoverReadsAWorkspaceWithAnUnreadablePartAsAMissAndCountsIt(String field, CapturedOutput output) {
		CachedWorkspace workspace = whole(this.id, "whole");
		this.cache.cacheAll(this.id, workspace);
		assertThat(this.cache.recover(this.id)).contains(workspace);
		long before = this.cache.getUnreadableValueCount();
		this.raw.sync().hset(bytes(key()), bytes(field), "not cbor at all \u00ff".getBytes(StandardCharsets.UTF_8));
		// Empty rather than partial: the caller falls back to its system of record.
		assertThat(this.cache.recover(this.id)).isEmpty();
		assertThat(this.cache.getUnreadableValueCount()).isEqualTo(before + 1);
		assertThat(output.getAll()).contains("WARN").contains(key());
	}

	static List<Arguments> wrongTypes() {
		byte[] entry = OverlayEntryCodec.INSTANCE.encode(new Deleted());
		return List.of(wrongType("a string holding an encoded entry", (redis, key) -> redis.set(key, entry)),
				wrongType("a list", (redis, key) -> redis.rpush(key, bytes("x"))),
				wrongType("a set", (redis, key) -> redis.sadd(key, bytes("m"))),
				wrongType("a sorted set", (redis, key) -> redis.zadd(key, 1.0, bytes("m"))));
	}

	private static Arguments wrongType(String name, BiConsumer<RedisCommands<byte[], byte[]>, byte[]> writer) {
		return Arguments.of(Named.of(name, writer));
	}

	@ParameterizedTest
	@MethodSource("wrongTypes")
	void theWorkspaceKeyHoldingAWrongTypeReadsAsMissesAndIsCounted(
			BiConsumer<RedisCommands<byte[], byte[]>, byte[]> writer, CapturedOutput output) {
		writer.accept(this.raw.sync(), bytes(key()));
		assertThat(this.cache.getWorkspace(this.id)).isEmpty();
		assertThat(this.cache.getFile(this.id, "x")).isEmpty();
		assertThat(this.cache.listFiles(this.id)).isEmpty();
		assertThat(this.cache.getFiles(this.id)).isEmpty();
		assertThat(this.cache.getGraph(this.id)).isEmpty();
		assertThat(this.cache.recover(this.id)).isEmpty();
		assertThat(this.cache.getUnreadableValueCount()).isEqualTo(6);
		assertThat(output.getAll()).contains("WARN").contains(key());
	}

	@Test
	void keysOfThePreviousLayoutAreNeitherReadNorTouched() {
		// What a rolling upgrade leaves behind: the three keys of the previous release.
		String base = this.prefix + "{" + this.id + "}";
		List<String> previous = List.of(base + ":meta", base + ":graph", base + ":files");
		try {
			this.raw.sync()
				.set(bytes(base + ":meta"), SnapshotCodec.INSTANCE.encode(WorkspaceFixtures.snapshot(this.id)));
			this.raw.sync().set(bytes(base + ":graph"), GraphCodec.INSTANCE.encode(new byte[] { 1 }));
			this.raw.sync()
				.hset(bytes(base + ":files"), bytes("a.txt"), OverlayEntryCodec.INSTANCE.encode(new Deleted()));
			assertThat(this.cache.getWorkspace(this.id)).isEmpty();
			assertThat(this.cache.listFiles(this.id)).isEmpty();
			assertThat(this.cache.getGraph(this.id)).isEmpty();
			assertThat(this.cache.recover(this.id)).isEmpty();
			assertThat(this.cache.getUnreadableValueCount()).isZero();
			assertThat(this.cache.touch(this.id)).isEqualTo(WriteOutcome.MISSING);
			assertThat(this.cache.cacheFile(this.id, "b.txt", WorkspaceFixtures.added("b")))
				.isEqualTo(WriteOutcome.MISSING);
			List<String> expected = new ArrayList<>(previous);
			expected.add(key());
			assertThat(this.raw.keys(this.prefix + "*")).containsExactlyInAnyOrderElementsOf(expected);
			assertThat(previous)
				.allSatisfy((key) -> assertThat(this.raw.pttl(key)).as("expiry of %s", key).isEqualTo(-1));
		}
		finally {
			// Written without expiry: the shared server would keep them for good.
			previous.forEach((key) -> this.raw.sync().unlink(bytes(key)));
		}
	}

	@Test
	void warningNamesTheFieldAndTheKeyButNotTheValue(CapturedOutput output) {
		this.raw.sync()
			.hset(bytes(key()), field("path/with space.txt"),
					"value-bytes-must-not-be-logged".getBytes(StandardCharsets.UTF_8));
		assertThat(this.cache.getFile(this.id, "path/with space.txt")).isEmpty();
		assertThat(output.getAll()).contains("path/with space.txt")
			.contains(key())
			.doesNotContain("value-bytes-must-not-be-logged");
	}

	@ParameterizedTest
	@MethodSource("wrongTypes")
	void evictReplacesAWorkspaceKeyOfTheWrongTypeWithTheMarker(
			BiConsumer<RedisCommands<byte[], byte[]>, byte[]> writer) {
		writer.accept(this.raw.sync(), bytes(key()));
		this.cache.evict(this.id);
		assertThat(this.raw.keys(this.prefix + "*")).containsExactly(key());
		assertThat(this.raw.type(key())).isEqualTo("hash");
		assertThat(this.raw.fields(key())).containsExactly("x");
		assertThat(this.raw.pttl(key())).isPositive().isLessThanOrEqualTo(TTL.toMillis());
		assertThat(this.cache.getFiles(this.id)).isEmpty();
		assertThat(this.cache.getUnreadableValueCount()).isZero();
	}

	// ---------------------------------------------------------------- several instances

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

	// ---------------------------------------------------------------- round trips

	@Test
	void evictTouchGetFilesAndCacheFilesAreOneCommandEachWhateverTheNumberOfFiles() {
		try (RedisServer server = RedisServer.start(); RedisInspector stats = new RedisInspector(server)) {
			ValkeyCache counted = new ValkeyCache(factory(server, COMMAND_TIMEOUT), "stats:", TTL, MAX_ENTRY_SIZE);
			// Warm up: connects and loads the three scripts (write, replace, evict), so
			// that later
			// calls are EVALSHA hits.
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
			// works on
			// the one key (existence checks, then HSETs of 500 fields each, then one
			// PEXPIRE).
			stats.sync().configResetstat();
			counted.cacheFiles(this.id, files);
			assertThat(stats.scriptCalls()).as("script calls of cacheFiles").isEqualTo(1);
			assertThat(stats.dataCommandCalls()).as("commands of cacheFiles")
				.containsOnlyKeys("evalsha", "hexists", "hset", "pexpire")
				.containsEntry("pexpire", 1L);
			assertThat(stats.keys("stats:{" + this.id + "}*")).containsExactly(key);
			assertThat(stats.sync().hlen(bytes(key))).isEqualTo(1_000);
			assertThat(stats.pttl(key)).as("TTL of the workspace").isPositive().isLessThanOrEqualTo(TTL.toMillis());

			counted.cacheWorkspace(this.id, WorkspaceFixtures.snapshot(this.id));
			counted.cacheGraph(this.id, new byte[] { 1 });
			assertThat(stats.keys("stats:{" + this.id + "}*")).containsExactly(key);
			assertThat(stats.sync().hlen(bytes(key))).isEqualTo(1_002);
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
				.containsOnlyKeys("evalsha", "hexists", "pexpire")
				.containsEntry("pexpire", 1L);

			stats.sync().configResetstat();
			assertThat(counted.cacheAll(this.id, CachedWorkspace.of(WorkspaceFixtures.snapshot(this.id), files, null)))
				.isEqualTo(WriteOutcome.PRESENT);
			assertThat(stats.scriptCalls()).as("script calls of cacheAll").isEqualTo(1);
			assertThat(stats.dataCommandCalls()).as("commands of cacheAll")
				.containsOnlyKeys("evalsha", "hexists", "hkeys", "hset", "hdel", "pexpire")
				.containsEntry("hkeys", 1L)
				.containsEntry("hdel", 1L)
				.containsEntry("pexpire", 1L);
			assertThat(stats.keys("stats:{" + this.id + "}*")).containsExactly(key);
			assertThat(stats.sync().hlen(bytes(key))).as("fields after cacheAll: no graph left").isEqualTo(1_001);

			stats.sync().configResetstat();
			counted.evict(this.id);
			assertThat(stats.dataCommandCalls()).as("commands of evict")
				.containsOnly(Map.entry("evalsha", 1L), Map.entry("unlink", 1L), Map.entry("hset", 1L),
						Map.entry("pexpire", 1L));
			assertThat(stats.keys("stats:{" + this.id + "}*")).containsExactly(key);
			assertThat(stats.fields(key)).containsExactly("x");
		}
	}

	// ---------------------------------------------------------------- backend failures

	static List<Arguments> operations() {
		return List.of(op("cacheWorkspace", (c, id) -> c.cacheWorkspace(id, WorkspaceFixtures.snapshot(id))),
				op("getWorkspace", WorkspaceCache::getWorkspace),
				op("cacheFile", (c, id) -> c.cacheFile(id, "a.txt", WorkspaceFixtures.added("a"))),
				op("getFile", (c, id) -> c.getFile(id, "a.txt")), op("listFiles", WorkspaceCache::listFiles),
				op("cacheGraph", (c, id) -> c.cacheGraph(id, new byte[] { 1 })),
				op("getGraph", WorkspaceCache::getGraph), op("evict", WorkspaceCache::evict),
				op("touch", WorkspaceCache::touch), op("getFiles", WorkspaceCache::getFiles),
				op("cacheFiles", (c, id) -> c.cacheFiles(id, Map.of("b.txt", WorkspaceFixtures.deleted()))),
				op("recover", WorkspaceCache::recover), op("cacheAll", (c, id) -> c.cacheAll(id, whole(id, "all"))));
	}

	private static Arguments op(String name, Operation operation) {
		return Arguments.of(name, operation);
	}

	@Test
	void everyOperationOnAKilledServerThrowsWorkspaceCacheException() {
		RedisServer server = track(RedisServer.start());
		ValkeyCache doomed = new ValkeyCache(factory(server, COMMAND_TIMEOUT), this.prefix, TTL, MAX_ENTRY_SIZE);
		doomed.cacheWorkspace(this.id, WorkspaceFixtures.snapshot(this.id));
		server.kill();
		for (Arguments arguments : operations()) {
			String name = (String) arguments.get()[0];
			Operation operation = (Operation) arguments.get()[1];
			assertFailsWithin(FAILURE_DEADLINE, doomed, name, operation);
		}
	}

	@Test
	void operationOnAServerThatWasNeverReachableThrowsWorkspaceCacheException() {
		RedisServer server = RedisServer.start();
		server.close();
		ValkeyCache unreachable = new ValkeyCache(factory(server, COMMAND_TIMEOUT), this.prefix, TTL, MAX_ENTRY_SIZE);
		assertFailsWithin(FAILURE_DEADLINE, unreachable, "getWorkspace", WorkspaceCache::getWorkspace);
		assertFailsWithin(FAILURE_DEADLINE, unreachable, "cacheFiles",
				(c, id) -> c.cacheFiles(id, Map.of("x", WorkspaceFixtures.deleted())));
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
		assertFailsWithin(Duration.ofMillis(2_000), paused, "getWorkspace", WorkspaceCache::getWorkspace);
		assertFailsWithin(Duration.ofMillis(2_000), paused, "cacheFile",
				(c, id) -> c.cacheFile(id, "late.txt", WorkspaceFixtures.added("late")));
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
		// by the
		// server closing every client connection.
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

	// ---------------------------------------------------------------- credentials

	@Test
	void wrongPasswordFailsWithoutRevealingAnyPassword() {
		RedisServer server = track(RedisServer.builder().arg("--requirepass", "s3cr3t-pa55").start());
		ValkeyCache wrong = new ValkeyCache(
				factory(server, COMMAND_TIMEOUT, (c) -> c.setPassword(RedisPassword.of("wr0ng-pa55w0rd"))), this.prefix,
				TTL, MAX_ENTRY_SIZE);
		List<String> printed = new ArrayList<>();
		for (Arguments arguments : operations()) {
			String name = (String) arguments.get()[0];
			WorkspaceCacheException failure = assertFailsWithin(FAILURE_DEADLINE, wrong, name,
					(Operation) arguments.get()[1]);
			printed.add(everythingPrinted(failure));
		}
		assertThat(printed)
			.allSatisfy((text) -> assertThat(text).doesNotContain("wr0ng-pa55w0rd").doesNotContain("s3cr3t-pa55"));
		// Under load Lettuce may report a failed handshake without the server's reply
		// (for example
		// "RedisHandshakeHandler not registered"), so not every failure names WRONGPASS;
		// one must.
		assertThat(printed).anySatisfy((text) -> assertThat(text).contains("WRONGPASS"));
	}

	@Test
	void userWithoutKeyPermissionsFailsWithoutRevealingAnyPassword() {
		RedisServer server = track(RedisServer.builder().arg("--requirepass", "s3cr3t-pa55").start());
		RedisInspector admin = track(new RedisInspector(server, null, "s3cr3t-pa55"));
		assertThat(admin.sync()
			.dispatch(CommandType.ACL, new StatusOutput<>(ByteArrayCodec.INSTANCE),
					new CommandArgs<>(ByteArrayCodec.INSTANCE).add("SETUSER")
						.add("limited")
						.add("on")
						.add(">limited-pa55")
						.add("~nothing:*")
						.add("+@all")))
			.isEqualTo("OK");
		ValkeyCache limited = new ValkeyCache(factory(server, COMMAND_TIMEOUT, (c) -> {
			c.setUsername("limited");
			c.setPassword(RedisPassword.of("limited-pa55"));
		}), this.prefix, TTL, MAX_ENTRY_SIZE);
		for (Arguments arguments : operations()) {
			String name = (String) arguments.get()[0];
			WorkspaceCacheException failure = assertFailsWithin(FAILURE_DEADLINE, limited, name,
					(Operation) arguments.get()[1]);
			assertThat(failure.getMessage()).contains("NOPERM");
			assertThat(everythingPrinted(failure)).doesNotContain("limited-pa55").doesNotContain("s3cr3t-pa55");
		}
	}

	@Test
	void credentialMaskingHidesPasswords() {
		assertThat(CredentialMasking.mask("redis://user:secret@host:6379")).doesNotContain("secret")
			.contains("redis://user:")
			.contains("@host:6379");
		assertThat(CredentialMasking.mask("failed to connect to rediss://:secret@cache.example.com:6380/0"))
			.doesNotContain("secret")
			.contains("cache.example.com:6380");
		assertThat(CredentialMasking.mask("password=secret, user=bob")).doesNotContain("secret").contains("user=bob");
		assertThat(CredentialMasking.mask("Password: secret")).doesNotContain("secret");
		assertThat(CredentialMasking.mask("Command timed out after 1 second(s)"))
			.isEqualTo("Command timed out after 1 second(s)");
		assertThat(CredentialMasking.mask("redis://host:6379")).isEqualTo("redis://host:6379");
	}

	// ---------------------------------------------------------------- constructor
	// validation

	@Test
	void constructorRejectsBracesInKeyPrefix() {
		LettuceConnectionFactory factory = factory(shared, COMMAND_TIMEOUT);
		for (String prefix : List.of("{", "}", "app{1}:", "a}")) {
			assertThatIllegalArgumentException().isThrownBy(() -> new ValkeyCache(factory, prefix, TTL, 1))
				.withMessageContaining("keyPrefix");
		}
	}

	@Test
	void constructorRejectsTtlBelowOneMillisecond() {
		LettuceConnectionFactory factory = factory(shared, COMMAND_TIMEOUT);
		for (Duration ttl : List.of(Duration.ZERO, Duration.ofNanos(999_999), Duration.ofSeconds(-1))) {
			assertThatIllegalArgumentException().isThrownBy(() -> new ValkeyCache(factory, "p:", ttl, 1))
				.withMessageContaining("ttl");
		}
	}

	@Test
	void constructorRejectsNonPositiveMaxEntrySize() {
		LettuceConnectionFactory factory = factory(shared, COMMAND_TIMEOUT);
		assertThatIllegalArgumentException().isThrownBy(() -> new ValkeyCache(factory, "p:", TTL, 0))
			.withMessageContaining("maxEntrySize");
	}

	@Test
	void constructorRejectsNulls() {
		LettuceConnectionFactory factory = factory(shared, COMMAND_TIMEOUT);
		assertThatNullPointerException().isThrownBy(() -> new ValkeyCache(null, "p:", TTL, 1))
			.withMessageContaining("connectionFactory");
		assertThatNullPointerException().isThrownBy(() -> new ValkeyCache(factory, null, TTL, 1))
			.withMessageContaining("keyPrefix");
		assertThatNullPointerException().isThrownBy(() -> new ValkeyCache(factory, "p:", null, 1))
			.withMessageContaining("ttl");
	}

	@Test
	void toStringShowsPrefixAndTtl() {
		assertThat(this.cache).hasToString("ValkeyCache[keyPrefix='" + this.prefix + "', ttl=PT10M]");
	}

	// ---------------------------------------------------------------- helpers

	@FunctionalInterface
	interface Operation {

		void apply(WorkspaceCache cache, UUID id);

	}

	@FunctionalInterface
	interface Write {

		WriteOutcome apply(WorkspaceCache cache, UUID id);

	}

	private WorkspaceCacheException assertFailsWithin(Duration deadline, WorkspaceCache target, String name,
			Operation operation) {
		UUID workspace = UUID.randomUUID();
		Throwable thrown = assertTimeoutPreemptively(deadline, () -> {
			try {
				operation.apply(target, workspace);
				return null;
			}
			catch (RuntimeException ex) {
				return ex;
			}
		}, () -> name + " did not return within " + deadline);
		assertThat(thrown).as(name).isExactlyInstanceOf(WorkspaceCacheException.class);
		WorkspaceCacheException failure = (WorkspaceCacheException) thrown;
		assertThat(failure.getMessage()).as(name).contains(name).contains(workspace.toString());
		assertThat(failure.getOperation().methodName()).isEqualTo(name);
		assertThat(failure.getWorkspaceId()).isEqualTo(workspace);
		assertThat(failure.getCause()).as("cause of %s", name).isNotNull();
		return failure;
	}

	private static String everythingPrinted(Throwable failure) {
		StringWriter printed = new StringWriter();
		failure.printStackTrace(new PrintWriter(printed));
		StringBuilder all = new StringBuilder(printed.toString());
		for (Throwable t = failure; t != null; t = t.getCause()) {
			all.append('\n').append(t).append('\n').append(t.getLocalizedMessage());
		}
		return all.toString();
	}

	private LettuceConnectionFactory factory(RedisServer server, Duration commandTimeout) {
		return factory(server, commandTimeout, (configuration) -> {
		});
	}

	private LettuceConnectionFactory factory(RedisServer server, Duration commandTimeout,
			Consumer<RedisStandaloneConfiguration> customizer) {
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(server.host(), server.port());
		customizer.accept(configuration);
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration,
				LettuceClientConfiguration.builder().commandTimeout(commandTimeout).build());
		factory.afterPropertiesSet();
		factory.start();
		track(factory::destroy);
		return factory;
	}

	private <T extends AutoCloseable> T track(T resource) {
		this.resources.add(resource);
		return resource;
	}

	/**
	 * Return the key of the test's workspace, as documented rather than as the code under
	 * test builds it.
	 */
	private String key() {
		return this.prefix + "{" + this.id + "}:workspace";
	}

	/**
	 * Return the field of an overlay entry: the tag {@code f}, then the path in UTF-8.
	 */
	private static byte[] field(String path) {
		return bytes("f" + path);
	}

	private static void writeEveryPart(WorkspaceCache cache, UUID id) {
		cache.cacheWorkspace(id, WorkspaceFixtures.snapshot(id));
		cache.cacheFiles(id, Map.of("a.txt", WorkspaceFixtures.added("a"), "b.txt", WorkspaceFixtures.deleted()));
		cache.cacheGraph(id, new byte[] { 4, 2 });
	}

	private static CachedWorkspace whole(UUID id, String intent) {
		Map<String, CachedOverlayEntry> files = new LinkedHashMap<>();
		files.put("src/a.txt", WorkspaceFixtures.modified(intent));
		files.put("src/b.txt", WorkspaceFixtures.added(intent));
		files.put("src/c.txt", WorkspaceFixtures.deleted());
		return CachedWorkspace.of(WorkspaceFixtures.snapshot(id, intent), files,
				WorkspaceFixtures.utf8("graph " + intent));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] cbor(Object value) {
		return CBOR.writeValueAsBytes(value);
	}

	private static int indexOf(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i <= haystack.length - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
