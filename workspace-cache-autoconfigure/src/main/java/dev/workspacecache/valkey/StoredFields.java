package dev.workspacecache.valkey;

import java.util.Arrays;
import java.util.Map;

import dev.workspacecache.valkey.CanonicalOverlayEntryReader.Parts;
import org.jspecify.annotations.Nullable;

/**
 * The fields of a workspace key and their values, in the order the server sent them
 * ({@code HGETALL}): what {@link StoredWorkspaceDecoder#workspace} decodes a whole
 * workspace from.
 * <p>
 * A file's value may arrive already read into {@link Parts} ({@link WorkspaceHashOutput}
 * reads canonical entries straight out of Lettuce's buffers); any other value is kept as
 * its bytes.
 */
final class StoredFields {

	private static final byte[] READ = new byte[0];

	private byte[][] names;

	private byte[][] values;

	private @Nullable Parts[] parts;

	private int size;

	private long valueBytes;

	StoredFields(int capacity) {
		this.names = new byte[capacity][];
		this.values = new byte[capacity][];
		this.parts = new Parts[capacity];
	}

	/**
	 * Return the fields of a reply as Spring Data Redis returns it.
	 * @param stored the fields and values, or {@code null}
	 * @return the fields
	 */
	static StoredFields of(@Nullable Map<byte[], byte[]> stored) {
		StoredFields fields = new StoredFields((stored != null) ? stored.size() : 0);
		if (stored != null) {
			stored.forEach(fields::add);
		}
		return fields;
	}

	void add(byte[] name, byte[] value) {
		append(name, value, null, value.length);
	}

	void add(byte[] name, Parts parts, int valueLength) {
		append(name, READ, parts, valueLength);
	}

	private void append(byte[] name, byte[] value, @Nullable Parts parts, int valueLength) {
		if (this.size == this.names.length) {
			int capacity = Math.max(8, this.size * 2);
			this.names = Arrays.copyOf(this.names, capacity);
			this.values = Arrays.copyOf(this.values, capacity);
			this.parts = Arrays.copyOf(this.parts, capacity);
		}
		this.names[this.size] = name;
		this.values[this.size] = value;
		this.parts[this.size] = parts;
		this.size++;
		this.valueBytes += countedBytes(name, valueLength);
	}

	/**
	 * Return the bytes the metrics count for a value read: its length, but nothing for
	 * the version, which is the cache's bookkeeping rather than a value of the workspace.
	 * @param name the field
	 * @param valueLength the length of its value
	 * @return the bytes counted
	 */
	static long countedBytes(byte[] name, int valueLength) {
		return WorkspaceKeys.isField(name, WorkspaceKeys.VERSION_FIELD) ? 0 : valueLength;
	}

	int size() {
		return this.size;
	}

	boolean isEmpty() {
		return this.size == 0;
	}

	byte[] name(int index) {
		return this.names[index];
	}

	/**
	 * Return a value as stored.
	 * @param index the field's index
	 * @return the value; empty when it arrived read into {@link #parts(int) parts}
	 */
	byte[] value(int index) {
		return this.values[index];
	}

	@Nullable Parts parts(int index) {
		return this.parts[index];
	}

	/**
	 * Return the bytes of the values received, without the version.
	 * @return the number of bytes
	 */
	long valueBytes() {
		return this.valueBytes;
	}

}
