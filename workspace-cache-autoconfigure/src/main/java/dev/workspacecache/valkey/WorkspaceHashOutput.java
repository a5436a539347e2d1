package dev.workspacecache.valkey;

import java.nio.ByteBuffer;

import dev.workspacecache.valkey.CanonicalOverlayEntryReader.Parts;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import org.jspecify.annotations.Nullable;

/**
 * Lettuce output of {@code HGETALL} on a workspace key: it reads each canonical overlay
 * entry straight out of the reply's buffer, so that its content is copied once there
 * rather than once into a value and again out of it.
 * <p>
 * Why: {@code recover} of 1,000 files of 1 KiB moves a megabyte, and each copy of it
 * counts against one raw {@code HGETALL}. With this output, {@code InterleavedRatioProbe}
 * measured {@code recover} of 1,000 files at 1.27 (Redis) and 1.30 (Valkey) times the raw
 * command, against 1.37 and 1.40 the run before it without (2026-12-02). Lettuce calls
 * this output on its event loop, which copies every value of a reply anyway; what it does
 * here beyond that copy is reading a few header bytes and the hash. The entries
 * themselves are made, and the paths ordered, by the calling thread.
 * <p>
 * Only the blocking {@link ValkeyCache} reads through it: Spring Data Redis's reactive
 * connection takes no command output, so {@link ReactiveValkeyCache} decodes the map its
 * codec returns.
 */
final class WorkspaceHashOutput extends CommandOutput<byte[], byte[], StoredFields> {

	private byte @Nullable [] name;

	WorkspaceHashOutput() {
		super(ByteArrayCodec.INSTANCE, new StoredFields(0));
	}

	@Override
	public void multi(int count) {
		// RESP2 replies with fields and values alternating; RESP3 uses multiMap.
		if (this.output.isEmpty() && count > 0) {
			this.output = new StoredFields(count / 2);
		}
	}

	@Override
	public void multiMap(int count) {
		if (this.output.isEmpty() && count > 0) {
			this.output = new StoredFields(count);
		}
	}

	@Override
	public void set(@Nullable ByteBuffer bytes) {
		byte[] name = this.name;
		if (name == null) {
			this.name = copy(bytes);
			return;
		}
		this.name = null;
		if (bytes != null && WorkspaceKeys.isFileField(name)) {
			int length = bytes.remaining();
			Parts parts = CanonicalOverlayEntryReader.parse(bytes);
			if (parts != null) {
				this.output.add(name, parts, length);
				return;
			}
		}
		this.output.add(name, copy(bytes));
	}

	private static byte[] copy(@Nullable ByteBuffer bytes) {
		if (bytes == null) {
			return new byte[0];
		}
		byte[] copy = new byte[bytes.remaining()];
		bytes.get(copy);
		return copy;
	}

}
