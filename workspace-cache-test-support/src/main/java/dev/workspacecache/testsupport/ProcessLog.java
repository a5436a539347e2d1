package dev.workspacecache.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The log file of a process a test started: read while it runs, to see whether it is
 * ready, and quoted when it fails, so that a failure message says why.
 */
public final class ProcessLog {

	private final Path file;

	/**
	 * Create a view of a log file, which need not exist yet.
	 * @param file the file the process writes
	 */
	public ProcessLog(Path file) {
		this.file = file;
	}

	/**
	 * Return the log file.
	 * @return the path
	 */
	public Path file() {
		return this.file;
	}

	/**
	 * Return the whole log so far.
	 * @return the text, empty when the file does not exist (yet)
	 * @throws UncheckedIOException if it exists but cannot be read
	 */
	public String read() {
		try {
			return Files.exists(this.file) ? Files.readString(this.file, StandardCharsets.UTF_8) : "";
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + this.file, ex);
		}
	}

	/**
	 * Return whether the log contains a text; {@code false} while it cannot be read.
	 * @param text the text to look for
	 * @return whether the log has it
	 */
	public boolean contains(String text) {
		try {
			return read().contains(text);
		}
		catch (UncheckedIOException ex) {
			return false;
		}
	}

	/**
	 * Return the last lines of the log, for a failure message.
	 * @param lines how many lines at most
	 * @return the lines after a heading that names the file and starting with a line
	 * break; empty when the file does not exist or is empty
	 */
	public String tail(int lines) {
		try {
			if (!Files.exists(this.file)) {
				return "";
			}
			List<String> all = Files.readAllLines(this.file, StandardCharsets.UTF_8);
			if (all.isEmpty()) {
				return "";
			}
			List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
			return "\n--- last lines of " + this.file + " ---\n" + String.join("\n", tail);
		}
		catch (IOException | UncheckedIOException ex) {
			return "\n(could not read " + this.file + ": " + ex.getMessage() + ")";
		}
	}

	@Override
	public String toString() {
		return this.file.toString();
	}

}
