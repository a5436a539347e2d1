package dev.workspacecache.valkey;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;

import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.dataformat.cbor.CBORMapper;

import dev.workspacecache.CachedOverlayEntry.Deleted;
import dev.workspacecache.CachedOverlayEntry.Modified;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.WriteOutcome;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link ValkeyCache} does with what it cannot read: a corrupt value, a value of
 * another format version, a key of the wrong type, keys of the previous layout. Each
 * reads as a miss, is logged at WARN with its key but not its value, and is counted.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnreadableValueIntegrationTests extends AbstractValkeyCacheIntegrationTests {

	private static final CBORMapper CBOR = CBORMapper.builder().build();

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

	private static byte[] cbor(Object value) {
		return CBOR.writeValueAsBytes(value);
	}

}
