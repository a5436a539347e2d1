package dev.workspacecache;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What a cache holds for one workspace, told without reading its content: which parts it
 * has, how many files, how many bytes and how long it has left to live. Returned by
 * {@link WorkspaceCache#describe(java.util.UUID)}, for operators (the
 * {@code workspacecache} actuator endpoint) rather than for sessions: it never carries a
 * path, a file's content, the snapshot or the graph.
 *
 * @param snapshot whether the workspace's snapshot is cached
 * @param graph whether its session graph is cached
 * @param files the number of overlay entries cached (deleted files included)
 * @param bytes the size of its cached values, as this cache holds them: the encoded
 * values in {@code valkey} mode (snapshot, graph and entries, without field names); the
 * file contents and the graph in {@code memory} mode, where the snapshot is an object and
 * counts for nothing
 * @param timeToLive how long the workspace has left to live, or {@code null} when it does
 * not expire
 */
public record WorkspaceDescription(boolean snapshot, boolean graph, int files, long bytes,
		@Nullable Duration timeToLive) {

	/**
	 * Create a description.
	 * @param snapshot whether the snapshot is cached
	 * @param graph whether the graph is cached
	 * @param files the number of overlay entries, not negative
	 * @param bytes the size of the cached values, not negative
	 * @param timeToLive the time left, or {@code null} when the workspace does not expire
	 */
	public WorkspaceDescription {
		if (files < 0 || bytes < 0) {
			throw new IllegalArgumentException(
					"files and bytes must not be negative but were " + files + " and " + bytes);
		}
	}

}
