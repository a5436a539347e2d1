package dev.workspacecache;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The validation of the arguments of every cache operation, one set of rules and messages
 * for the blocking ({@link AbstractWorkspaceCache}) and the reactive
 * ({@link AbstractReactiveWorkspaceCache}) caches. Null checks of plain arguments stay
 * with the operations, which name their parameters.
 */
final class WorkspaceArguments {

	private final long maxEntrySize;

	WorkspaceArguments(long maxEntrySize) {
		if (maxEntrySize <= 0) {
			throw new IllegalArgumentException("maxEntrySize must be positive but was " + maxEntrySize);
		}
		this.maxEntrySize = maxEntrySize;
	}

	long maxEntrySize() {
		return this.maxEntrySize;
	}

	/**
	 * Check the entries of a batch and copy them: validation and write must see the same
	 * entries even if the caller's map changes concurrently, and a rejected batch must
	 * not write a prefix of itself.
	 * @param entries the entries by path
	 * @param name how the entries are named in messages, {@code entries} for example
	 * @return an unmodifiable copy, in the caller's order
	 */
	Map<String, CachedOverlayEntry> checkFiles(Map<String, CachedOverlayEntry> entries, String name) {
		Map<String, CachedOverlayEntry> copy = new LinkedHashMap<>(entries.size() * 2);
		entries.forEach((path, entry) -> {
			checkPath(path, name + " key");
			checkEntry(entry, name + "[" + path + "]", path);
			copy.put(path, entry);
		});
		return Collections.unmodifiableMap(copy);
	}

	/**
	 * Check every file and the graph of a whole workspace. {@link CachedWorkspace} is
	 * immutable, so what is checked is what is written.
	 * @param workspace the workspace
	 * @param name how the workspace is named in messages
	 */
	void checkWorkspace(CachedWorkspace workspace, String name) {
		workspace.files().forEach((path, entry) -> {
			checkPath(path, name + ".files() key");
			checkEntry(entry, name + ".files()[" + path + "]", path);
		});
		checkGraphSize(workspace.graphSize(), name + ".graph()");
	}

	/**
	 * Check a conditional write. The writes are immutable (entries copied in), so what is
	 * checked is what is written.
	 * @param expectedVersion the expected version
	 * @param write the write
	 */
	void checkConditionalWrite(long expectedVersion, WorkspaceWrite write) {
		if (expectedVersion < 0) {
			throw new IllegalArgumentException("expectedVersion must not be negative but was " + expectedVersion);
		}
		if (write instanceof WorkspaceWrite.Files files) {
			checkFiles(files.entries(), "write.entries()");
		}
		else if (write instanceof WorkspaceWrite.Graph graph) {
			checkGraphSize(graph.size(), "write.graphData()");
		}
		else if (write instanceof WorkspaceWrite.Whole whole) {
			checkWorkspace(whole.workspace(), "write.workspace()");
		}
	}

	void checkGraphSize(int size, String name) {
		if (size > this.maxEntrySize) {
			throw new IllegalArgumentException(
					name + " is " + size + " bytes, over the maximum entry size of " + this.maxEntrySize + " bytes");
		}
	}

	static void checkPath(String path, String name) {
		Objects.requireNonNull(path, () -> name + " must not be null");
		if (path.isEmpty()) {
			throw new IllegalArgumentException(name + " must not be empty");
		}
		if (path.length() > WorkspaceCache.MAX_PATH_LENGTH) {
			throw new IllegalArgumentException(name + " is " + path.length() + " characters long, over the limit of "
					+ WorkspaceCache.MAX_PATH_LENGTH);
		}
		// A lone surrogate has no UTF-8 form: two different paths would be stored as the
		// same bytes.
		for (int i = 0; i < path.length(); i++) {
			char c = path.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < path.length() && Character.isLowSurrogate(path.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				throw new IllegalArgumentException(name + " has an unpaired surrogate character at index " + i);
			}
		}
	}

	void checkEntry(CachedOverlayEntry entry, String name, String path) {
		Objects.requireNonNull(entry, () -> name + " must not be null");
		long size = (entry instanceof CachedOverlayEntry.WithContent withContent) ? withContent.size() : 0;
		if (size > this.maxEntrySize) {
			throw new IllegalArgumentException("content of '" + abbreviate(path) + "' is " + size
					+ " bytes, over the maximum entry size of " + this.maxEntrySize + " bytes");
		}
	}

	private static String abbreviate(String path) {
		return (path.length() <= 200) ? path : path.substring(0, 200) + "...";
	}

}
