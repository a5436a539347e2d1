package dev.workspacecache.valkey;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.workspacecache.WorkspaceChange;
import tools.jackson.core.JsonParser;

/**
 * Encodes the notification of a change, as published on a workspace's change channel
 * ({@link WorkspaceKeys#changes(UUID)}): <pre>
 * &lt;version&gt; ':' [1, kind: text, origin: text, count: int, path: text...]
 * </pre> The version is decimal ASCII, written by the script that makes the change
 * ({@link WorkspaceScripts}), because only the server knows it; the rest is versioned
 * CBOR ({@link VersionedCborFormat}) that the writer prepares: the kind by name
 * ({@link WorkspaceChange.Kind}), the instance that made the change, and the paths of the
 * files it wrote. The workspace is the one whose channel carried the message.
 */
final class ChangeMessageCodec {

	static final ChangeMessageCodec INSTANCE = new ChangeMessageCodec();

	private static final int MAX_VERSION_DIGITS = 19;

	private ChangeMessageCodec() {
	}

	/**
	 * Encode what the writer knows of a change: everything but its version.
	 * @param kind what the change changes
	 * @param paths the paths of the files it writes
	 * @param origin the instance that makes it
	 * @return the body the script publishes after the version
	 */
	byte[] encodeBody(WorkspaceChange.Kind kind, List<String> paths, String origin) {
		int sizeHint = 64;
		for (String path : paths) {
			sizeHint += path.length() + 3;
		}
		return VersionedCborFormat.write(sizeHint, (generator) -> {
			generator.writeString(kind.name());
			generator.writeString(origin);
			generator.writeNumber(paths.size());
			for (String path : paths) {
				generator.writeString(path);
			}
		});
	}

	/**
	 * Decode a message received on a workspace's change channel.
	 * @param workspaceId the workspace of the channel
	 * @param message the message
	 * @param instanceId the receiving instance, which tells its own changes apart
	 * @return the change
	 * @throws UnreadableValueException if the message is not a change notification this
	 * release reads
	 */
	WorkspaceChange decode(UUID workspaceId, byte[] message, String instanceId) {
		int colon = -1;
		for (int i = 0; i < Math.min(message.length, MAX_VERSION_DIGITS + 1); i++) {
			if (message[i] == ':') {
				colon = i;
				break;
			}
		}
		if (colon <= 0) {
			throw new UnreadableValueException("a change notification must start with its version and ':'");
		}
		long version;
		try {
			version = Long.parseLong(new String(message, 0, colon, StandardCharsets.US_ASCII));
		}
		catch (NumberFormatException ex) {
			throw new UnreadableValueException("a change notification's version is not a number", ex);
		}
		byte[] body = new byte[message.length - colon - 1];
		System.arraycopy(message, colon + 1, body, 0, body.length);
		JsonParser parser = VersionedCborFormat.open(body);
		WorkspaceChange.Kind kind;
		String kindName = VersionedCborFormat.readString(parser, "the kind of change");
		try {
			kind = WorkspaceChange.Kind.valueOf(kindName);
		}
		catch (IllegalArgumentException ex) {
			throw new UnreadableValueException("unknown kind of change '" + kindName + "'", ex);
		}
		String origin = VersionedCborFormat.readString(parser, "the origin");
		int count = VersionedCborFormat.readInt(parser, "the number of paths");
		if (count < 0 || count > body.length) {
			throw new UnreadableValueException("impossible number of paths " + count);
		}
		List<String> paths = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			paths.add(VersionedCborFormat.readString(parser, "a path"));
		}
		VersionedCborFormat.close(parser);
		return new WorkspaceChange(workspaceId, kind, paths, version, origin, origin.equals(instanceId));
	}

}
