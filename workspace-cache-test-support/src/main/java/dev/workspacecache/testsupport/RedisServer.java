package dev.workspacecache.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * A real {@code redis-server} or {@code valkey-server} process for tests.
 * <p>
 * The server binary is, in this order: the file named by the {@value #BINARY_ENV}
 * environment variable, {@code valkey-server} on the {@code PATH}, {@code redis-server}
 * on the {@code PATH}. When none is found, starting a server throws
 * {@link IllegalStateException} explaining how to get one: tests that need a server fail
 * rather than skip, so a green build always means the Redis tests ran.
 * <p>
 * Every server listens on {@code 127.0.0.1} only, on a free port (never 6379, so a
 * developer's own Redis is never touched), keeps no data on disk, and works in a fresh
 * temporary directory that holds its log and is deleted by {@link #close()}. Servers
 * still running when the JVM exits are stopped by a shutdown hook.
 * <p>
 * Typical use: <pre class="code">
 * // Any server will do: share one per JVM and isolate by key prefix.
 * RedisServer server = RedisServer.shared();
 *
 * // A dedicated server with extra configuration.
 * try (RedisServer server = RedisServer.builder().arg("--requirepass", "secret").start()) {
 *     ...
 * }
 * </pre>
 */
public final class RedisServer implements AutoCloseable {

	/**
	 * Environment variable naming the server binary to use, overriding the {@code PATH}
	 * lookup.
	 */
	public static final String BINARY_ENV = "WORKSPACE_CACHE_REDIS_SERVER";

	/**
	 * Message of the exception thrown when no server binary can be found.
	 */
	public static final String NOT_FOUND_MESSAGE = "No redis-server or valkey-server found: install one "
			+ "(Debian/Ubuntu: `sudo apt-get install -y redis-server`), put valkey-server on the PATH, or set "
			+ BINARY_ENV + " to a server binary; `scripts/test` installs it for you.";

	private static final String HOST = "127.0.0.1";

	private static final int STANDARD_REDIS_PORT = 6379;

	private static final int CLUSTER_BUS_PORT_OFFSET = 10000;

	private static final int MAX_START_ATTEMPTS = 5;

	private static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(15);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

	private static final int LOG_TAIL_LINES = 40;

	private static final Pattern VERSION_PATTERN = Pattern.compile("(\\S+) server v=(\\S+)");

	private static final Map<Path, ServerBinary> binaries = new ConcurrentHashMap<>();

	/**
	 * Servers to stop when the JVM exits: forked processes would otherwise outlive it.
	 */
	private static final Set<RedisServer> running = ConcurrentHashMap.newKeySet();

	private static final AtomicBoolean shutdownHookRegistered = new AtomicBoolean();

	private static final AtomicBoolean announced = new AtomicBoolean();

	private static volatile @Nullable RedisServer sharedServer;

	private static @Nullable IllegalStateException sharedFailure;

	private final ServerBinary binary;

	private final int port;

	private final Path directory;

	private final Process process;

	private final boolean shared;

	private final AtomicBoolean stopped = new AtomicBoolean();

	private RedisServer(ServerBinary binary, int port, Path directory, Process process, boolean shared) {
		this.binary = binary;
		this.port = port;
		this.directory = directory;
		this.process = process;
		this.shared = shared;
	}

	/**
	 * Start a server with the default configuration.
	 * @return the running server; the caller must {@link #close()} it
	 * @throws IllegalStateException if no server binary is found or the server does not
	 * start
	 */
	public static RedisServer start() {
		return builder().start();
	}

	/**
	 * Start a server with additional command line arguments.
	 * @param extraArgs arguments appended to the defaults, for example
	 * {@code List.of("--requirepass", "secret")}
	 * @return the running server; the caller must {@link #close()} it
	 * @throws IllegalStateException if no server binary is found or the server does not
	 * start
	 * @see Builder#arg(String...)
	 */
	public static RedisServer start(List<String> extraArgs) {
		return builder().args(extraArgs).start();
	}

	/**
	 * Return a builder for a dedicated server.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return the server shared by every test of this JVM, starting it on first use. It is
	 * stopped when the JVM exits; {@link #close()} and {@link #stop()} leave it running.
	 * Tests that use it must isolate their data, for example by a random key prefix, and
	 * must not change its configuration.
	 * @return the running shared server
	 * @throws IllegalStateException if no server binary is found or the server does not
	 * start; a failure is remembered so that later callers fail fast
	 */
	public static synchronized RedisServer shared() {
		if (sharedFailure != null) {
			throw new IllegalStateException(sharedFailure.getMessage(), sharedFailure);
		}
		RedisServer server = sharedServer;
		if (server != null && server.isRunning()) {
			return server;
		}
		if (server != null) {
			// It crashed: start a new one rather than hand out a dead server.
			server.shutDown();
		}
		try {
			server = new Builder().start(true);
		}
		catch (IllegalStateException ex) {
			sharedFailure = ex;
			throw ex;
		}
		sharedServer = server;
		return server;
	}

	/**
	 * Return the address the server listens on.
	 * @return {@code "127.0.0.1"}
	 */
	public String host() {
		return HOST;
	}

	/**
	 * Return the port the server listens on.
	 * @return the port, never 6379
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return a Redis URL of this server, without credentials.
	 * @return for example {@code "redis://127.0.0.1:41234"}
	 */
	public String url() {
		return "redis://" + HOST + ":" + this.port;
	}

	/**
	 * Return the server version, as reported by {@code --version}.
	 * @return for example {@code "7.0.15"}
	 */
	public String version() {
		return this.binary.version();
	}

	/**
	 * Return which server this is.
	 * @return {@code "redis"} or {@code "valkey"}
	 */
	public String flavour() {
		return this.binary.flavour();
	}

	/**
	 * Return the server binary.
	 * @return the absolute path of the binary that was started
	 */
	public Path binary() {
		return this.binary.path();
	}

	/**
	 * Return the server's log file, useful in assertion messages.
	 * @return the log file inside the server's temporary directory
	 */
	public Path logFile() {
		return this.directory.resolve("server.log");
	}

	/**
	 * Return whether the server process is alive.
	 * @return {@code true} until the server is stopped, killed or crashes
	 */
	public boolean isRunning() {
		return this.process.isAlive();
	}

	/**
	 * Simulate a crash: kill the server process at once, without a clean shutdown. The
	 * temporary directory is kept until {@link #close()} so that the log can still be
	 * read.
	 * @throws IllegalStateException if this is the {@link #shared()} server, which other
	 * tests are using
	 */
	public void kill() {
		if (this.shared) {
			throw new IllegalStateException("The shared server must not be killed: start a dedicated one");
		}
		this.process.destroyForcibly();
		waitForExit(STOP_TIMEOUT);
	}

	/**
	 * Stop the server and delete its temporary directory. Does nothing for the
	 * {@link #shared()} server, which is stopped when the JVM exits, nor when already
	 * stopped.
	 */
	public void stop() {
		if (!this.shared) {
			shutDown();
		}
	}

	/**
	 * Same as {@link #stop()}.
	 */
	@Override
	public void close() {
		stop();
	}

	@Override
	public String toString() {
		return this.binary.displayName() + " server v=" + version() + " (" + binary() + ") on " + HOST + ":"
				+ this.port;
	}

	private void shutDown() {
		if (!this.stopped.compareAndSet(false, true)) {
			return;
		}
		running.remove(this);
		this.process.destroy();
		if (!waitForExit(STOP_TIMEOUT)) {
			this.process.destroyForcibly();
			waitForExit(STOP_TIMEOUT);
		}
		deleteRecursively(this.directory);
	}

	private boolean waitForExit(Duration timeout) {
		try {
			return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
			return false;
		}
	}

	private static void registerShutdownHook() {
		if (shutdownHookRegistered.compareAndSet(false, true)) {
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				RedisServer server = sharedServer;
				if (server != null) {
					server.shutDown();
				}
				List.copyOf(running).forEach(RedisServer::shutDown);
			}, "redis-server-test-shutdown"));
		}
	}

	/**
	 * Delete a directory a test server used, with everything in it; best effort, since a
	 * leftover temporary file must not fail a test.
	 * @param directory the directory to delete
	 */
	public static void deleteRecursively(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException ex) {
					// Best effort: a leftover temporary file must not fail a test.
				}
			});
		}
		catch (IOException | UncheckedIOException ex) {
			// Best effort, as above.
		}
	}

	/**
	 * Builder of a dedicated {@link RedisServer}.
	 */
	public static final class Builder {

		private final List<String> args = new ArrayList<>();

		private @Nullable Path binary;

		private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;

		private Builder() {
		}

		/**
		 * Append command line arguments, for example
		 * {@code arg("--requirepass", "secret")}. They come after the defaults, so they
		 * can override any of them except the port and the bind address, which the server
		 * must keep for its readiness check.
		 * @param values the arguments
		 * @return this builder
		 */
		public Builder arg(String... values) {
			return args(List.of(values));
		}

		/**
		 * Append command line arguments.
		 * @param values the arguments
		 * @return this builder
		 * @see #arg(String...)
		 */
		public Builder args(List<String> values) {
			for (String value : values) {
				Objects.requireNonNull(value, "args must not contain null");
				if (value.equals("--port") || value.equals("--bind")) {
					throw new IllegalArgumentException(value + " is chosen by RedisServer and cannot be overridden");
				}
				this.args.add(value);
			}
			return this;
		}

		/**
		 * Use the given server binary instead of looking one up.
		 * @param binary the {@code redis-server} or {@code valkey-server} binary
		 * @return this builder
		 */
		public Builder binary(Path binary) {
			this.binary = Objects.requireNonNull(binary, "binary must not be null");
			return this;
		}

		/**
		 * Set how long to wait for the server to answer {@code PING}; 15 seconds by
		 * default.
		 * @param startupTimeout the timeout
		 * @return this builder
		 */
		public Builder startupTimeout(Duration startupTimeout) {
			this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout must not be null");
			return this;
		}

		/**
		 * Start the server and wait until it answers {@code PING}.
		 * @return the running server; the caller must {@link RedisServer#close()} it
		 * @throws IllegalStateException if no server binary is found or the server does
		 * not start
		 */
		public RedisServer start() {
			return start(false);
		}

		private RedisServer start(boolean shared) {
			ServerBinary serverBinary = ServerBinary.of((this.binary != null) ? this.binary : findBinary());
			registerShutdownHook();
			boolean cluster = isClusterEnabled(this.args);
			for (int attempt = 1;; attempt++) {
				int port = freePort(cluster);
				try {
					RedisServer server = launch(serverBinary, port, shared);
					if (announced.compareAndSet(false, true)) {
						// Once per JVM, so that CI output tells which server the tests
						// ran against.
						System.out.println("Tests use " + server);
					}
					return server;
				}
				catch (PortInUseException ex) {
					if (attempt == MAX_START_ATTEMPTS) {
						throw new IllegalStateException(ex.getMessage(), ex);
					}
				}
			}
		}

		private RedisServer launch(ServerBinary serverBinary, int port, boolean shared) {
			Path directory;
			try {
				directory = Files.createTempDirectory("workspace-cache-" + serverBinary.flavour() + "-");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			Path logFile = directory.resolve("server.log");
			// Output before the log file is opened (bad arguments, for instance) goes
			// here.
			Path outputFile = directory.resolve("server.out");
			List<String> command = new ArrayList<>(
					List.of(serverBinary.path().toString(), "--port", Integer.toString(port), "--bind", HOST, "--save",
							"", "--appendonly", "no", "--dir", directory.toString(), "--protected-mode", "no",
							"--daemonize", "no", "--logfile", logFile.toString()));
			command.addAll(this.args);
			Process process;
			try {
				process = new ProcessBuilder(command).directory(directory.toFile())
					.redirectErrorStream(true)
					.redirectOutput(outputFile.toFile())
					.start();
			}
			catch (IOException ex) {
				deleteRecursively(directory);
				throw new IllegalStateException("Could not run " + serverBinary.path() + ": " + ex.getMessage(), ex);
			}
			RedisServer server = new RedisServer(serverBinary, port, directory, process, shared);
			running.add(server);
			String failure = awaitReady(process, port);
			if (failure == null) {
				return server;
			}
			server.process.destroyForcibly();
			server.waitForExit(STOP_TIMEOUT);
			String output = tail(logFile) + tail(outputFile);
			server.shutDown();
			String message = serverBinary.path() + " " + failure + " (arguments: " + this.args + ")" + output;
			if (output.contains("Address already in use")
					|| output.contains("Could not create server TCP listening socket")) {
				throw new PortInUseException(message);
			}
			throw new IllegalStateException(message);
		}

		/**
		 * Poll the server until it answers, the deadline passes or the process dies.
		 * @return {@code null} when ready, else why not
		 */
		private @Nullable String awaitReady(Process process, int port) {
			long deadline = System.nanoTime() + this.startupTimeout.toNanos();
			while (true) {
				if (!process.isAlive()) {
					return "exited with code " + process.exitValue() + " before accepting connections on " + HOST + ":"
							+ port;
				}
				if (answersPing(port, process.pid())) {
					return null;
				}
				if (System.nanoTime() - deadline > 0) {
					return "did not answer PING on " + HOST + ":" + port + " within " + this.startupTimeout.toSeconds()
							+ " s";
				}
				try {
					// Paces the probes and returns at once if the server dies meanwhile.
					process.waitFor(20, TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return "was interrupted while waiting for the server";
				}
			}
		}

	}

	/**
	 * Return whether the server on {@code port} answers {@code PING} and, when it lets us
	 * ask, is our process rather than one that took the port between our probe and its
	 * bind.
	 */
	private static boolean answersPing(int port, long pid) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(HOST, port), (int) PROBE_TIMEOUT.toMillis());
			socket.setSoTimeout((int) PROBE_TIMEOUT.toMillis());
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String reply = readLine(in);
			if (reply.startsWith("-NOAUTH")) {
				return true;
			}
			if (!reply.startsWith("+PONG")) {
				return false;
			}
			out.write("*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String header = readLine(in);
			if (!header.startsWith("$")) {
				return false;
			}
			byte[] info = in.readNBytes(Integer.parseInt(header.substring(1)));
			return new String(info, StandardCharsets.UTF_8).contains("process_id:" + pid + "\r\n");
		}
		catch (IOException | NumberFormatException ex) {
			return false;
		}
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int previous = -1;
		while (line.length() < 1024) {
			int current = in.read();
			if (current == -1) {
				break;
			}
			if (previous == '\r' && current == '\n') {
				line.setLength(line.length() - 1);
				break;
			}
			line.append((char) current);
			previous = current;
		}
		return line.toString();
	}

	/**
	 * Return the server binary that tests use unless told otherwise: the file named by
	 * {@value #BINARY_ENV}, else {@code valkey-server}, else {@code redis-server} on the
	 * {@code PATH}. Every test process that starts a server (standalone, cluster node,
	 * replica, Sentinel with {@code --sentinel}, TLS-only server) goes through this, so
	 * that one setting of {@value #BINARY_ENV} picks the server family and version of the
	 * whole run.
	 * @return the absolute path of the binary
	 * @throws IllegalStateException if {@value #BINARY_ENV} does not name an executable
	 * file, or if it is not set and neither binary is on the {@code PATH}
	 */
	public static Path findBinary() {
		String configured = System.getenv(BINARY_ENV);
		if (configured != null && !configured.isBlank()) {
			Path path = Path.of(configured).toAbsolutePath();
			if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
				throw new IllegalStateException(BINARY_ENV + " is set to '" + configured
						+ "', which is not an executable file. " + NOT_FOUND_MESSAGE);
			}
			return path;
		}
		String searchPath = System.getenv("PATH");
		List<String> directories = (searchPath != null) ? List.of(searchPath.split(java.io.File.pathSeparator))
				: Collections.emptyList();
		for (String name : List.of("valkey-server", "redis-server")) {
			for (String directory : directories) {
				if (directory.isEmpty()) {
					continue;
				}
				Path candidate = Path.of(directory, name);
				if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
					return candidate.toAbsolutePath();
				}
			}
		}
		throw new IllegalStateException(NOT_FOUND_MESSAGE);
	}

	private static boolean isClusterEnabled(List<String> args) {
		int index = args.indexOf("--cluster-enabled");
		return index >= 0 && index + 1 < args.size() && args.get(index + 1).equalsIgnoreCase("yes");
	}

	/**
	 * Find a free loopback port. The port is released before the server binds it, so
	 * another process may take it meanwhile: the caller retries with another port when
	 * that happens.
	 */
	private static int freePort(boolean withClusterBusPort) {
		for (int i = 0; i < 100; i++) {
			int port = bindEphemeralPort();
			if (port == STANDARD_REDIS_PORT) {
				continue;
			}
			if (withClusterBusPort
					&& (port + CLUSTER_BUS_PORT_OFFSET > 65535 || !isFree(port + CLUSTER_BUS_PORT_OFFSET))) {
				// A cluster node also listens on port + 10000 for its bus.
				continue;
			}
			return port;
		}
		throw new IllegalStateException("Could not find a free port on " + HOST);
	}

	private static int bindEphemeralPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not bind a port on " + HOST, ex);
		}
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static String tail(Path file) {
		try {
			if (!Files.exists(file)) {
				return "";
			}
			List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
			if (lines.isEmpty()) {
				return "";
			}
			List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
			return "\n--- last lines of " + file + " ---\n" + String.join("\n", tail);
		}
		catch (IOException | UncheckedIOException ex) {
			return "\n(could not read " + file + ": " + ex.getMessage() + ")";
		}
	}

	/**
	 * A server binary and what its {@code --version} says about it.
	 */
	private record ServerBinary(Path path, String displayName, String flavour, String version) {

		static ServerBinary of(Path path) {
			return binaries.computeIfAbsent(path, ServerBinary::probe);
		}

		private static ServerBinary probe(Path path) {
			String output;
			try {
				Process process = new ProcessBuilder(path.toString(), "--version").redirectErrorStream(true).start();
				output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
				if (!process.waitFor(10, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException("Could not run " + path + " --version: " + ex.getMessage(), ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while running " + path + " --version", ex);
			}
			Matcher matcher = VERSION_PATTERN.matcher(output);
			if (!matcher.find()) {
				throw new IllegalStateException(path + " --version printed '" + output
						+ "', not a Redis or Valkey server version. " + NOT_FOUND_MESSAGE);
			}
			String displayName = matcher.group(1);
			return new ServerBinary(path, displayName, displayName.toLowerCase(Locale.ROOT), matcher.group(2));
		}

	}

	private static final class PortInUseException extends RuntimeException {

		PortInUseException(String message) {
			super(message);
		}

	}

}
