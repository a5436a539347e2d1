package dev.workspacecache.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The Java source files of {@code org.springframework:spring-core}'s {@code -sources.jar}
 * as Maven Central serves it, which the build resolves as a dependency: real source code
 * that nobody here wrote, to measure what compression does to a workspace. Grouped by
 * directory, one workspace per Java package.
 */
public final class SpringCoreSources {

	/** A file only the sources jar has, not spring-core's own jar. */
	private static final String PROBE = "org/springframework/core/SpringVersion.java";

	private static final SortedMap<String, SortedMap<String, byte[]>> PACKAGES = load();

	private SpringCoreSources() {
	}

	/**
	 * Return the {@code .java} files of the sources jar by package: directory to path to
	 * content. The maps are read-only; the arrays are shared, so callers must not change
	 * them.
	 * @return every package with at least one file
	 */
	public static SortedMap<String, SortedMap<String, byte[]>> packages() {
		return PACKAGES;
	}

	/**
	 * Return the total size of the files, in bytes.
	 * @return the sum of the content lengths
	 */
	public static long totalBytes() {
		long total = 0;
		for (Map<String, byte[]> files : PACKAGES.values()) {
			for (byte[] content : files.values()) {
				total += content.length;
			}
		}
		return total;
	}

	private static SortedMap<String, SortedMap<String, byte[]>> load() {
		URL probe = SpringCoreSources.class.getClassLoader().getResource(PROBE);
		if (probe == null) {
			throw new IllegalStateException(
					"No " + PROBE + " on the classpath: org.springframework:spring-core:sources is a dependency of "
							+ "workspace-cache-test-support");
		}
		TreeMap<String, SortedMap<String, byte[]>> packages = new TreeMap<>();
		try {
			JarURLConnection connection = (JarURLConnection) probe.openConnection();
			connection.setUseCaches(false);
			try (JarFile jar = connection.getJarFile()) {
				Enumeration<JarEntry> entries = jar.entries();
				while (entries.hasMoreElements()) {
					JarEntry entry = entries.nextElement();
					String path = entry.getName();
					if (entry.isDirectory() || !path.endsWith(".java")) {
						continue;
					}
					int slash = path.lastIndexOf('/');
					String directory = (slash >= 0) ? path.substring(0, slash) : "";
					try (InputStream in = jar.getInputStream(entry)) {
						packages.computeIfAbsent(directory, (key) -> new TreeMap<>()).put(path, in.readAllBytes());
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the sources jar at " + probe, ex);
		}
		packages.replaceAll((directory, files) -> Collections.unmodifiableSortedMap(files));
		return Collections.unmodifiableSortedMap(packages);
	}

}
