package dev.workspacecache.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import dev.workspacecache.testsupport.Jvm;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pods of an end-to-end test: instances of the packaged sample app, started at once
 * as separate processes, stopped together after the test class, and whose logs are
 * printed when a test fails. Register it as a static {@code @RegisterExtension} field.
 * <p>
 * The jar is the one Maven's {@code package} phase built; failsafe passes its path in the
 * {@value #JAR_PROPERTY} system property, and the directory for the pods' logs in
 * {@value #LOGS_PROPERTY}.
 */
final class SamplePods implements AfterAllCallback, TestWatcher {

	static final String JAR_PROPERTY = "sample-app.jar";

	static final String LOGS_PROPERTY = "sample-app.logs";

	/**
	 * Generous: several JVMs start at once, on CI machines with as little as two cores.
	 */
	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

	private final List<SamplePod> pods = new ArrayList<>();

	/**
	 * Start pods at once and wait until each is healthy.
	 * @param pods the name and arguments of each pod
	 * @return the pods, healthy, in the order given
	 * @throws Exception the first failure to start, with the others suppressed in it; the
	 * pods that did start are stopped after the test class all the same
	 */
	List<SamplePod> start(Pod... pods) throws Exception {
		Path jar = jar();
		Path logs = logDirectory();
		ExecutorService starter = Executors.newFixedThreadPool(pods.length);
		try {
			List<Future<SamplePod>> starting = new ArrayList<>();
			for (Pod pod : pods) {
				starting.add(starter.submit(() -> started(
						SamplePod.start(pod.name(), pod.jvm(), jar, logs, STARTUP_TIMEOUT, pod.arguments()))));
			}
			return awaitAll(starting);
		}
		finally {
			starter.shutdownNow();
		}
	}

	/**
	 * Describe a pod to start on the Java running the tests.
	 * @param name the pod's name, for its log file and messages
	 * @param arguments the app's arguments, besides {@code --server.port}
	 * @return the pod's description
	 */
	static Pod pod(String name, List<String> arguments) {
		return pod(name, Jvm.current(), arguments);
	}

	/**
	 * Describe a pod to start on a given Java.
	 * @param name the pod's name, for its log file and messages
	 * @param jvm the Java to run it on, and its JVM options
	 * @param arguments the app's arguments, besides {@code --server.port}
	 * @return the pod's description
	 */
	static Pod pod(String name, Jvm jvm, List<String> arguments) {
		return new Pod(name, jvm, List.copyOf(arguments));
	}

	private SamplePod started(SamplePod pod) {
		synchronized (this.pods) {
			this.pods.add(pod);
		}
		return pod;
	}

	/**
	 * Wait for every pod to start or fail, so that none is still starting, unknown to
	 * {@link #afterAll}, when a failure of another one ends the test.
	 */
	private static List<SamplePod> awaitAll(Iterable<Future<SamplePod>> starting) throws Exception {
		List<SamplePod> started = new ArrayList<>();
		Throwable failure = null;
		for (Future<SamplePod> pod : starting) {
			try {
				started.add(pod.get());
			}
			catch (ExecutionException ex) {
				if (failure == null) {
					failure = ex.getCause();
				}
				else {
					failure.addSuppressed(ex.getCause());
				}
			}
		}
		if (failure instanceof Error error) {
			throw error;
		}
		if (failure != null) {
			throw (Exception) failure;
		}
		return started;
	}

	private static Path jar() {
		String jarPath = System.getProperty(JAR_PROPERTY);
		assertThat(jarPath).as("system property %s (set by failsafe: run `./mvnw verify`)", JAR_PROPERTY).isNotBlank();
		Path jar = Path.of(jarPath);
		assertThat(jar).as("the packaged sample app").isRegularFile();
		return jar;
	}

	static Path logDirectory() {
		try {
			return Files.createDirectories(Path.of(System.getProperty(LOGS_PROPERTY, "target/sample-pod-logs")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A pod to start: its name, its Java and its arguments.
	 *
	 * @param name the pod's name
	 * @param jvm the Java to run it on, and its JVM options
	 * @param arguments the app's arguments
	 */
	record Pod(String name, Jvm jvm, List<String> arguments) {

	}

	@Override
	public void testFailed(ExtensionContext context, Throwable cause) {
		synchronized (this.pods) {
			this.pods.forEach(SamplePod::printLog);
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stop();
	}

	/**
	 * Stop every pod started so far, before the test class ends: between the invocations
	 * of a parameterized class, for instance.
	 */
	void stop() {
		synchronized (this.pods) {
			this.pods.forEach(SamplePod::close);
			this.pods.clear();
		}
	}

}
