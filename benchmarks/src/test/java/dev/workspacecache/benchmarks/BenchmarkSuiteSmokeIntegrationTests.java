package dev.workspacecache.benchmarks;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Benchmark;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark suite's quick run ({@code --quick}: in this JVM, one 1 s iteration per
 * benchmark) against the server the tests use: every benchmark's set-up checks, its code
 * path and the report writer, so that a change to the cache that breaks a benchmark fails
 * the build rather than the next {@code scripts/benchmark}. Nothing here is a
 * measurement.
 */
class BenchmarkSuiteSmokeIntegrationTests {

	/** The scenarios {@link BenchmarkSuite#ALL_BENCHMARKS} runs. */
	private static final List<Class<?>> SCENARIOS = List.of(SingleFileBenchmark.class, RecoveryBenchmark.class,
			SpringSessionBenchmark.class, EvictTouchBenchmark.class, ConcurrentMixBenchmark.class);

	@Test
	void everyBenchmarkRunsAndTheReportIsWritten(@TempDir Path out) throws Exception {
		BenchmarkSuite.main(new String[] { "--quick", "--out", out.toString() });
		Path results;
		try (Stream<Path> files = Files.walk(out.resolve("benchmarks"))) {
			results = files.filter((file) -> file.endsWith(BenchmarkSuite.RESULTS)).findFirst().orElseThrow();
		}
		JsonNode runs = JsonMapper.builder().build().readTree(results.toFile());
		List<String> measured = new ArrayList<>();
		for (JsonNode run : runs) {
			String name = run.get("benchmark").asString();
			assertThat(run.get("primaryMetric").get("score").asDouble()).as("score of %s", name).isPositive();
			measured.add(name);
		}
		assertThat(measured).containsAll(benchmarkMethods());
		assertThat(results.resolveSibling(BenchmarkSuite.MEASUREMENTS)).isNotEmptyFile();
		assertThat(out.resolve("BENCHMARKS.md")).isNotEmptyFile();
	}

	private static List<String> benchmarkMethods() {
		List<String> names = new ArrayList<>();
		for (Class<?> scenario : SCENARIOS) {
			assertThat(scenario.getName() + ".").matches(BenchmarkSuite.ALL_BENCHMARKS + ".*");
			for (Method method : scenario.getMethods()) {
				if (method.isAnnotationPresent(Benchmark.class)) {
					names.add(scenario.getName() + "." + method.getName());
				}
			}
		}
		assertThat(names).hasSizeGreaterThan(SCENARIOS.size());
		return names;
	}

}
