package dev.workspacecache.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import dev.workspacecache.testsupport.RedisServer;

/**
 * The whole benchmark run, the main class of {@code benchmarks.jar}, which
 * {@code scripts/benchmark} runs: starts ONE {@code redis-server}/{@code valkey-server} on a free
 * loopback port (the tests' {@link RedisServer}, same discovery), runs every JMH scenario against
 * it in forked JVMs, then {@code redis-benchmark} and the stored-size measurements against the same
 * server, stops it, and writes {@code <out>/benchmarks/results.json} (raw JMH JSON),
 * {@code <out>/benchmarks/measurements.json} and, through {@link BenchmarkReport},
 * {@code <out>/BENCHMARKS.md}.
 * <p>
 * Options: {@code --out DIR} (default {@code docs}); {@code --quick} (1 s iterations, a smoke test,
 * not for publishing); {@code --include REGEX} (only matching benchmarks; repeatable);
 * {@code --prof NAME[:OPTIONS]} (a JMH profiler such as {@code gc}, {@code stack} or {@code jfr};
 * repeatable); {@code --requests N} ({@code redis-benchmark -n}, default 200000).
 */
public final class BenchmarkSuite {

	/** Every scenario's JMH benchmarks. */
	static final String ALL_BENCHMARKS = "dev\\.workspacecache\\.benchmarks\\.(SingleFile|Recovery|EvictTouch|ConcurrentMix)Benchmark\\.";

	/** Heap of each forked benchmark JVM, fixed so that heap sizing does not vary between runs. */
	static final List<String> FORK_HEAP = List.of("-Xms1g", "-Xmx1g");

	private BenchmarkSuite() {
	}

	public static void main(String[] args) throws IOException, RunnerException {
		Arguments arguments = Arguments.parse(args);
		Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		long startNanos = System.nanoTime();
		String loadBefore = MachineInfo.loadAverages();
		Path resultsDirectory = arguments.out.resolve("benchmarks");
		Files.createDirectories(resultsDirectory);
		Path jmhResults = resultsDirectory.resolve("results.json");

		SuiteMeasurements.Server serverInfo;
		SuiteMeasurements.RedisBenchmarkResult redisBenchmark;
		List<SuiteMeasurements.Footprint> footprints;
		double loadDuringMax;
		try (LoadSampler load = new LoadSampler(); RedisServer server = RedisServer.builder().start()) {
			System.out.println("Benchmarking against " + server + " (load average before: " + loadBefore + ")");
			serverInfo = new SuiteMeasurements.Server(server.flavour(), server.version(), server.binary().toString(),
					"one process on " + server.host() + ", free port, no persistence (--save '' --appendonly no)");
			RedisBenchmarkTool redisBenchmarkTool = RedisBenchmarkTool.find(server.binary());

			new Runner(jmhOptions(arguments, server, jmhResults)).run();

			System.out.println("Running redis-benchmark -c 16 -d 4096 -t get,set -n " + arguments.requests);
			redisBenchmark = redisBenchmarkTool.run(server.host(), server.port(), ConcurrentMixBenchmark.THREADS,
					ConcurrentMixBenchmark.SIZE, arguments.requests);
			System.out.printf("redis-benchmark: SET %.0f/s, GET %.0f/s, 80/20 mix %.0f/s%n", redisBenchmark.setRps(),
					redisBenchmark.getRps(), redisBenchmark.mixedRps());

			try (BenchmarkConnection connection = BenchmarkConnection.open(server.host(), server.port())) {
				footprints = StorageFootprint.measure(connection);
			}
			loadDuringMax = load.max();
		}
		double wallSeconds = (System.nanoTime() - startNanos) / 1e9;
		SuiteMeasurements.Machine machine = new SuiteMeasurements.Machine(MachineInfo.cpuModel(),
				Runtime.getRuntime().availableProcessors(), MachineInfo.nproc(), MachineInfo.memory(), MachineInfo.os(),
				MachineInfo.jdk(), loadBefore, loadDuringMax, MachineInfo.loadAverages());
		new SuiteMeasurements(started.toString(), wallSeconds, arguments.quick, machine, serverInfo, redisBenchmark,
				footprints)
			.write(resultsDirectory.resolve("measurements.json"));
		Path report = BenchmarkReport.write(arguments.out);
		System.out.printf("Benchmarks done in %s: %s, %s%n", Duration.ofSeconds(Math.round(wallSeconds)), report,
				jmhResults);
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
			options.warmupIterations(1)
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

		boolean quick;

		final List<String> includes = new ArrayList<>();

		final List<String> profilers = new ArrayList<>();

		int requests = 200_000;

		static Arguments parse(String[] args) {
			Arguments arguments = new Arguments();
			for (int i = 0; i < args.length; i++) {
				switch (args[i]) {
					case "--out" -> arguments.out = Path.of(value(args, ++i));
					case "--quick" -> arguments.quick = true;
					case "--include" -> arguments.includes.add(value(args, ++i));
					case "--prof" -> arguments.profilers.add(value(args, ++i));
					case "--requests" -> arguments.requests = Integer.parseInt(value(args, ++i));
					default -> throw new IllegalArgumentException("Unknown option " + args[i]
							+ "; options: --out DIR, --quick, --include REGEX, --prof NAME[:OPTIONS], --requests N");
				}
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
