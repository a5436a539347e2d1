package dev.workspacecache.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The Java an {@link AppProcess} runs on: a {@code java} binary, its feature release and
 * the JVM options it is started with.
 *
 * @param java the {@code java} binary
 * @param feature its feature release ({@code 17}, {@code 25}, ...)
 * @param options the JVM options, before {@code -jar}
 */
public record Jvm(Path java, int feature, List<String> options) {

	/**
	 * Where Debian and Ubuntu install JDKs, Temurin's packages included.
	 */
	private static final Path DEBIAN_JVMS = Path.of("/usr/lib/jvm");

	/**
	 * Create an instance.
	 * @param java the {@code java} binary
	 * @param feature its feature release
	 * @param options the JVM options
	 */
	public Jvm {
		options = List.copyOf(options);
	}

	/**
	 * Return the Java running the tests, so that applications run on the same Java as the
	 * build.
	 * @return the current Java, without options
	 */
	public static Jvm current() {
		Path java = ProcessHandle.current()
			.info()
			.command()
			.map(Path::of)
			.orElseGet(() -> javaIn(Path.of(System.getProperty("java.home"))));
		return new Jvm(java, Runtime.version().feature(), List.of());
	}

	/**
	 * Return a Java of at least a feature release: the one running the tests when it is
	 * recent enough, else the newest JDK installed in {@code JAVA_HOME} or
	 * {@code /usr/lib/jvm}.
	 * @param minimum the oldest feature release accepted, {@code 21} for virtual threads
	 * for instance
	 * @return that Java, without options
	 * @throws AssertionError if there is none, saying where it looked
	 */
	public static Jvm atLeast(int minimum) {
		Jvm current = current();
		if (current.feature() >= minimum) {
			return current;
		}
		List<Path> homes = candidateHomes();
		return homes.stream()
			.map(Jvm::installedIn)
			.flatMap(Optional::stream)
			.filter((jvm) -> jvm.feature() >= minimum)
			.max(Comparator.comparingInt(Jvm::feature))
			.orElseThrow(() -> new AssertionError("This test needs Java " + minimum
					+ " or newer. The tests run on Java " + current.feature() + " (" + current.java()
					+ "), and none of " + homes + " is a JDK " + minimum
					+ "+. Install one in /usr/lib/jvm (Temurin 25: apt-get install "
					+ "temurin-25-jdk from packages.adoptium.net) or run the build on it (JAVA_HOME=... ./mvnw verify)."));
	}

	/**
	 * Return this Java with more JVM options.
	 * @param options the options to add
	 * @return a copy with the options added after this one's
	 */
	public Jvm withOptions(String... options) {
		List<String> all = new ArrayList<>(this.options);
		all.addAll(List.of(options));
		return new Jvm(this.java, this.feature, all);
	}

	private static List<Path> candidateHomes() {
		List<Path> homes = new ArrayList<>();
		String javaHome = System.getenv("JAVA_HOME");
		if (javaHome != null && !javaHome.isBlank()) {
			homes.add(Path.of(javaHome));
		}
		if (Files.isDirectory(DEBIAN_JVMS)) {
			try (Stream<Path> installed = Files.list(DEBIAN_JVMS)) {
				installed.sorted().forEach(homes::add);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return homes;
	}

	// A JDK says its version in its release file: JAVA_VERSION="25.0.1".
	private static Optional<Jvm> installedIn(Path home) {
		Path release = home.resolve("release");
		Path java = javaIn(home);
		if (!Files.isRegularFile(release) || !Files.isExecutable(java)) {
			return Optional.empty();
		}
		Properties properties = new Properties();
		try (var reader = Files.newBufferedReader(release)) {
			properties.load(reader);
		}
		catch (IOException ex) {
			return Optional.empty();
		}
		String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
		try {
			return Optional.of(new Jvm(java, Runtime.Version.parse(version).feature(), List.of()));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	private static Path javaIn(Path home) {
		return home.resolve("bin").resolve("java");
	}

}
