package dev.workspacecache.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The temporary directories of test processes and their files: created fresh, deleted
 * with everything in them afterwards.
 */
public final class TemporaryDirectories {

	private TemporaryDirectories() {
	}

	/**
	 * Create a new, empty temporary directory.
	 * @param prefix the start of its name, for example {@code "workspace-cache-redis-"}
	 * @return the directory
	 * @throws UncheckedIOException if it cannot be created
	 */
	public static Path create(String prefix) {
		try {
			return Files.createTempDirectory(prefix);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Delete a directory with everything in it; best effort, since a leftover temporary
	 * file must not fail a test.
	 * @param directory the directory to delete
	 */
	public static void delete(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException ex) {
					// Best effort: a leftover temporary file must not fail a test.
				}
			});
		}
		catch (IOException | UncheckedIOException ex) {
			// Best effort, as above.
		}
	}

}
