package dev.workspacecache.sample;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

import dev.workspacecache.testsupport.AppProcess;
import dev.workspacecache.testsupport.Jvm;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One instance of the packaged sample app, run with {@code java -jar} as a separate
 * process ({@link AppProcess}), the way a pod of a deployment runs it, and the HTTP calls
 * the tests make to it.
 */
final class SamplePod implements AutoCloseable {

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final AppProcess app;

	private SamplePod(AppProcess app) {
		this.app = app;
	}

	/**
	 * Start the app on a free port and wait until {@code /actuator/health} reports
	 * {@code UP}: in {@code valkey} mode, that includes the pod's Redis connection, the
	 * one its cache uses.
	 * @param name the pod's name, for its log file and messages
	 * @param jvm the Java to run it on, and its JVM options
	 * @param jar the Spring Boot jar of the app
	 * @param logDirectory where the log file goes
	 * @param startupTimeout how long to wait for the app to be healthy
	 * @param arguments the app's arguments, besides {@code --server.port}
	 * @return the healthy pod
	 * @throws AssertionError if the app exits or is not healthy in time, with the end of
	 * its log
	 */
	static SamplePod start(String name, Jvm jvm, Path jar, Path logDirectory, Duration startupTimeout,
			List<String> arguments) {
		return new SamplePod(AppProcess.start(name, jvm, jar, logDirectory, startupTimeout, arguments));
	}

	/**
	 * Wait until {@code /actuator/health} reports {@code UP}.
	 * @param timeout how long to wait
	 * @throws AssertionError if the app exits or is not healthy in time, with the end of
	 * its log
	 */
	void awaitHealthy(Duration timeout) {
		this.app.awaitHealthy(timeout);
	}

	String name() {
		return this.app.name();
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

	/**
	 * Create a session ({@code POST /sessions}).
	 * @return its id
	 * @throws IOException if the request fails
	 * @throws AssertionError if it is not answered with 201
	 */
	UUID createSession() throws IOException {
		HttpResponse<byte[]> created = postJson("/sessions", SessionRequests.createBody());
		assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
		return UUID.fromString(json.readTree(text(created)).get("sessionId").asString());
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
		return HttpRequest.newBuilder(this.app.uri(path)).timeout(REQUEST_TIMEOUT);
	}

	private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
		try {
			return this.app.http().send(request, BodyHandlers.ofByteArray());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while waiting for " + name(), ex);
		}
	}

	static String text(HttpResponse<byte[]> response) {
		return new String(response.body(), StandardCharsets.UTF_8);
	}

	/**
	 * Return the pod's log so far.
	 * @return the whole log
	 */
	String log() {
		return this.app.log().read();
	}

	/**
	 * Print the pod's whole log, to explain a failure.
	 */
	void printLog() {
		this.app.printLog();
	}

	/**
	 * Stop the app as Kubernetes stops a pod: SIGTERM, then SIGKILL if it does not exit
	 * in time.
	 */
	@Override
	public void close() {
		this.app.close();
	}

	@Override
	public String toString() {
		return this.app.toString();
	}

}
