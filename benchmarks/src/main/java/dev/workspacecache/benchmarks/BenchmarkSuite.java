package dev.workspacecache.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import dev.workspacecache.testsupport.RedisServer;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The whole benchmark run, the main class of {@code benchmarks.jar}, which
 * {@code scripts/benchmark} runs. For each server binary given (by default the one the
 * tests would use: {@link RedisServer#findBinary()}), one pass: it starts ONE
 * {@code redis-server} or {@code valkey-server} on a free loopback port (the tests'
 * {@link RedisServer}), runs every JMH scenario against it in forked JVMs, then the
 * server's load generator ({@code redis-benchmark} / {@code valkey-benchmark}) and the
 * stored-size measurements against the same server, stops it, and writes
 * {@code <out>/benchmarks/<flavour>/results.json} (raw JMH JSON) and
 * {@code <out>/benchmarks/<flavour>/measurements.json}. Then {@link BenchmarkReport}
 * writes {@code <out>/BENCHMARKS.md} from every pass, the servers side by side. Results
 * of servers that this run does not measure are removed first, so that the report
 * describes one run.
 * <p>
 * Options: {@code --server PATH} (a server binary; repeatable, one pass each, in order);
 * {@code --out DIR} (default {@code docs}); {@code --quick} (no fork, one 1 s warm-up and
 * one 1 s measurement iteration: a smoke test, not for publishing);
 * {@code --include REGEX} (only matching benchmarks; repeatable);
 * {@code --prof NAME[:OPTIONS]} (a JMH profiler such as {@code gc}, {@code stack} or
 * {@code jfr}; repeatable); {@code --requests N} (the load generator's {@code -n},
 * default 200000, 20000 with {@code --quick}).
 */
public final class BenchmarkSuite {

	/** Every scenario's JMH benchmarks. */
	static final String ALL_BENCHMARKS = "dev\\.workspacecache\\.benchmarks\\."
			+ "(SingleFile|Recovery|SpringSession|EvictTouch|ConcurrentMix)Benchmark\\.";

	/**
	 * Heap of each forked benchmark JVM, fixed so that heap sizing does not vary between
	 * runs.
	 */
	static final List<String> FORK_HEAP = List.of("-Xms1g", "-Xmx1g");

	/** File of a pass's JMH results, in its directory. */
	static final String RESULTS = "results.json";

	/** File of a pass's other measurements, in its directory. */
	static final String MEASUREMENTS = "measurements.json";

	private BenchmarkSuite() {
	}

	public static void main(String[] args) throws IOException, RunnerException {
		Arguments arguments = Arguments.parse(args);
		List<Path> servers = arguments.servers.isEmpty() ? List.of(RedisServer.findBinary()) : arguments.servers;
		long startNanos = System.nanoTime();
		Path resultsDirectory = arguments.out.resolve("benchmarks");
		Files.createDirectories(resultsDirectory);
		removePreviousResults(resultsDirectory);
		Set<String> names = new HashSet<>();
		for (Path server : servers) {
			runPass(arguments, server, resultsDirectory, names);
		}
		Path report = BenchmarkReport.write(arguments.out);
		System.out.printf("Benchmarks done in %s: %s%n",
				Duration.ofSeconds(Math.round((System.nanoTime() - startNanos) / 1e9)), report);
	}

	/** Delete every pass's results, and those of the single-server layout before them. */
	private static void removePreviousResults(Path resultsDirectory) throws IOException {
		Files.deleteIfExists(resultsDirectory.resolve(RESULTS));
		Files.deleteIfExists(resultsDirectory.resolve(MEASUREMENTS));
		try (Stream<Path> children = Files.list(resultsDirectory)) {
			for (Path child : children.filter(Files::isDirectory).toList()) {
				if (Files.exists(child.resolve(MEASUREMENTS)) || Files.exists(child.resolve(RESULTS))) {
					Files.deleteIfExists(child.resolve(RESULTS));
					Files.deleteIfExists(child.resolve(MEASUREMENTS));
					try (Stream<Path> rest = Files.list(child)) {
						if (rest.findAny().isEmpty()) {
							Files.delete(child);
						}
					}
				}
			}
		}
	}

	private static void runPass(Arguments arguments, Path binary, Path resultsDirectory, Set<String> names)
			throws IOException, RunnerException {
		Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		long startNanos = System.nanoTime();
		String loadBefore = MachineInfo.loadAverages();
		SuiteMeasurements.Server serverInfo;
		SuiteMeasurements.RedisBenchmarkResult redisBenchmark;
		List<SuiteMeasurements.Footprint> footprints;
		SuiteMeasurements.WorkspaceFootprint workspaceFootprint;
		double loadDuringMax;
		Path directory;
		try (LoadSampler load = new LoadSampler(); RedisServer server = RedisServer.builder().binary(binary).start()) {
			String name = server.flavour();
			for (int i = 2; !names.add(name); i++) {
				name = server.flavour() + "-" + i;
			}
			directory = resultsDirectory.resolve(name);
			Files.createDirectories(directory);
			System.out.println("Benchmarking against " + server + " (load average before: " + loadBefore + ")");
			serverInfo = new SuiteMeasurements.Server(server.flavour(), server.version(), server.binary().toString(),
					"one process on " + server.host() + ", free port, no persistence (--save '' --appendonly no)");
			RedisBenchmarkTool redisBenchmarkTool = RedisBenchmarkTool.find(server.binary(), server.flavour());

			new Runner(jmhOptions(arguments, server, directory.resolve(RESULTS))).run();

			System.out.println("Running " + redisBenchmarkTool + " -c 16 -d 4096 -t get,set -n " + arguments.requests);
			redisBenchmark = redisBenchmarkTool.run(server.host(), server.port(), ConcurrentMixBenchmark.THREADS,
					ConcurrentMixBenchmark.SIZE, arguments.requests);
			System.out.printf("%s: SET %.0f/s, GET %.0f/s, 80/20 mix %.0f/s%n", redisBenchmark.tool(),
					redisBenchmark.setRps(), redisBenchmark.getRps(), redisBenchmark.mixedRps());

			try (BenchmarkConnection connection = BenchmarkConnection.open(server.host(), server.port())) {
				footprints = StorageFootprint.measure(connection);
				workspaceFootprint = StorageFootprint.measureWorkspace(connection);
			}
			loadDuringMax = load.max();
		}
		double wallSeconds = (System.nanoTime() - startNanos) / 1e9;
		SuiteMeasurements.Machine machine = new SuiteMeasurements.Machine(MachineInfo.cpuModel(),
				Runtime.getRuntime().availableProcessors(), MachineInfo.nproc(), MachineInfo.memory(), MachineInfo.os(),
				MachineInfo.jdk(), loadBefore, loadDuringMax, MachineInfo.loadAverages());
		new SuiteMeasurements(started.toString(), wallSeconds, arguments.quick, machine, serverInfo, redisBenchmark,
				footprints, workspaceFootprint, MachineInfo.libraries())
			.write(directory.resolve(MEASUREMENTS));
		System.out.printf("Pass against %s %s done in %s: %s%n", serverInfo.flavour(), serverInfo.version(),
				Duration.ofSeconds(Math.round(wallSeconds)), directory);
	}

	private static org.openjdk.jmh.runner.options.Options jmhOptions(Arguments arguments, RedisServer server,
			Path results) {
		ChainedOptionsBuilder options = new OptionsBuilder().resultFormat(ResultFormatType.JSON)
			.result(results.toString())
			.shouldFailOnError(true)
			.jvmArgsAppend(forkJvmArgs(server).toArray(String[]::new));
		if (arguments.includes.isEmpty()) {
			options.include(ALL_BENCHMARKS);
		}
		arguments.includes.forEach(options::include);
		for (String profiler : arguments.profilers) {
			int colon = profiler.indexOf(':');
			if (colon < 0) {
				options.addProfiler(profiler);
			}
			else {
				options.addProfiler(profiler.substring(0, colon), profiler.substring(colon + 1));
			}
		}
		if (arguments.quick) {
			// In this JVM, without forks: a smoke test of every scenario's set-up and
			// code path, in a few seconds each. The benchmarks read the server's address
			// from system properties.
			System.setProperty(BenchmarkConnection.HOST_PROPERTY, server.host());
			System.setProperty(BenchmarkConnection.PORT_PROPERTY, Integer.toString(server.port()));
			options.forks(0)
				.warmupIterations(1)
				.warmupTime(TimeValue.seconds(1))
				.measurementIterations(1)
				.measurementTime(TimeValue.seconds(1));
		}
		return options.build();
	}

	private static List<String> forkJvmArgs(RedisServer server) {
		List<String> jvmArgs = new ArrayList<>(FORK_HEAP);
		jvmArgs.add("-D" + BenchmarkConnection.HOST_PROPERTY + "=" + server.host());
		jvmArgs.add("-D" + BenchmarkConnection.PORT_PROPERTY + "=" + server.port());
		return jvmArgs;
	}

	/** The command line options. */
	private static final class Arguments {

		Path out = Path.of("docs");

		final List<Path> servers = new ArrayList<>();

		boolean quick;

		final List<String> includes = new ArrayList<>();

		final List<String> profilers = new ArrayList<>();

		/**
		 * The load generator's {@code -n}; 0 until given, then chosen by {@link #parse}.
		 */
		int requests;

		static Arguments parse(String[] args) {
			Arguments arguments = new Arguments();
			for (int i = 0; i < args.length; i++) {
				switch (args[i]) {
					case "--server" -> arguments.servers.add(Path.of(value(args, ++i)).toAbsolutePath());
					case "--out" -> arguments.out = Path.of(value(args, ++i));
					case "--quick" -> arguments.quick = true;
					case "--include" -> arguments.includes.add(value(args, ++i));
					case "--prof" -> arguments.profilers.add(value(args, ++i));
					case "--requests" -> arguments.requests = Integer.parseInt(value(args, ++i));
					default -> throw new IllegalArgumentException("Unknown option " + args[i]
							+ "; options: --server PATH, --out DIR, --quick, --include REGEX, --prof NAME[:OPTIONS],"
							+ " --requests N");
				}
			}
			if (arguments.requests <= 0) {
				arguments.requests = arguments.quick ? 20_000 : 200_000;
			}
			return arguments;
		}

		private static String value(String[] args, int index) {
			if (index >= args.length) {
				throw new IllegalArgumentException(args[index - 1] + " needs a value");
			}
			return args[index];
		}

	}

}
