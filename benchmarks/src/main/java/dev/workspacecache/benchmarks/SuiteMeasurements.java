package dev.workspacecache.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one server's pass of a suite run measured outside JMH, written beside JMH's own
 * results as {@code docs/benchmarks/<server>/measurements.json}: the machine, the server,
 * the server's load generator (scenario 5) and the stored sizes (scenario 6).
 *
 * @param startedAt when the pass started, ISO-8601
 * @param wallSeconds how long the pass ran, server start to stop
 * @param quick whether the run used the short smoke-test timings (not for publishing)
 * @param machine the machine it ran on
 * @param server the server it ran against
 * @param redisBenchmark the {@code redis-benchmark} / {@code valkey-benchmark} run of
 * scenario 5
 * @param footprints scenario 6, one per content size
 * @param workspaceFootprint scenario 6, a whole workspace in each store
 * @param libraries the versions of the libraries the benchmarks were built with, by name
 * ({@code lettuce}, {@code spring-session}, ...)
 */
public record SuiteMeasurements(String startedAt, double wallSeconds, boolean quick, Machine machine, Server server,
		RedisBenchmarkResult redisBenchmark, List<Footprint> footprints, WorkspaceFootprint workspaceFootprint,
		Map<String, String> libraries) {

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
	 * @param loadDuringMax the highest 1-minute load average sampled during the run,
	 * which includes the benchmark's own load
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
	 * A {@code redis-benchmark} or {@code valkey-benchmark} run.
	 *
	 * @param command the command line
	 * @param setRps SET requests per second
	 * @param getRps GET requests per second
	 * @param mixedRps the 80% GET / 20% SET mix, {@code 1 / (0.8 / get + 0.2 / set)}
	 */
	public record RedisBenchmarkResult(String command, double setRps, double getRps, double mixedRps) {

		/**
		 * Return the name of the tool that ran.
		 * @return for example {@code valkey-benchmark}
		 */
		public String tool() {
			String executable = this.command.split(" ", 2)[0];
			return executable.substring(executable.lastIndexOf('/') + 1);
		}

	}

	/**
	 * Stored size of one file entry (scenario 6).
	 *
	 * @param contentBytes content size
	 * @param hashBytes hash length
	 * @param pathBytes path length (UTF-8)
	 * @param fieldBytes length of the hash field our cache stores the entry under, as the
	 * server returned it
	 * @param storedValueBytes our stored value, {@code HSTRLEN}
	 * @param ourKeyMemoryUsage {@code MEMORY USAGE} of our workspace key holding only
	 * this entry
	 * @param rawContentMemoryUsage {@code MEMORY USAGE} of a plain string key holding
	 * only the content, what a user storing raw bytes pays
	 * @param originalMemoryUsage {@code MEMORY USAGE} of the original design's file key
	 * plus its path set, holding the same value
	 */
	public record Footprint(int contentBytes, int hashBytes, int pathBytes, int fieldBytes, long storedValueBytes,
			long ourKeyMemoryUsage, long rawContentMemoryUsage, long originalMemoryUsage) {

		/**
		 * Return the bytes our entry stores beyond its content, hash and path: the
		 * value's framing and the field name's tag.
		 * @return the overhead
		 */
		public long overheadBytes() {
			return this.storedValueBytes + this.fieldBytes - this.contentBytes - this.hashBytes - this.pathBytes;
		}

	}

	/**
	 * Memory the server uses for one whole workspace (scenario 6),
	 * {@code MEMORY USAGE ... SAMPLES 0} summed over the keys of each layout.
	 *
	 * @param files the number of files, 1 KiB each
	 * @param contentBytes file contents plus graph, the payload
	 * @param ours our one key, written with {@code cacheAll}
	 * @param original the original design's keys (snapshot, graph, path set, one per
	 * file)
	 * @param springSessionJdk a Spring Session holding the workspace, Java serialization
	 * @param springSessionJson a Spring Session holding the workspace, JSON
	 */
	public record WorkspaceFootprint(int files, long contentBytes, long ours, long original, long springSessionJdk,
			long springSessionJson) {
	}

}
