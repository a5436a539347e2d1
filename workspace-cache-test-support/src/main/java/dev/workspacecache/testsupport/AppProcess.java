package dev.workspacecache.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A packaged Spring Boot application run with {@code java -jar} as a separate JVM, the
 * way a pod of a deployment runs it: on a free loopback port, its output in a log file
 * that failure messages quote, stopped with SIGTERM as Kubernetes stops a pod. It must
 * have Actuator's health endpoint: {@link #start} returns once {@code /actuator/health}
 * reports {@code UP}.
 */
public final class AppProcess extends ManagedProcess {

	private static final int MAX_LAUNCHES = 3;

	private static final int LOG_TAIL_LINES = 60;

	private static final Duration HEALTH_REQUEST_TIMEOUT = Duration.ofSeconds(5);

	private final int port;

	/*
	 * Keeps connections alive between requests, as a client of a real service does. A
	 * request that finds its pooled connection closed by the app at that moment is
	 * retried by the JDK only if it is a GET or HEAD, unless the JVM runs with
	 * -Djdk.httpclient.enableAllMethodRetry=true, as sample-app's integration tests do.
	 */
	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private AppProcess(String name, Process process, int port, Path log) {
		super(name, process, null, new ProcessLog(log));
		this.port = port;
	}

	/**
	 * Start the application on a free port and wait until {@code /actuator/health}
	 * reports {@code UP}.
	 * @param name the application's name, for its log file ({@code <name>.log}) and
	 * messages
	 * @param jar the Spring Boot jar
	 * @param logDirectory where the log file goes; it is kept after the process stops
	 * @param startupTimeout how long to wait for the application to be healthy
	 * @param arguments the application's arguments, besides {@code --server.port}
	 * @return the healthy application; the caller must {@link #close()} it
	 * @throws AssertionError if the application exits or is not healthy in time, with the
	 * end of its log
	 */
	public static AppProcess start(String name, Path jar, Path logDirectory, Duration startupTimeout,
			List<String> arguments) {
		return start(name, Jvm.current(), jar, logDirectory, startupTimeout, arguments);
	}

	/**
	 * Start the application on a given Java, on a free port, and wait until
	 * {@code /actuator/health} reports {@code UP}.
	 * @param name the application's name, for its log file ({@code <name>.log}) and
	 * messages
	 * @param jvm the Java to run it on, and its JVM options
	 * @param jar the Spring Boot jar
	 * @param logDirectory where the log file goes; it is kept after the process stops
	 * @param startupTimeout how long to wait for the application to be healthy
	 * @param arguments the application's arguments, besides {@code --server.port}
	 * @return the healthy application; the caller must {@link #close()} it
	 * @throws AssertionError if the application exits or is not healthy in time, with the
	 * end of its log
	 */
	public static AppProcess start(String name, Jvm jvm, Path jar, Path logDirectory, Duration startupTimeout,
			List<String> arguments) {
		for (int launch = 1;; launch++) {
			AppProcess app = launch(name, jvm, jar, logDirectory, arguments);
			try {
				app.awaitHealthy(startupTimeout);
				return app;
			}
			catch (PortTakenException ex) {
				// The free port was taken between our probe and the application's bind:
				// try another one.
				app.close();
				if (launch == MAX_LAUNCHES) {
					throw new AssertionError(name + " could not bind a free port in " + MAX_LAUNCHES + " tries", ex);
				}
			}
			catch (RuntimeException | Error ex) {
				app.close();
				throw ex;
			}
		}
	}

	private static AppProcess launch(String name, Jvm jvm, Path jar, Path logDirectory, List<String> arguments) {
		int port = FreePorts.any();
		Path log = logDirectory.resolve(name + ".log");
		List<String> command = new ArrayList<>();
		command.add(jvm.java().toString());
		// Several JVMs start at once on small CI machines: the C1 compiler alone starts
		// them faster, and a bounded heap keeps them from crowding each other out. The
		// Jvm's own options come after, so that they win (a measurement wants C2).
		command.addAll(List.of("-XX:TieredStopAtLevel=1", "-Xmx256m"));
		command.addAll(jvm.options());
		command.addAll(List.of("-jar", jar.toString()));
		command.add("--server.port=" + port);
		command.addAll(arguments);
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			return new AppProcess(name, process, port, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command, ex);
		}
	}

	/**
	 * Return the port the application listens on.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return the HTTP client the health checks use, for the test's own requests.
	 * @return an HTTP/1.1 client with a short connect timeout
	 */
	public HttpClient http() {
		return this.http;
	}

	/**
	 * Return the URI of a path of the application.
	 * @param path the path and query, already percent-encoded, starting with {@code /}
	 * @return for example {@code http://127.0.0.1:41234/actuator/health}
	 */
	public URI uri(String path) {
		return URI.create("http://" + FreePorts.HOST + ":" + this.port + path);
	}

	/**
	 * Wait until {@code /actuator/health} reports {@code UP}, which includes every health
	 * indicator of the application, its Redis connection for instance.
	 * @param timeout how long to wait
	 * @throws AssertionError if the application exits or is not healthy in time, with the
	 * end of its log
	 */
	public void awaitHealthy(Duration timeout) {
		try {
			Awaitility.await(name() + " to report UP on /actuator/health")
				.atMost(timeout)
				.pollInterval(Duration.ofMillis(250))
				.until(this::isUp);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(name() + " was not healthy within " + timeout.toSeconds() + " s" + logTail(), ex);
		}
	}

	private boolean isUp() {
		if (!isRunning()) {
			String log = logTail();
			if (log.contains("Port " + this.port + " was already in use")) {
				throw new PortTakenException();
			}
			throw new AssertionError(name() + " exited with code " + exitValue() + log);
		}
		try {
			HttpResponse<String> health = this.http.send(
					HttpRequest.newBuilder(uri("/actuator/health")).timeout(HEALTH_REQUEST_TIMEOUT).GET().build(),
					BodyHandlers.ofString());
			return health.statusCode() == 200 && health.body().contains("\"status\":\"UP\"");
		}
		catch (IOException ex) {
			// Not listening yet.
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Print the application's whole log, to explain a failure.
	 */
	public void printLog() {
		System.out.println("===== log of " + name() + " (" + log() + ") =====");
		try {
			System.out.println(log().read());
		}
		catch (UncheckedIOException ex) {
			System.out.println("(could not read " + log() + ": " + ex.getMessage() + ")");
		}
	}

	/**
	 * Return the end of the log, for a failure message.
	 * @return the last lines, starting with a line break
	 */
	public String logTail() {
		return log().tail(LOG_TAIL_LINES);
	}

	@Override
	public String toString() {
		return name() + " on port " + this.port;
	}

	private static final class PortTakenException extends RuntimeException {

	}

}
