package dev.workspacecache.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.workspacecache.testsupport.RedisServer;

/**
 * A {@code redis-server}/{@code valkey-server} process in a mode that {@link RedisServer}
 * does not start: a TLS-only server ({@code --port 0 --tls-port N}, which cannot answer a
 * plain-text {@code PING}) or a Sentinel ({@code <config file> --sentinel}, whose
 * configuration file must come first). Same binary as {@link RedisServer}
 * ({@link RedisServer#findBinary()}: the one named by {@value RedisServer#BINARY_ENV},
 * else {@code valkey-server}, else {@code redis-server} on the {@code PATH}); same
 * hygiene: {@code 127.0.0.1} only, a free port that is never 6379, no persistence, a
 * temporary directory deleted on {@link #close()}, a shutdown hook.
 */
final class ServerProcess implements AutoCloseable {

	static final String HOST = "127.0.0.1";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);

	private static final Set<ServerProcess> running = ConcurrentHashMap.newKeySet();

	private static final AtomicBoolean hookRegistered = new AtomicBoolean();

	private final String name;

	private final int port;

	private final Path directory;

	private final Process process;

	private final AtomicBoolean stopped = new AtomicBoolean();

	private ServerProcess(String name, int port, Path directory, Process process) {
		this.name = name;
		this.port = port;
		this.directory = directory;
		this.process = process;
	}

	/**
	 * The arguments of one server, given its port and its own temporary directory (where
	 * a configuration file can be written).
	 */
	@FunctionalInterface
	interface Arguments {

		List<String> forPort(int port, Path directory) throws IOException;

	}

	/**
	 * Start a server and wait until its port accepts connections.
	 * @param name a short name for messages, for example {@code "sentinel-1"}
	 * @param arguments the arguments after the binary; they must make the server listen
	 * on the given port, on {@code 127.0.0.1}, and log to {@link #LOG_FILE} in the given
	 * directory
	 * @param readyMarker text the log shows once the server serves, for example
	 * {@code "Ready to accept connections"} (a Sentinel does not log that one)
	 * @return the running server
	 */
	static ServerProcess start(String name, Arguments arguments, String readyMarker) {
		Path binary = binary();
		registerShutdownHook();
		for (int attempt = 1;; attempt++) {
			int port = freePort();
			Path directory;
			try {
				directory = Files.createTempDirectory("workspace-cache-topology-" + name + "-");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			List<String> command = new ArrayList<>();
			command.add(binary.toString());
			Process process;
			try {
				command.addAll(arguments.forPort(port, directory));
				process = new ProcessBuilder(command).directory(directory.toFile())
					.redirectErrorStream(true)
					.redirectOutput(directory.resolve("server.out").toFile())
					.start();
			}
			catch (IOException ex) {
				RedisServer.deleteRecursively(directory);
				throw new IllegalStateException("Could not run " + command + ": " + ex.getMessage(), ex);
			}
			ServerProcess server = new ServerProcess(name, port, directory, process);
			running.add(server);
			String failure = server.awaitListening(readyMarker);
			if (failure == null) {
				return server;
			}
			String output = server.output();
			server.close();
			if (attempt < 5 && (output.contains("Address already in use") || output.contains("Could not create"))) {
				continue;
			}
			throw new IllegalStateException(name + " (" + command + ") " + failure + output);
		}
	}

	/**
	 * The log file name that {@link Arguments} must configure, relative to the directory.
	 */
	static final String LOG_FILE = "server.log";

	/**
	 * Return the server binary: {@link RedisServer#findBinary()}, the one every other
	 * test server uses, so that a Sentinel ({@code <binary> <config> --sentinel}) and a
	 * TLS-only server always belong to the same server family and version as the masters
	 * and replicas beside them.
	 * @return the binary
	 */
	static Path binary() {
		return RedisServer.findBinary();
	}

	String host() {
		return HOST;
	}

	int port() {
		return this.port;
	}

	Path directory() {
		return this.directory;
	}

	boolean isRunning() {
		return this.process.isAlive();
	}

	/**
	 * Kill the process at once (a crash), keeping its directory until {@link #close()}.
	 */
	void kill() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Return the end of the server's log and console output, for failure messages.
	 * @return the text, starting with a line break, or an empty string
	 */
	String output() {
		return tail(this.directory.resolve(LOG_FILE)) + tail(this.directory.resolve("server.out"));
	}

	@Override
	public void close() {
		if (!this.stopped.compareAndSet(false, true)) {
			return;
		}
		running.remove(this);
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
		RedisServer.deleteRecursively(this.directory);
	}

	@Override
	public String toString() {
		return this.name + " on " + HOST + ":" + this.port;
	}

	private String awaitListening(String readyMarker) {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (true) {
			if (!this.process.isAlive()) {
				return "exited with code " + this.process.exitValue() + " before listening on port " + this.port;
			}
			if (logContains(readyMarker) && accepts(this.port)) {
				return null;
			}
			if (System.nanoTime() - deadline > 0) {
				return "did not listen on port " + this.port + " within " + STARTUP_TIMEOUT.toSeconds() + " s";
			}
			try {
				this.process.waitFor(20, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return "was interrupted while starting";
			}
		}
	}

	private boolean logContains(String text) {
		try {
			Path log = this.directory.resolve(LOG_FILE);
			return Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text);
		}
		catch (IOException | UncheckedIOException ex) {
			return false;
		}
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(HOST, port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Return a free loopback port, never 6379, whose cluster bus port (port + 10000) is
	 * free too, so that ports from here can be used for cluster nodes as well.
	 * @return the port
	 */
	static int freePort() {
		for (int i = 0; i < 100; i++) {
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
				int port = socket.getLocalPort();
				if (port != 6379 && port + 10000 <= 65535 && isFree(port + 10000)) {
					return port;
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		throw new IllegalStateException("No free port on " + HOST);
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void registerShutdownHook() {
		if (hookRegistered.compareAndSet(false, true)) {
			Runtime.getRuntime()
				.addShutdownHook(new Thread(() -> List.copyOf(running).forEach(ServerProcess::close),
						"topology-server-shutdown"));
		}
	}

	private static String tail(Path file) {
		try {
			if (!Files.exists(file)) {
				return "";
			}
			List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
			List<String> tail = lines.subList(Math.max(0, lines.size() - 30), lines.size());
			return tail.isEmpty() ? "" : "\n--- " + file + " ---\n" + String.join("\n", tail);
		}
		catch (IOException | UncheckedIOException ex) {
			return "";
		}
	}

}
