package dev.workspacecache.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Reads what the report says about the machine: CPU model, processor counts, memory, OS,
 * JDK and load averages, from {@code /proc} and the JVM. Anything unreadable (another OS)
 * reads as {@code "unknown"}.
 */
final class MachineInfo {

	private static final String UNKNOWN = "unknown";

	private MachineInfo() {
	}

	static String cpuModel() {
		return procField(Path.of("/proc/cpuinfo"), "model name");
	}

	static String memory() {
		return procField(Path.of("/proc/meminfo"), "MemTotal");
	}

	static String nproc() {
		try {
			Process process = new ProcessBuilder("nproc").redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			process.waitFor(10, TimeUnit.SECONDS);
			return output.isEmpty() ? UNKNOWN : output;
		}
		catch (IOException ex) {
			return UNKNOWN;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return UNKNOWN;
		}
	}

	static String os() {
		String pretty = procField(Path.of("/etc/os-release"), "PRETTY_NAME");
		String name = UNKNOWN.equals(pretty) ? System.getProperty("os.name") : pretty.replace("\"", "");
		return name + " (" + System.getProperty("os.arch") + ", kernel " + System.getProperty("os.version") + ")";
	}

	static String jdk() {
		return System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
				+ System.getProperty("java.runtime.version");
	}

	/**
	 * The three load averages of {@code /proc/loadavg}, for example
	 * {@code "0.12 0.16 0.07"}.
	 */
	static String loadAverages() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException | RuntimeException ex) {
			return UNKNOWN;
		}
	}

	/** The 1-minute load average, or {@code NaN} when unknown. */
	static double oneMinuteLoad() {
		try {
			return Double.parseDouble(loadAverages().split(" ")[0]);
		}
		catch (NumberFormatException ex) {
			return Double.NaN;
		}
	}

	/**
	 * The versions of the libraries this jar was built with ({@code versions.properties},
	 * filtered by Maven).
	 * @return the versions by name, in name order; empty when the file is missing
	 */
	static Map<String, String> libraries() {
		Properties properties = new Properties();
		try (InputStream in = MachineInfo.class.getResourceAsStream("versions.properties")) {
			if (in != null) {
				properties.load(in);
			}
		}
		catch (IOException ex) {
			// Reported as no versions.
		}
		Map<String, String> versions = new TreeMap<>();
		properties.stringPropertyNames().forEach((name) -> versions.put(name, properties.getProperty(name)));
		return versions;
	}

	/**
	 * The value of the first {@code name: value} or {@code name=value} line of a file.
	 */
	private static String procField(Path file, String name) {
		try {
			List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
			for (String line : lines) {
				if (line.startsWith(name)) {
					int separator = line.indexOf(':');
					if (separator < 0) {
						separator = line.indexOf('=');
					}
					if (separator > 0) {
						return line.substring(separator + 1).trim();
					}
				}
			}
			return UNKNOWN;
		}
		catch (IOException | RuntimeException ex) {
			return UNKNOWN;
		}
	}

}
