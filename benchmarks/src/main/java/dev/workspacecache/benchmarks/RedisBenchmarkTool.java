package dev.workspacecache.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the server's own load generator, {@code valkey-benchmark} or
 * {@code redis-benchmark}, the baseline of scenario 5: {@code -c 16 -d 4096 -t get,set}
 * with a bounded request count.
 */
final class RedisBenchmarkTool {

	private static final long TIMEOUT_MINUTES = 5;

	private final Path executable;

	private RedisBenchmarkTool(Path executable) {
		this.executable = executable;
	}

	/**
	 * Find the load generator: the server's own ({@code valkey-benchmark} for Valkey,
	 * {@code redis-benchmark} for Redis), beside the server binary first (so that it
	 * matches the server), then on the {@code PATH}; the other flavour's only when the
	 * server's own is nowhere.
	 * @param serverBinary the server that runs
	 * @param flavour the server's flavour, {@code redis} or {@code valkey}
	 * @return the tool
	 * @throws IllegalStateException if there is none
	 */
	static RedisBenchmarkTool find(Path serverBinary, String flavour) {
		List<String> names = flavour.equalsIgnoreCase("valkey") ? List.of("valkey-benchmark", "redis-benchmark")
				: List.of("redis-benchmark", "valkey-benchmark");
		List<Path> directories = new ArrayList<>();
		if (serverBinary.getParent() != null) {
			directories.add(serverBinary.getParent());
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String directory : path.split(java.io.File.pathSeparator)) {
				if (!directory.isEmpty()) {
					directories.add(Path.of(directory));
				}
			}
		}
		for (String name : names) {
			for (Path directory : directories) {
				Path candidate = directory.resolve(name);
				if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
					return new RedisBenchmarkTool(candidate.toAbsolutePath());
				}
			}
		}
		throw new IllegalStateException("No valkey-benchmark or redis-benchmark beside " + serverBinary
				+ " or on the PATH: install one (Debian: `apt-get install -y redis-tools` or `valkey-tools`);"
				+ " scripts/benchmark does");
	}

	/**
	 * Run GET and SET against a server and parse the CSV it prints.
	 * @param host the server host
	 * @param port the server port
	 * @param clients the number of parallel connections ({@code -c})
	 * @param valueSize the value size ({@code -d})
	 * @param requests the number of requests of each test ({@code -n})
	 * @return requests per second of each command and of an 80/20 GET/SET mix
	 */
	SuiteMeasurements.RedisBenchmarkResult run(String host, int port, int clients, int valueSize, int requests) {
		List<String> command = List.of(this.executable.toString(), "-h", host, "-p", Integer.toString(port), "-c",
				Integer.toString(clients), "-d", Integer.toString(valueSize), "-t", "get,set", "-n",
				Integer.toString(requests), "--csv");
		String output;
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new IllegalStateException(
						String.join(" ", command) + " did not finish in " + TIMEOUT_MINUTES + " minutes");
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException(
						String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + this.executable + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + this.executable, ex);
		}
		double set = requestsPerSecond(output, "SET");
		double get = requestsPerSecond(output, "GET");
		double mixed = 1 / (0.8 / get + 0.2 / set);
		return new SuiteMeasurements.RedisBenchmarkResult(String.join(" ", command), set, get, mixed);
	}

	/** Parse a line like {@code "GET","92250.92",...} of the CSV output. */
	private static double requestsPerSecond(String output, String test) {
		for (String line : output.split("\\R")) {
			String[] fields = line.split(",");
			if (fields.length >= 2 && fields[0].replace("\"", "").equals(test)) {
				return Double.parseDouble(fields[1].replace("\"", ""));
			}
		}
		throw new IllegalStateException("No " + test + " result in redis-benchmark output:\n" + output);
	}

	@Override
	public String toString() {
		return this.executable.toString();
	}

}
