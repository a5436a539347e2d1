package dev.workspacecache.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A Markdown report under {@code target/} that the ITs append their figures to, one table
 * per file, for the logs of CI and for the notes.
 */
final class ReportFile {

	private ReportFile() {
	}

	/**
	 * Append rows to a report, with the table header when the file is new.
	 * @param file the report file
	 * @param header the table header
	 * @param rows the rows
	 */
	static void append(Path file, String header, String rows) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			String text = (Files.exists(file) ? "" : header) + rows;
			Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
