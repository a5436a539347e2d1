package dev.workspacecache.sample.session;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.WorkspaceWrite;

/**
 * One change a request makes to a session, prepared from the copy this pod holds before
 * it is written to the cache and applied to that copy. When the cache refuses it because
 * another pod wrote first, the request prepares it again from the revalidated copy: a
 * write of a file that another pod has just deleted becomes {@code Modified} (the base
 * commit has the file), not {@code Added}.
 */
sealed interface SessionChange {

	/**
	 * Return the change as a write to the cache.
	 * @return the write
	 */
	WorkspaceWrite write();

	/**
	 * Prepare a write of a file's content.
	 * @param session the session, inside a change
	 * @param path the file path
	 * @param content the new content
	 * @return the change
	 */
	static File written(LiveSession session, OverlayPath path, byte[] content) {
		return new File(path, OverlayEntries.written(session.entry(path), content));
	}

	/**
	 * Prepare the deletion of a file.
	 * @param path the file path
	 * @return the change
	 */
	static File deleted(OverlayPath path) {
		return new File(path, new CachedOverlayEntry.Deleted());
	}

	/**
	 * A change of one file.
	 *
	 * @param path the file path
	 * @param entry the entry recorded for it
	 */
	record File(OverlayPath path, CachedOverlayEntry entry) implements SessionChange {

		@Override
		public WorkspaceWrite write() {
			return WorkspaceWrite.file(this.path.value(), this.entry);
		}

	}

	/**
	 * A replacement of the graph.
	 *
	 * @param graph the new graph bytes; neither copied in nor out, as the change never
	 * leaves the service
	 */
	record Graph(byte[] graph) implements SessionChange {

		@Override
		public WorkspaceWrite write() {
			return WorkspaceWrite.graph(this.graph);
		}

	}

}
