package dev.workspacecache.valkey;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;

import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static dev.workspacecache.WorkspaceFixtures.wholeWorkspace;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StoredWorkspaceDecoder#workspace}, on replies built as the server
 * sends them ({@code HGETALL}: field names and values, in no order).
 */
class StoredWorkspaceDecoderTests {

	private final StoredWorkspaceDecoder decoder = new StoredWorkspaceDecoder(new WorkspaceKeys("test:"),
			OverlayEntryCodec.INSTANCE);

	private final UUID id = UUID.randomUUID();

	private final byte[] key = this.decoder.keys().workspace(this.id);

	@Test
	void decodesAWholeWorkspaceInPathOrderWithItsVersion() {
		Map<String, CachedOverlayEntry> files = new HashMap<>();
		for (int i = 0; i < 300; i++) {
			files.put("src/main/java/module" + (i % 7) + "/File" + (i * 37 % 300) + ".java", modified("file " + i));
		}
		CachedWorkspace written = CachedWorkspace.of(snapshot(this.id), files, null);
		Map<byte[], byte[]> stored = stored(written);
		stored.put(WorkspaceKeys.VERSION_FIELD, "7".getBytes(StandardCharsets.US_ASCII));
		CachedWorkspace read = this.decoder.workspace(this.key, stored);
		assertThat(read).isEqualTo(written);
		assertThat(read.version()).isEqualTo(7);
		assertThat(read.files()).hasSize(300);
		assertThat(List.copyOf(read.files().keySet())).isSorted();
		assertThat(this.decoder.unreadableValueCount()).isZero();
	}

	@Test
	void twoFieldNamesThatDecodeToOnePathAreUnreadable() {
		Map<byte[], byte[]> stored = stored(wholeWorkspace(this.id, "value"));
		// Malformed UTF-8: both field names decode to "\uFFFD", one path.
		stored.put(new byte[] { WorkspaceKeys.FILE_TAG, (byte) 0xFF }, OverlayEntryCodec.INSTANCE.encode(added("a")));
		stored.put(new byte[] { WorkspaceKeys.FILE_TAG, (byte) 0xFE },
				OverlayEntryCodec.INSTANCE.encode(modified("b")));
		assertThat(this.decoder.workspace(this.key, stored)).isNull();
		assertThat(this.decoder.unreadableValueCount()).isOne();
	}

	private static Map<byte[], byte[]> stored(CachedWorkspace workspace) {
		Map<byte[], byte[]> stored = new HashMap<>();
		stored.put(WorkspaceKeys.SNAPSHOT_FIELD, SnapshotCodec.INSTANCE.encode(workspace.snapshot()));
		workspace.graph()
			.ifPresent((graph) -> stored.put(WorkspaceKeys.GRAPH_FIELD, GraphCodec.INSTANCE.encode(graph)));
		for (Map.Entry<String, CachedOverlayEntry> file : workspace.files().entrySet()) {
			stored.put(WorkspaceKeys.fileField(file.getKey()), OverlayEntryCodec.INSTANCE.encode(file.getValue()));
		}
		return stored;
	}

}
