package dev.workspacecache.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The results of a JMH run, read from its JSON output, looked up by {@code Class.method}
 * and parameters.
 */
final class JmhResults {

	private final List<Result> results;

	private JmhResults(List<Result> results) {
		this.results = results;
	}

	static JmhResults read(Path file) {
		if (!Files.exists(file)) {
			return new JmhResults(List.of());
		}
		JsonNode root = JsonMapper.builder().build().readTree(file.toFile());
		List<Result> results = new ArrayList<>();
		for (JsonNode node : root) {
			String benchmark = node.get("benchmark").asString();
			String[] parts = benchmark.split("\\.");
			String name = parts[parts.length - 2] + "." + parts[parts.length - 1];
			Map<String, String> params = new TreeMap<>();
			JsonNode paramsNode = node.get("params");
			if (paramsNode != null) {
				paramsNode.properties().forEach((entry) -> params.put(entry.getKey(), entry.getValue().asString()));
			}
			JsonNode metric = node.get("primaryMetric");
			double error = metric.get("scoreError").isNumber() ? metric.get("scoreError").asDouble() : Double.NaN;
			List<Double> iterations = new ArrayList<>();
			for (JsonNode fork : metric.get("rawData")) {
				fork.forEach((iteration) -> iterations.add(iteration.asDouble()));
			}
			results.add(new Result(name, params, node.get("mode").asString(), node.get("threads").asInt(),
					metric.get("score").asDouble(), error, median(iterations), metric.get("scoreUnit").asString(),
					node.get("forks").asInt(), node.get("warmupIterations").asInt(), node.get("warmupTime").asString(),
					node.get("measurementIterations").asInt(), node.get("measurementTime").asString(),
					node.get("jdkVersion").asString()));
		}
		return new JmhResults(results);
	}

	private static double median(List<Double> values) {
		if (values.isEmpty()) {
			return Double.NaN;
		}
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	/**
	 * Find a result.
	 * @param name {@code Class.method}, for example
	 * {@code "SingleFileBenchmark.ours_getFile"}
	 * @param params {@code "name=value"} pairs the result must have
	 * @return the result, if that benchmark ran
	 */
	Optional<Result> find(String name, String... params) {
		return this.results.stream().filter((result) -> result.name.equals(name) && result.has(params)).findFirst();
	}

	List<Result> all() {
		return this.results;
	}

	/**
	 * One benchmark result.
	 *
	 * @param name {@code Class.method}
	 * @param params the parameters
	 * @param mode {@code thrpt} or {@code avgt}
	 * @param threads the number of threads
	 * @param score the mean score
	 * @param error the half-width of the 99.9% confidence interval ({@code NaN} with too
	 * few iterations)
	 * @param median the median of the measurement iterations, less sensitive than the
	 * mean to an iteration disturbed by another process on a shared machine
	 * @param unit the score's unit
	 * @param forks forks run
	 * @param warmupIterations warm-up iterations
	 * @param warmupTime time of each warm-up iteration
	 * @param measurementIterations measurement iterations
	 * @param measurementTime time of each measurement iteration
	 * @param jdkVersion the JDK of the fork
	 */
	record Result(String name, Map<String, String> params, String mode, int threads, double score, double error,
			double median, String unit, int forks, int warmupIterations, String warmupTime, int measurementIterations,
			String measurementTime, String jdkVersion) {

		boolean has(String... pairs) {
			for (String pair : pairs) {
				String[] keyValue = pair.split("=", 2);
				if (!keyValue[1].equals(this.params.get(keyValue[0]))) {
					return false;
				}
			}
			return true;
		}

	}

}
