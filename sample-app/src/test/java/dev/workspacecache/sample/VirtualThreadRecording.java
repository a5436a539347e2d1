package dev.workspacecache.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.workspacecache.testsupport.Jvm;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Java Flight Recorder recording of a JVM's virtual threads, written to a file when the
 * JVM exits: every {@value #PINNED} event (a virtual thread that blocked while it could
 * not leave its carrier thread), however short, and every {@value #STARTED} event.
 * Recorded and read with the JDK the JVM runs on (its {@code jfr} tool), so that the JDK
 * running the tests need not read a newer JDK's recordings.
 * <p>
 * On JDK 24 and newer a virtual thread blocking in {@code synchronized} or
 * {@code Object.wait} no longer pins its carrier (JEP 491); it still does while a native
 * frame or a class initializer is on its stack. JDK 21 to 23 also pin in
 * {@code synchronized}.
 */
final class VirtualThreadRecording {

	static final String PINNED = "jdk.VirtualThreadPinned";

	static final String STARTED = "jdk.VirtualThreadStart";

	private static final int STACK_DEPTH = 30;

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Jvm jvm;

	private final Path file;

	/**
	 * Create a recording of JVMs started on a Java.
	 * @param jvm the Java the recorded JVM runs on, 21 or newer
	 * @param file where the JVM writes the recording when it exits
	 */
	VirtualThreadRecording(Jvm jvm, Path file) {
		this.jvm = jvm;
		this.file = file;
	}

	Path file() {
		return this.file;
	}

	/**
	 * Return the Java to start the recorded JVM with: this recording's Java with the
	 * options that record.
	 * @return the Java with the recording's options
	 */
	Jvm recordingJvm() {
		// Only these two events (settings=none), with no threshold: a pin of any length
		// counts.
		return this.jvm
			.withOptions("-XX:StartFlightRecording=filename=" + this.file + ",dumponexit=true,settings=none,+" + PINNED
					+ "#enabled=true,+" + PINNED + "#threshold=0ms,+" + STARTED + "#enabled=true");
	}

	/**
	 * Return how many events of a type the recording holds, once the recorded JVM has
	 * exited.
	 * @param eventType {@link #STARTED} for instance
	 * @return the count
	 */
	long count(String eventType) {
		String summary = jfr("summary", this.file.toString());
		// " jdk.VirtualThreadPinned 3 276": name, count, size.
		return summary.lines()
			.map(String::trim)
			.filter((line) -> line.startsWith(eventType + " "))
			.map((line) -> Long.parseLong(line.split("\\s+")[1]))
			.findFirst()
			.orElseThrow(() -> new AssertionError(
					"No " + eventType + " line in the summary of " + this.file + ":\n" + summary));
	}

	/**
	 * Return when each {@value #PINNED} event of the recording started, once the recorded
	 * JVM has exited.
	 * @return the start of each pin, in the recording's order
	 */
	List<Instant> pinned() {
		JsonNode recording = json
			.readTree(jfr("print", "--json", "--stack-depth", "1", "--events", PINNED, this.file.toString()));
		return recording.get("recording")
			.get("events")
			.valueStream()
			.map((event) -> Instant.parse(event.get("values").get("startTime").asString()))
			.toList();
	}

	/**
	 * Return the {@value #PINNED} events as the {@code jfr} tool prints them, with their
	 * stack traces, to explain a failure.
	 * @return the events
	 */
	String printPinned() {
		return jfr("print", "--stack-depth", Integer.toString(STACK_DEPTH), "--events", PINNED, this.file.toString());
	}

	private String jfr(String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(this.jvm.java().resolveSibling("jfr").toString());
		command.addAll(List.of(arguments));
		try {
			Process jfr = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(jfr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(jfr.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
			assertThat(jfr.exitValue()).as("exit code of %s, which said:%n%s", command, output).isZero();
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + command, ex);
		}
	}

}
