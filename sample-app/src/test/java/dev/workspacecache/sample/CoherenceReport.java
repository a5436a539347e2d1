package dev.workspacecache.sample;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;

/**
 * The figures of one scenario of {@link CrossPodCoherenceIT}: how many rounds ran, how
 * many reads were stale and how many acknowledged writes were lost (the counts the test
 * asserts), and timings (which it does not assert: they depend on the machine). Written
 * as a Markdown table row, for the logs of CI and for the notes.
 *
 * @param server the server, for example {@code valkey 8.0.1}
 * @param scenario what was measured
 * @param rounds how many rounds ran
 * @param staleReads how many reads returned an older version than the write before them
 * @param lostUpdates how many acknowledged writes are neither in the final state nor
 * followed by a later acknowledged write to the same path
 * @param notAcknowledged how many requests were answered with anything but 200
 * @param timing what the latencies are of
 * @param latencies the latencies
 * @param note anything else worth quoting
 */
record CoherenceReport(String server, String scenario, int rounds, long staleReads, long lostUpdates,
		long notAcknowledged, String timing, Latencies latencies, String note) {

	static final String HEADER = """
			| server | scenario | rounds | stale reads | lost updates | not 200 | timing | p50 ms | p99 ms | max ms | note |
			|---|---|---|---|---|---|---|---|---|---|---|
			""";

	String toMarkdown() {
		return String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %s | %.1f | %.1f | %.1f | %s; %s |%n",
				this.server, this.scenario, this.rounds, this.staleReads, this.lostUpdates, this.notAcknowledged,
				this.timing, this.latencies.p50Millis(), this.latencies.p99Millis(), this.latencies.maxMillis(),
				this.note, machineLoad());
	}

	// Timings, and how late a notification can be, depend on what else the machine runs.
	private static String machineLoad() {
		OperatingSystemMXBean system = ManagementFactory.getOperatingSystemMXBean();
		return String.format(Locale.ROOT, "load average %.1f on %d CPUs", system.getSystemLoadAverage(),
				system.getAvailableProcessors());
	}

	/**
	 * Print this report and append it to a file, with the table header when the file is
	 * new.
	 * @param file the report file
	 */
	void publish(Path file) {
		System.out.print(HEADER + toMarkdown());
		ReportFile.append(file, HEADER, toMarkdown());
	}

	/**
	 * Percentiles of a set of durations.
	 *
	 * @param p50Millis the median
	 * @param p99Millis the 99th percentile
	 * @param maxMillis the largest
	 */
	record Latencies(double p50Millis, double p99Millis, double maxMillis) {

		static Latencies of(Collection<Long> nanos) {
			long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
			if (sorted.length == 0) {
				return new Latencies(0, 0, 0);
			}
			return new Latencies(percentile(sorted, 0.50), percentile(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
		}

		private static double percentile(long[] sorted, double quantile) {
			int index = (int) Math.ceil(quantile * sorted.length) - 1;
			return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
		}

	}

}
