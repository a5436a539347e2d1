package dev.workspacecache.sample.session;

import dev.workspacecache.WorkspaceCache;
import org.jspecify.annotations.Nullable;

/**
 * The path of a file in a session's overlay: relative, {@code /}-separated, made of
 * non-empty segments other than {@code .} and {@code ..}, at most
 * {@link WorkspaceCache#MAX_PATH_LENGTH} characters. Any other character is allowed,
 * spaces and non-ASCII included.
 * <p>
 * Rejecting empty and dot segments keeps one file from having several names
 * ({@code a//b}, {@code a/./b}, {@code a/b}), which the overlay, a plain map from path to
 * entry, could not tell apart.
 *
 * @param value the path, for example {@code src/main/notes café.txt}
 */
public record OverlayPath(String value) {

	public OverlayPath {
		String problem = problemWith(value);
		if (problem != null) {
			throw new InvalidFilePathException(value, problem);
		}
	}

	private static @Nullable String problemWith(String value) {
		if (value.isEmpty()) {
			return "the file path is empty";
		}
		if (value.length() > WorkspaceCache.MAX_PATH_LENGTH) {
			return "the file path is " + value.length() + " characters long, over the limit of "
					+ WorkspaceCache.MAX_PATH_LENGTH;
		}
		for (String segment : value.split("/", -1)) {
			if (segment.isEmpty()) {
				return "the file path has an empty segment (a leading, trailing or doubled '/')";
			}
			if (segment.equals(".") || segment.equals("..")) {
				return "the file path has a '" + segment + "' segment; paths are relative to the session root";
			}
		}
		return null;
	}

	@Override
	public String toString() {
		return this.value;
	}

}
