package dev.workspacecache;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One write to a workspace, as
 * {@link WorkspaceCache#writeIfVersion(java.util.UUID, long, WorkspaceWrite)} applies it:
 * the same writes as the unconditional operations ({@code cacheWorkspace},
 * {@code cacheFile}, {@code cacheFiles}, {@code cacheGraph}, {@code cacheAll}), as a
 * value. Instances are immutable; paths and entries are validated by the cache, like
 * those of the unconditional operations.
 */
public sealed interface WorkspaceWrite
		permits WorkspaceWrite.Snapshot, WorkspaceWrite.Files, WorkspaceWrite.Graph, WorkspaceWrite.Whole {

	/**
	 * Return what this write changes, as its notification says.
	 * @return the kind of change
	 */
	WorkspaceChange.Kind kind();

	/**
	 * Replace the snapshot, as {@link WorkspaceCache#cacheWorkspace} does.
	 * @param snapshot the snapshot
	 * @return the write
	 */
	static WorkspaceWrite snapshot(WorkspaceSnapshot snapshot) {
		return new Snapshot(snapshot);
	}

	/**
	 * Store one overlay entry, as {@link WorkspaceCache#cacheFile} does.
	 * @param path the file path
	 * @param entry the entry
	 * @return the write
	 */
	static WorkspaceWrite file(String path, CachedOverlayEntry entry) {
		Objects.requireNonNull(path, "path must not be null");
		Objects.requireNonNull(entry, "entry must not be null");
		return new Files(Map.of(path, entry));
	}

	/**
	 * Store several overlay entries at once, as {@link WorkspaceCache#cacheFiles} does.
	 * @param entries the entries by path (copied, in their iteration order); not empty
	 * @return the write
	 */
	static WorkspaceWrite files(Map<String, CachedOverlayEntry> entries) {
		return new Files(entries);
	}

	/**
	 * Replace the graph, as {@link WorkspaceCache#cacheGraph} does.
	 * @param graphData the graph bytes (copied)
	 * @return the write
	 */
	static WorkspaceWrite graph(byte[] graphData) {
		return new Graph(graphData);
	}

	/**
	 * Replace the whole workspace, as {@link WorkspaceCache#cacheAll} does.
	 * @param workspace the workspace
	 * @return the write
	 */
	static WorkspaceWrite all(CachedWorkspace workspace) {
		return new Whole(workspace);
	}

	/**
	 * A write of the snapshot.
	 *
	 * @param snapshot the snapshot
	 */
	record Snapshot(WorkspaceSnapshot snapshot) implements WorkspaceWrite {

		/**
		 * Create the write.
		 * @param snapshot the snapshot
		 */
		public Snapshot {
			Objects.requireNonNull(snapshot, "snapshot must not be null");
		}

		@Override
		public WorkspaceChange.Kind kind() {
			return WorkspaceChange.Kind.SNAPSHOT;
		}

	}

	/**
	 * A write of overlay entries.
	 *
	 * @param entries the entries by path, unmodifiable, in the caller's order
	 */
	record Files(Map<String, CachedOverlayEntry> entries) implements WorkspaceWrite {

		/**
		 * Create the write.
		 * @param entries the entries by path (copied); not empty
		 */
		public Files {
			Objects.requireNonNull(entries, "entries must not be null");
			if (entries.isEmpty()) {
				throw new IllegalArgumentException("entries must not be empty: a write of no files changes nothing");
			}
			// Copied first, so that the cache validates and writes the same entries even
			// if the caller's map changes.
			Map<String, CachedOverlayEntry> copy = new LinkedHashMap<>(entries.size() * 2);
			entries.forEach((path, entry) -> {
				Objects.requireNonNull(path, "entries must not contain a null path");
				Objects.requireNonNull(entry, () -> "entries[" + path + "] must not be null");
				copy.put(path, entry);
			});
			entries = Collections.unmodifiableMap(copy);
		}

		@Override
		public WorkspaceChange.Kind kind() {
			return WorkspaceChange.Kind.FILES;
		}

	}

	/**
	 * A write of the graph. Equal to another when the bytes are equal.
	 *
	 * @param graphData the graph bytes; the accessor returns a copy
	 */
	record Graph(byte[] graphData) implements WorkspaceWrite {

		/**
		 * Create the write.
		 * @param graphData the graph bytes (copied)
		 */
		public Graph {
			graphData = Objects.requireNonNull(graphData, "graphData must not be null").clone();
		}

		@Override
		public byte[] graphData() {
			return this.graphData.clone();
		}

		/**
		 * Return the size of the graph without copying it.
		 * @return the number of bytes
		 */
		public int size() {
			return this.graphData.length;
		}

		@Override
		public WorkspaceChange.Kind kind() {
			return WorkspaceChange.Kind.GRAPH;
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return (this == other) || (other instanceof Graph that && Arrays.equals(this.graphData, that.graphData));
		}

		@Override
		public int hashCode() {
			return Arrays.hashCode(this.graphData);
		}

		@Override
		public String toString() {
			return "Graph[" + this.graphData.length + " bytes]";
		}

	}

	/**
	 * A write of the whole workspace.
	 *
	 * @param workspace the workspace
	 */
	record Whole(CachedWorkspace workspace) implements WorkspaceWrite {

		/**
		 * Create the write.
		 * @param workspace the workspace
		 */
		public Whole {
			Objects.requireNonNull(workspace, "workspace must not be null");
		}

		@Override
		public WorkspaceChange.Kind kind() {
			return WorkspaceChange.Kind.WORKSPACE;
		}

	}

}
