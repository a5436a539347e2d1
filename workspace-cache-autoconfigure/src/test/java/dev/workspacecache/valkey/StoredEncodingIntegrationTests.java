package dev.workspacecache.valkey;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.cbor.CBORMapper;

import dev.workspacecache.CachedOverlayEntry.Modified;
import dev.workspacecache.WorkspaceFixtures;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@link ValkeyCache} stores values: file contents and graphs raw inside a few bytes
 * of framing, every value versioned CBOR of format version 1.
 */
class StoredEncodingIntegrationTests extends AbstractValkeyCacheIntegrationTests {

	private static final CBORMapper CBOR = CBORMapper.builder().build();

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
		assertThat(this.raw.sync().hkeys(workspaceKey)).as("the entry and the version")
			.anySatisfy((f) -> assertThat(f).isEqualTo(field))
			.anySatisfy((f) -> assertThat(f).isEqualTo(new byte[] { 'v' }))
			.hasSize(2);
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
		assertThat(this.raw.fields(key())).containsExactlyInAnyOrder("g", "v");
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
		// Every value of the one key: snapshot, graph and the three entries; the version
		// beside them is a plain decimal number.
		Map<byte[], byte[]> fields = this.raw.sync().hgetall(bytes(key()));
		assertThat(fields).hasSize(6);
		assertThat(new String(fields.entrySet()
			.stream()
			.filter((field) -> Arrays.equals(field.getKey(), new byte[] { 'v' }))
			.findFirst()
			.orElseThrow()
			.getValue(), StandardCharsets.US_ASCII)).isEqualTo("3");
		List<byte[]> values = fields.entrySet()
			.stream()
			.filter((field) -> !Arrays.equals(field.getKey(), new byte[] { 'v' }))
			.map(Map.Entry::getValue)
			.toList();
		assertThat(values).hasSize(5).allSatisfy((value) -> {
			JsonNode tree = CBOR.readTree(value);
			assertThat(tree.isArray()).isTrue();
			assertThat(tree.get(0).isIntegralNumber()).isTrue();
			assertThat(tree.get(0).asInt()).isEqualTo(1);
		});
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
