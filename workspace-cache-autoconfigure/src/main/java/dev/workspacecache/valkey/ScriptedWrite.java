package dev.workspacecache.valkey;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceChange;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.WorkspaceWrite;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * One run of a {@link WorkspaceScripts write script}: which script, what it announces and
 * the fields it sets, encoded in the stored format. {@link ValkeyCache} and
 * {@link ReactiveValkeyCache} build their writes here and lay out their arguments with
 * {@link #arguments}, so that the two write the same values and announcements.
 */
final class ScriptedWrite {

	private static final byte[] NONE = new byte[0];

	private final RedisScript<?> script;

	private final WorkspaceChange.@Nullable Kind announced;

	private final List<String> paths;

	private final List<byte[]> fields;

	private ScriptedWrite(RedisScript<?> script, WorkspaceChange.@Nullable Kind announced, List<String> paths,
			List<byte[]> fields) {
		this.script = script;
		this.announced = announced;
		this.paths = paths;
		this.fields = fields;
	}

	static ScriptedWrite snapshot(WorkspaceSnapshot snapshot) {
		return new ScriptedWrite(WorkspaceScripts.WRITE, WorkspaceChange.Kind.SNAPSHOT, List.of(),
				List.of(WorkspaceKeys.SNAPSHOT_FIELD, SnapshotCodec.INSTANCE.encode(snapshot)));
	}

	static ScriptedWrite file(String path, CachedOverlayEntry entry, OverlayEntryCodec codec) {
		return new ScriptedWrite(WorkspaceScripts.WRITE, WorkspaceChange.Kind.FILES, List.of(path),
				List.of(WorkspaceKeys.fileField(path), codec.encode(entry)));
	}

	static ScriptedWrite files(Map<String, CachedOverlayEntry> entries, OverlayEntryCodec codec) {
		return new ScriptedWrite(WorkspaceScripts.WRITE, WorkspaceChange.Kind.FILES, List.copyOf(entries.keySet()),
				fileFields(entries, 0, codec));
	}

	static ScriptedWrite graph(byte[] graphData) {
		return new ScriptedWrite(WorkspaceScripts.WRITE, WorkspaceChange.Kind.GRAPH, List.of(),
				List.of(WorkspaceKeys.GRAPH_FIELD, GraphCodec.INSTANCE.encode(graphData)));
	}

	static ScriptedWrite whole(CachedWorkspace workspace, OverlayEntryCodec codec) {
		List<byte[]> fields = fileFields(workspace.files(), 4, codec);
		fields.add(WorkspaceKeys.SNAPSHOT_FIELD);
		fields.add(SnapshotCodec.INSTANCE.encode(workspace.snapshot()));
		workspace.graph().ifPresent((graph) -> {
			fields.add(WorkspaceKeys.GRAPH_FIELD);
			fields.add(GraphCodec.INSTANCE.encode(graph));
		});
		return new ScriptedWrite(WorkspaceScripts.REPLACE, WorkspaceChange.Kind.WORKSPACE, List.of(), fields);
	}

	// A touch is a write without fields, and announces nothing.
	static ScriptedWrite touch() {
		return new ScriptedWrite(WorkspaceScripts.WRITE, null, List.of(), List.of());
	}

	static ScriptedWrite evict() {
		return new ScriptedWrite(WorkspaceScripts.EVICT, WorkspaceChange.Kind.EVICTED, List.of(), List.of());
	}

	static ScriptedWrite of(WorkspaceWrite write, OverlayEntryCodec codec) {
		if (write instanceof WorkspaceWrite.Snapshot snapshot) {
			return snapshot(snapshot.snapshot());
		}
		if (write instanceof WorkspaceWrite.Files files) {
			return files(files.entries(), codec);
		}
		if (write instanceof WorkspaceWrite.Graph graph) {
			return graph(graph.graphData());
		}
		return whole(((WorkspaceWrite.Whole) write).workspace(), codec);
	}

	private static List<byte[]> fileFields(Map<String, CachedOverlayEntry> entries, int extra,
			OverlayEntryCodec codec) {
		List<byte[]> fields = new ArrayList<>(entries.size() * 2 + extra);
		entries.forEach((path, entry) -> {
			fields.add(WorkspaceKeys.fileField(path));
			fields.add(codec.encode(entry));
		});
		return fields;
	}

	@SuppressWarnings("unchecked")
	<T> RedisScript<T> script() {
		return (RedisScript<T>) this.script;
	}

	boolean hasFields() {
		return !this.fields.isEmpty();
	}

	/**
	 * Return the bytes of the values this write sets, as the metrics count them: not the
	 * field names or the protocol framing.
	 * @return the bytes
	 */
	long valueBytes() {
		long bytes = 0;
		for (int i = 1; i < this.fields.size(); i += 2) {
			bytes += this.fields.get(i).length;
		}
		return bytes;
	}

	/**
	 * Return ARGV as {@link WorkspaceScripts} lays it out: the time-to-live, the expected
	 * version, the announcement and its channel, then the fields.
	 * @param ttlMillis the time-to-live in milliseconds, ASCII
	 * @param expectedVersion the version a conditional write expects, {@code null} for an
	 * unconditional one
	 * @param origin the instance announced as the change's origin, {@code null} to
	 * announce nothing
	 * @param keys the key layout
	 * @param id the workspace id
	 * @return the arguments
	 */
	byte[][] arguments(byte[] ttlMillis, @Nullable Long expectedVersion, @Nullable String origin, WorkspaceKeys keys,
			UUID id) {
		WorkspaceChange.Kind kind = this.announced;
		byte[] announcement = (origin != null && kind != null)
				? ChangeMessageCodec.INSTANCE.encodeBody(kind, this.paths, origin) : NONE;
		byte[][] args = new byte[this.fields.size() + WorkspaceScripts.FIRST_FIELD - 1][];
		args[0] = ttlMillis;
		args[1] = (expectedVersion != null) ? Long.toString(expectedVersion).getBytes(StandardCharsets.US_ASCII) : NONE;
		args[2] = announcement;
		args[3] = (announcement.length > 0) ? keys.changes(id) : NONE;
		for (int i = 0; i < this.fields.size(); i++) {
			args[i + WorkspaceScripts.FIRST_FIELD - 1] = this.fields.get(i);
		}
		return args;
	}

}
