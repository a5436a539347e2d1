package dev.workspacecache.valkey;

import java.util.UUID;

import dev.workspacecache.WorkspaceSnapshot;
import tools.jackson.core.JsonParser;

/**
 * Encodes a {@link WorkspaceSnapshot}. Format version 1, a CBOR array of the record
 * components in declaration order, UUIDs as their canonical text: <pre>
 * [1, sessionId, repoId, agentId, agentName, changesetId, intent, baseCommit, state, mode]
 * </pre> A change to the record gets a new format version rather than a reinterpretation
 * of this one.
 */
final class SnapshotCodec implements ValueCodec<WorkspaceSnapshot> {

	static final SnapshotCodec INSTANCE = new SnapshotCodec();

	private SnapshotCodec() {
	}

	@Override
	public byte[] encode(WorkspaceSnapshot snapshot) {
		return VersionedCborFormat.write(256, (generator) -> {
			generator.writeString(snapshot.sessionId().toString());
			generator.writeString(snapshot.repoId().toString());
			generator.writeString(snapshot.agentId());
			generator.writeString(snapshot.agentName());
			generator.writeString(snapshot.changesetId().toString());
			generator.writeString(snapshot.intent());
			generator.writeString(snapshot.baseCommit());
			generator.writeString(snapshot.state());
			generator.writeString(snapshot.mode());
		});
	}

	@Override
	public WorkspaceSnapshot decode(byte[] value) {
		JsonParser parser = VersionedCborFormat.open(value);
		WorkspaceSnapshot snapshot = new WorkspaceSnapshot(uuid(parser, "sessionId"), uuid(parser, "repoId"),
				text(parser, "agentId"), text(parser, "agentName"), uuid(parser, "changesetId"), text(parser, "intent"),
				text(parser, "baseCommit"), text(parser, "state"), text(parser, "mode"));
		VersionedCborFormat.close(parser);
		return snapshot;
	}

	private static String text(JsonParser parser, String component) {
		return VersionedCborFormat.readString(parser, component);
	}

	private static UUID uuid(JsonParser parser, String component) {
		String text = VersionedCborFormat.readString(parser, component);
		try {
			return UUID.fromString(text);
		}
		catch (IllegalArgumentException ex) {
			throw new UnreadableValueException(component + " is not a UUID", ex);
		}
	}

}
