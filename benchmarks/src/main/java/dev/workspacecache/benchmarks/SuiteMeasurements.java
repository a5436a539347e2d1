package dev.workspacecache.benchmarks;

import java.nio.file.Path;
import java.util.List;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a suite run measured outside JMH, written beside JMH's own results as
 * {@code docs/benchmarks/measurements.json}: the machine, the server, {@code redis-benchmark}
 * (scenario 4) and the stored sizes (scenario 5).
 *
 * @param startedAt when the run started, ISO-8601
 * @param wallSeconds how long the suite ran, server start to stop
 * @param quick whether the run used the short smoke-test timings (not for publishing)
 * @param machine the machine it ran on
 * @param server the server it ran against
 * @param redisBenchmark the {@code redis-benchmark} run of scenario 4
 * @param footprints scenario 5, one per content size
 */
public record SuiteMeasurements(String startedAt, double wallSeconds, boolean quick, Machine machine, Server server,
		RedisBenchmarkResult redisBenchmark, List<Footprint> footprints) {

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	/**
	 * Write these measurements as JSON.
	 * @param file the file to write
	 */
	public void write(Path file) {
		JSON.writeValue(file.toFile(), this);
	}

	/**
	 * Read measurements written by {@link #write}.
	 * @param file the file to read
	 * @return the measurements
	 */
	public static SuiteMeasurements read(Path file) {
		return JSON.readValue(file.toFile(), SuiteMeasurements.class);
	}

	/**
	 * The machine.
	 *
	 * @param cpuModel the CPU model from {@code /proc/cpuinfo}
	 * @param availableProcessors what the JVM sees
	 * @param nproc what {@code nproc} prints
	 * @param memory total memory from {@code /proc/meminfo}
	 * @param os the operating system
	 * @param jdk the JDK that ran the benchmarks
	 * @param loadBefore {@code /proc/loadavg} before the run (1, 5, 15 minutes)
	 * @param loadDuringMax the highest 1-minute load average sampled during the run, which
	 * includes the benchmark's own load
	 * @param loadAfter {@code /proc/loadavg} after the run
	 */
	public record Machine(String cpuModel, int availableProcessors, String nproc, String memory, String os, String jdk,
			String loadBefore, double loadDuringMax, String loadAfter) {
	}

	/**
	 * The server.
	 *
	 * @param flavour {@code redis} or {@code valkey}
	 * @param version its version
	 * @param binary the binary that was started
	 * @param configuration how it was started
	 */
	public record Server(String flavour, String version, String binary, String configuration) {
	}

	/**
	 * A {@code redis-benchmark} run.
	 *
	 * @param command the command line
	 * @param setRps SET requests per second
	 * @param getRps GET requests per second
	 * @param mixedRps the 80% GET / 20% SET mix, {@code 1 / (0.8 / get + 0.2 / set)}
	 */
	public record RedisBenchmarkResult(String command, double setRps, double getRps, double mixedRps) {
	}

	/**
	 * Stored size of one file entry (scenario 5).
	 *
	 * @param contentBytes content size
	 * @param hashBytes hash length
	 * @param pathBytes path length (UTF-8), the field name in our overlay hash
	 * @param storedValueBytes our stored value, {@code HSTRLEN}
	 * @param ourKeyMemoryUsage {@code MEMORY USAGE} of our overlay hash holding only this entry
	 * @param rawContentMemoryUsage {@code MEMORY USAGE} of a plain string key holding only the
	 * content, what a user storing raw bytes pays
	 * @param originalMemoryUsage {@code MEMORY USAGE} of the original design's file key plus its
	 * path set, holding the same value
	 */
	public record Footprint(int contentBytes, int hashBytes, int pathBytes, long storedValueBytes,
			long ourKeyMemoryUsage, long rawContentMemoryUsage, long originalMemoryUsage) {

		/**
		 * Return the bytes our entry stores beyond its content, hash and path.
		 * @return the framing overhead
		 */
		public long overheadBytes() {
			return this.storedValueBytes - this.contentBytes - this.hashBytes;
		}

	}

}
