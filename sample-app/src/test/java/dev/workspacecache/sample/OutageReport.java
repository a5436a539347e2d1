package dev.workspacecache.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one outage scenario: request latency and throughput before, during and
 * after the outage, and how long the cache took to serve again once its server was back.
 * Written as a Markdown table row, for the logs of CI and for the notes; tests assert the
 * behaviour, never these timings.
 *
 * @param scenario what happened to the server
 * @param server the server, for example {@code valkey 8.0.1}
 * @param before the requests started before the outage
 * @param during the requests started during it
 * @param after the requests started once the server was back
 * @param servingAgainAfter how long after the server was back the cache served again, or
 * {@code null} if the pod's log did not say
 */
record OutageReport(String scenario, String server, Phase before, Phase during, Phase after,
		Duration servingAgainAfter) {

	static final String HEADER = """
			| server | scenario | phase | requests | req/s | p50 ms | p99 ms | max ms | not 200 |
			|---|---|---|---|---|---|---|---|---|
			""";

	/**
	 * Return the throughput during the outage as a ratio of the throughput before it.
	 * @return the ratio
	 */
	double throughputRatio() {
		return this.during.perSecond() / this.before.perSecond();
	}

	String toMarkdown() {
		StringBuilder rows = new StringBuilder();
		for (Phase phase : List.of(this.before, this.during, this.after)) {
			rows.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.0f | %.1f | %.1f | %.1f | %d |%n",
					this.server, this.scenario, phase.name(), phase.requests(), phase.perSecond(), phase.p50Millis(),
					phase.p99Millis(), phase.maxMillis(), phase.failed()));
		}
		rows.append(String.format(Locale.ROOT,
				"%n%s, %s: throughput during the outage %.2fx the throughput before; cache serving again %s after "
						+ "the server was back%n",
				this.server, this.scenario, throughputRatio(),
				(this.servingAgainAfter != null) ? this.servingAgainAfter.toMillis() + " ms" : "(not logged)"));
		return rows.toString();
	}

	/**
	 * Append this report to a file, with the table header when the file is new.
	 * @param file the report file
	 */
	void appendTo(Path file) {
		ReportFile.append(file, HEADER, toMarkdown());
	}

	/**
	 * The requests of one phase.
	 *
	 * @param name the phase
	 * @param requests how many requests started in it
	 * @param perSecond how many per second of the phase
	 * @param p50Millis the median latency
	 * @param p99Millis the 99th percentile of latency
	 * @param maxMillis the largest latency
	 * @param failed how many were not answered with 200
	 */
	record Phase(String name, int requests, double perSecond, double p50Millis, double p99Millis, double maxMillis,
			long failed) {

		/**
		 * Summarize the requests that started in {@code [fromNanos, toNanos)}.
		 * @param name the phase
		 * @param requests every request of the scenario
		 * @param fromNanos start of the phase, in {@link System#nanoTime()}
		 * @param toNanos end of the phase
		 * @return the phase's figures
		 */
		static Phase of(String name, List<FileWriteLoad.Request> requests, long fromNanos, long toNanos) {
			List<FileWriteLoad.Request> inPhase = requests.stream()
				.filter((request) -> request.startNanos() - fromNanos >= 0 && request.startNanos() - toNanos < 0)
				.toList();
			long[] latencies = inPhase.stream().mapToLong(FileWriteLoad.Request::latencyNanos).sorted().toArray();
			double seconds = (toNanos - fromNanos) / 1e9;
			long failed = inPhase.stream().filter((request) -> request.status() != 200).count();
			return new Phase(name, latencies.length, latencies.length / seconds, percentile(latencies, 0.50),
					percentile(latencies, 0.99), (latencies.length > 0) ? latencies[latencies.length - 1] / 1e6 : 0,
					failed);
		}

		private static double percentile(long[] sorted, double quantile) {
			if (sorted.length == 0) {
				return 0;
			}
			int index = (int) Math.ceil(quantile * sorted.length) - 1;
			return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
		}

	}

}
