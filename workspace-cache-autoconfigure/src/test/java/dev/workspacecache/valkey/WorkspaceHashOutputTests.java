package dev.workspacecache.valkey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedWorkspace;

import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.deleted;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkspaceHashOutput}: fed a reply as Lettuce feeds it, buffer by
 * buffer, it must give the decoder what the map of the same reply gives it.
 */
class WorkspaceHashOutputTests {

	private final StoredWorkspaceDecoder decoder = new StoredWorkspaceDecoder(new WorkspaceKeys("test:"),
			OverlayEntryCodec.INSTANCE);

	private final UUID id = UUID.randomUUID();

	private final byte[] key = this.decoder.keys().workspace(this.id);

	@Test
	void readsAWorkspaceAsTheMapOfTheSameReplyReadsIt() {
		// Compressed and non-canonical values are kept as bytes and decoded as any other.
		OverlayEntryCodec compressing = new OverlayEntryCodec(ContentCompression.zstd(16), 1 << 20);
		Map<byte[], byte[]> reply = new LinkedHashMap<>();
		reply.put(WorkspaceKeys.VERSION_FIELD, "3".getBytes(StandardCharsets.US_ASCII));
		reply.put(WorkspaceKeys.fileField("src/z.txt"), OverlayEntryCodec.INSTANCE.encode(modified("z")));
		reply.put(WorkspaceKeys.fileField("src/a.txt"), OverlayEntryCodec.INSTANCE.encode(added("a")));
		reply.put(WorkspaceKeys.fileField("gone.txt"), OverlayEntryCodec.INSTANCE.encode(deleted()));
		reply.put(WorkspaceKeys.fileField("big.txt"), compressing.encode(modified("x".repeat(4096))));
		reply.put(WorkspaceKeys.SNAPSHOT_FIELD, SnapshotCodec.INSTANCE.encode(snapshot(this.id)));
		reply.put(WorkspaceKeys.GRAPH_FIELD, GraphCodec.INSTANCE.encode(new byte[] { 1, 2, 3 }));
		CachedWorkspace expected = this.decoder.workspace(this.key, reply);
		assertThat(expected).isNotNull();
		assertThat(expected.files()).hasSize(4).containsEntry("big.txt", modified("x".repeat(4096)));
		for (boolean resp3 : new boolean[] { false, true }) {
			for (boolean direct : new boolean[] { false, true }) {
				WorkspaceHashOutput output = new WorkspaceHashOutput();
				if (resp3) {
					output.multiMap(reply.size());
				}
				else {
					output.multi(reply.size() * 2);
				}
				reply.forEach((name, value) -> {
					output.set(slice(name, direct));
					output.set(slice(value, direct));
				});
				StoredFields fields = output.get();
				CachedWorkspace read = this.decoder.workspace(this.key, fields);
				assertThat(read).as("RESP3 %s, direct buffers %s", resp3, direct).isEqualTo(expected);
				assertThat(read.version()).isEqualTo(3);
				assertThat(fields.valueBytes()).isEqualTo(StoredWorkspaceDecoder.valueBytes(reply));
			}
		}
	}

	@Test
	void anEmptyReplyIsNoWorkspace() {
		WorkspaceHashOutput output = new WorkspaceHashOutput();
		output.multi(0);
		assertThat(this.decoder.workspace(this.key, output.get())).isNull();
	}

	@Test
	void aCorruptEntryIsUnreadableAsFromTheMap() {
		Map<byte[], byte[]> reply = new LinkedHashMap<>();
		reply.put(WorkspaceKeys.SNAPSHOT_FIELD, SnapshotCodec.INSTANCE.encode(snapshot(this.id)));
		byte[] corrupt = OverlayEntryCodec.INSTANCE.encode(modified("content"));
		corrupt[corrupt.length - 1] = 0;
		reply.put(WorkspaceKeys.fileField("a.txt"), corrupt);
		WorkspaceHashOutput output = new WorkspaceHashOutput();
		reply.forEach((name, value) -> {
			output.set(slice(name, true));
			output.set(slice(value, true));
		});
		assertThat(this.decoder.workspace(this.key, output.get())).isNull();
		assertThat(this.decoder.unreadableValueCount()).isOne();
	}

	// The bytes inside a larger buffer, between a position and a limit that are not its
	// bounds, as Lettuce hands out slices of the buffer it read into.
	private static ByteBuffer slice(byte[] bytes, boolean direct) {
		ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(bytes.length + 10)
				: ByteBuffer.allocate(bytes.length + 10);
		buffer.position(3);
		buffer.put(bytes);
		buffer.put(new byte[] { 'X', 'X' });
		buffer.position(3).limit(3 + bytes.length);
		return buffer;
	}

}
