package dev.workspacecache;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A whole workspace: its snapshot, its whole overlay and its graph, as
 * {@link WorkspaceCache#recover(java.util.UUID)} reads them and
 * {@link WorkspaceCache#cacheAll(java.util.UUID, CachedWorkspace)} writes them, at once.
 * <p>
 * Value semantics, like {@link CachedOverlayEntry}: two workspaces are equal when their
 * snapshots, overlays (path by path) and graph bytes are equal, whatever their
 * {@link #version() versions}, so that a workspace read back equals the one written.
 * Instances are immutable: the overlay is copied in, and the graph is copied in and out.
 * {@link #toString()} shows sizes, never content.
 */
public final class CachedWorkspace {

	private final WorkspaceSnapshot snapshot;

	private final Map<String, CachedOverlayEntry> files;

	private final byte @Nullable [] graph;

	private final long version;

	private CachedWorkspace(WorkspaceSnapshot snapshot, Map<String, CachedOverlayEntry> files, byte @Nullable [] graph,
			long version) {
		this.snapshot = snapshot;
		this.files = files;
		this.graph = graph;
		this.version = version;
	}

	/**
	 * Create a workspace from its parts.
	 * @param snapshot the snapshot
	 * @param files the overlay, by path, in any order (copied; may be empty); paths and
	 * entries are validated by the cache that stores the workspace
	 * @param graph the serialised session graph (copied), or {@code null} when the
	 * workspace has none
	 * @return the workspace
	 */
	public static CachedWorkspace of(WorkspaceSnapshot snapshot, Map<String, CachedOverlayEntry> files,
			byte @Nullable [] graph) {
		Objects.requireNonNull(snapshot, "snapshot must not be null");
		Objects.requireNonNull(files, "files must not be null");
		return new CachedWorkspace(snapshot, PathOrderedOverlay.copyOf(files), (graph != null) ? graph.clone() : null,
				0);
	}

	/**
	 * Return this workspace as read at a version of the cache. Caches call this when they
	 * {@link WorkspaceCache#recover(java.util.UUID) recover} a workspace; parts are
	 * shared, not copied, as the instance is immutable.
	 * @param version the version, not negative
	 * @return the workspace at that version
	 */
	public CachedWorkspace withVersion(long version) {
		if (version < 0) {
			throw new IllegalArgumentException("version must not be negative but was " + version);
		}
		return (version == this.version) ? this : new CachedWorkspace(this.snapshot, this.files, this.graph, version);
	}

	/**
	 * Return the snapshot of the workspace's metadata.
	 * @return the snapshot
	 */
	public WorkspaceSnapshot snapshot() {
		return this.snapshot;
	}

	/**
	 * Return the overlay.
	 * @return an unmodifiable map from path to entry, iterating in lexicographic path
	 * order
	 */
	public Map<String, CachedOverlayEntry> files() {
		return this.files;
	}

	/**
	 * Return the serialised session graph.
	 * @return a copy of the graph bytes, or empty when the workspace has no graph
	 */
	public Optional<byte[]> graph() {
		return (this.graph != null) ? Optional.of(this.graph.clone()) : Optional.empty();
	}

	/**
	 * Return the version of the cache this workspace was read at: what a write made
	 * conditional on it expects
	 * ({@link WorkspaceCache#writeIfVersion(java.util.UUID, long, WorkspaceWrite)}).
	 * @return the version; {@code 0} for a workspace that was not read from a cache
	 */
	public long version() {
		return this.version;
	}

	/**
	 * Return the size of the graph without copying it.
	 * @return the number of graph bytes, or {@code -1} when the workspace has no graph
	 */
	public int graphSize() {
		return (this.graph != null) ? this.graph.length : -1;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other) || (other instanceof CachedWorkspace that && this.snapshot.equals(that.snapshot)
				&& this.files.equals(that.files) && Arrays.equals(this.graph, that.graph));
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.snapshot, this.files, Arrays.hashCode(this.graph));
	}

	@Override
	public String toString() {
		return "CachedWorkspace[sessionId=" + this.snapshot.sessionId() + ", version=" + this.version + ", files="
				+ this.files.size() + ", graph=" + ((this.graph != null) ? this.graph.length + " bytes" : "none") + "]";
	}

}
