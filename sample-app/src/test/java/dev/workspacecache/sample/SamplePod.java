package dev.workspacecache.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One instance of the packaged sample app, run with {@code java -jar} as a separate
 * process, the way a pod of a deployment runs it. Its output goes to a log file, shown
 * when something fails.
 */
final class SamplePod implements AutoCloseable {

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

	private static final int MAX_LAUNCHES = 3;

	private static final int LOG_TAIL_LINES = 60;

	private final String name;

	private final Process process;

	private final int port;

	private final Path log;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private SamplePod(String name, Process process, int port, Path log) {
		this.name = name;
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/**
	 * Start the app on a free port and wait until {@code /actuator/health} reports
	 * {@code UP}.
	 * @param name the pod's name, for its log file and messages
	 * @param jar the Spring Boot jar of the app
	 * @param logDirectory where the log file goes
	 * @param startupTimeout how long to wait for the app to be healthy
	 * @param arguments the app's arguments, besides {@code --server.port}
	 * @return the healthy pod
	 * @throws AssertionError if the app exits or is not healthy in time, with the end of
	 * its log
	 */
	static SamplePod start(String name, Path jar, Path logDirectory, Duration startupTimeout, List<String> arguments)
			throws IOException {
		for (int launch = 1;; launch++) {
			SamplePod pod = launch(name, jar, logDirectory, arguments);
			try {
				pod.awaitHealthy(startupTimeout);
				return pod;
			}
			catch (PortTakenException ex) {
				// The free port was taken between our probe and the app's bind: try
				// another one.
				pod.close();
				if (launch == MAX_LAUNCHES) {
					throw new AssertionError(name + " could not bind a free port in " + MAX_LAUNCHES + " tries", ex);
				}
			}
			catch (RuntimeException | Error ex) {
				pod.close();
				throw ex;
			}
		}
	}

	private static SamplePod launch(String name, Path jar, Path logDirectory, List<String> arguments)
			throws IOException {
		int port = freePort();
		Path log = logDirectory.resolve(name + ".log");
		List<String> command = new ArrayList<>();
		command.add(javaBinary());
		// Several JVMs start at once on small CI machines: the C1 compiler alone starts
		// them
		// faster, and a bounded heap keeps them from crowding each other out.
		command.addAll(List.of("-XX:TieredStopAtLevel=1", "-Xmx256m", "-jar", jar.toString()));
		command.add("--server.port=" + port);
		command.addAll(arguments);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		return new SamplePod(name, process, port, log);
	}

	/**
	 * Return the {@code java} of the JVM running the tests, so that the pods run on the
	 * same Java as the build.
	 */
	private static String javaBinary() {
		return ProcessHandle.current()
			.info()
			.command()
			.orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Wait until {@code /actuator/health} reports {@code UP}: in {@code valkey} mode,
	 * that includes the pod's Redis connection, the one its cache uses.
	 * @param timeout how long to wait
	 * @throws AssertionError if the app exits or is not healthy in time, with the end of
	 * its log
	 */
	void awaitHealthy(Duration timeout) {
		try {
			Awaitility.await(this.name + " to report UP on /actuator/health")
				.atMost(timeout)
				.pollInterval(Duration.ofMillis(250))
				.until(this::isUp);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(this.name + " was not healthy within " + timeout.toSeconds() + " s" + logTail(),
					ex);
		}
	}

	private boolean isUp() {
		if (!this.process.isAlive()) {
			String log = logTail();
			if (log.contains("Port " + this.port + " was already in use")) {
				throw new PortTakenException();
			}
			throw new AssertionError(this.name + " exited with code " + this.process.exitValue() + log);
		}
		try {
			HttpResponse<byte[]> health = send("GET", "/actuator/health", null);
			return health.statusCode() == 200 && text(health).contains("\"status\":\"UP\"");
		}
		catch (IOException ex) {
			// Not listening yet.
			return false;
		}
	}

	String name() {
		return this.name;
	}

	HttpResponse<byte[]> get(String path) throws IOException {
		return send("GET", path, null);
	}

	HttpResponse<byte[]> put(String path, byte[] body) throws IOException {
		return send("PUT", path, body);
	}

	HttpResponse<byte[]> postJson(String path, String json) throws IOException {
		HttpRequest request = request(path).header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(json, StandardCharsets.UTF_8))
			.build();
		return send(request);
	}

	HttpResponse<byte[]> delete(String path) throws IOException {
		return send("DELETE", path, null);
	}

	/**
	 * Send a request.
	 * @param method the HTTP method
	 * @param path the path and query, already percent-encoded
	 * @param body the body, sent as {@code application/octet-stream}, or {@code null}
	 * @return the response
	 */
	HttpResponse<byte[]> send(String method, String path, byte[] body) throws IOException {
		HttpRequest.Builder request = request(path);
		if (body != null) {
			request.header("Content-Type", "application/octet-stream");
		}
		return send(request.method(method, (body != null) ? BodyPublishers.ofByteArray(body) : BodyPublishers.noBody())
			.build());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).timeout(REQUEST_TIMEOUT);
	}

	private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
		try {
			return this.http.send(request, BodyHandlers.ofByteArray());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while waiting for " + this.name, ex);
		}
	}

	static String text(HttpResponse<byte[]> response) {
		return new String(response.body(), StandardCharsets.UTF_8);
	}

	/**
	 * Return the pod's log so far.
	 * @return the whole log
	 * @throws IOException if it cannot be read
	 */
	String log() throws IOException {
		return Files.readString(this.log, StandardCharsets.UTF_8);
	}

	/**
	 * Print the pod's whole log, to explain a failure.
	 */
	void printLog() {
		try {
			System.out.println("===== log of " + this.name + " (" + this.log + ") =====");
			System.out.println(Files.readString(this.log, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			System.out.println("(could not read " + this.log + ": " + ex.getMessage() + ")");
		}
	}

	private String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.log, StandardCharsets.UTF_8);
			return "\n--- last lines of " + this.log + " ---\n"
					+ String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
		}
		catch (IOException ex) {
			return "\n(could not read " + this.log + ": " + ex.getMessage() + ")";
		}
	}

	/**
	 * Stop the app as Kubernetes stops a pod: SIGTERM, then SIGKILL if it does not exit
	 * in time.
	 */
	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

	@Override
	public String toString() {
		return this.name + " on port " + this.port;
	}

	private static final class PortTakenException extends RuntimeException {

	}

}
