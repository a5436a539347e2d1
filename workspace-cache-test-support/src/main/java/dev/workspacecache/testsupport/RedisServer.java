package dev.workspacecache.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

/**
 * A real {@code redis-server} or {@code valkey-server} process for tests: a standalone
 * server (the default, also a cluster node or a replica through its arguments), a
 * TLS-only server ({@link Builder#tlsOnly(TestCertificates)}) or a Sentinel
 * ({@link Builder#sentinel(List)}). Every test process of either server family starts
 * here, so that one binary serves the whole run.
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
public final class RedisServer extends ManagedProcess {

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

	private static final String LOG_FILE = "server.log";

	/**
	 * Output before the log file is opened (bad arguments, for instance) goes here.
	 */
	private static final String OUTPUT_FILE = "server.out";

	private static final int MAX_START_ATTEMPTS = 5;

	private static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(15);

	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(15);

	private static final int LOG_TAIL_LINES = 40;

	private static final Pattern VERSION_PATTERN = Pattern.compile("(\\S+) server v=(\\S+)");

	private static final Map<Path, ServerBinary> binaries = new ConcurrentHashMap<>();

	private static final AtomicBoolean announced = new AtomicBoolean();

	private static volatile @Nullable RedisServer sharedServer;

	private static @Nullable IllegalStateException sharedFailure;

	private final ServerBinary binary;

	private final int port;

	private final Path directory;

	private final boolean shared;

	private RedisServer(String name, ServerBinary binary, int port, Path directory, Process process, boolean shared) {
		super(name, process, directory, new ProcessLog(directory.resolve(LOG_FILE)));
		this.binary = binary;
		this.port = port;
		this.directory = directory;
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
		IllegalStateException failure = sharedFailure;
		if (failure != null) {
			throw new IllegalStateException(failure.getMessage(), failure);
		}
		RedisServer server = sharedServer;
		if (server != null && server.isRunning()) {
			return server;
		}
		if (server != null) {
			// It crashed: start a new one rather than hand out a dead server.
			server.stopProcess();
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
		return FreePorts.HOST;
	}

	/**
	 * Return the port the server listens on (its TLS port for a TLS-only server).
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
		return "redis://" + FreePorts.HOST + ":" + this.port;
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
	 * Return the server's temporary directory, where its log and any configuration file
	 * live.
	 * @return the directory, deleted by {@link #close()}
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Return the server's log file, useful in assertion messages.
	 * @return the log file inside the server's temporary directory
	 */
	public Path logFile() {
		return log().file();
	}

	/**
	 * Return the end of the server's log and console output, for failure messages.
	 * @return the text, starting with a line break, or an empty string
	 */
	public String output() {
		return log().tail(LOG_TAIL_LINES) + new ProcessLog(this.directory.resolve(OUTPUT_FILE)).tail(LOG_TAIL_LINES);
	}

	/**
	 * Simulate a crash: kill the server process at once, without a clean shutdown. The
	 * temporary directory is kept until {@link #close()} so that the log can still be
	 * read.
	 * @throws IllegalStateException if this is the {@link #shared()} server, which other
	 * tests are using
	 */
	@Override
	public void kill() {
		if (this.shared) {
			throw new IllegalStateException("The shared server must not be killed: start a dedicated one");
		}
		super.kill();
	}

	/**
	 * Restart the server in place, empty, as a server without persistence comes back from
	 * a restart: every key, evict marker and cached script gone, every client
	 * disconnected. {@code DEBUG RESTART} makes the server re-execute itself with the
	 * same arguments: the same port, so clients reconnect to it as they would to a
	 * restarted server, and the same process, which this object still owns and stops.
	 * Returns once it answers again as a new instance.
	 * @throws IllegalStateException if the server was not started with
	 * {@code --enable-debug-command yes}, or is the {@link #shared()} server
	 */
	public void restartEmpty() {
		if (this.shared) {
			throw new IllegalStateException("The shared server must not be restarted: start a dedicated one");
		}
		String runId = runId();
		try (RespConnection connection = RespConnection.open(host(), this.port, RESTART_TIMEOUT)) {
			String reply = connection.send("DEBUG", "RESTART");
			// The server closes every connection as it restarts: any reply means it did
			// not.
			if (reply != null) {
				throw new IllegalStateException("DEBUG RESTART answered '" + reply + "' instead of restarting " + this);
			}
		}
		catch (IOException ex) {
			// A connection reset is the server restarting too. A refusal (DEBUG not
			// enabled) is an error reply, thrown rather than caught here.
		}
		Awaitility.await(this + " to come back as a new instance")
			.atMost(RESTART_TIMEOUT)
			.pollInterval(Duration.ofMillis(50))
			.ignoreExceptions()
			.until(() -> !runId().equals(runId));
	}

	/**
	 * Return the id the server draws at startup, which tells a restarted server from the
	 * one before.
	 * @return the run id of the server
	 */
	private String runId() {
		try (RespConnection connection = RespConnection.open(host(), this.port, RESTART_TIMEOUT)) {
			String info = connection.send("INFO", "server");
			if (info == null) {
				throw new IOException(this + " closed the connection");
			}
			return info.lines()
				.filter((line) -> line.startsWith("run_id:"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("INFO server of " + this + " has no run_id"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Stop the server and delete its temporary directory. Does nothing for the
	 * {@link #shared()} server, which is stopped when the JVM exits, nor when already
	 * stopped.
	 */
	public void stop() {
		if (!this.shared) {
			stopProcess();
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
		String server = this.binary.displayName() + " server v=" + version() + " (" + binary() + ") on "
				+ FreePorts.HOST + ":" + this.port;
		return name().equals("server") ? server : name() + ": " + server;
	}

	/**
	 * Delete a directory a test server used, with everything in it; best effort, since a
	 * leftover temporary file must not fail a test.
	 * @param directory the directory to delete
	 * @see TemporaryDirectories#delete(Path)
	 */
	public static void deleteRecursively(Path directory) {
		TemporaryDirectories.delete(directory);
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
	 * Builder of a dedicated {@link RedisServer}.
	 */
	public static final class Builder {

		private final List<String> args = new ArrayList<>();

		private @Nullable Path binary;

		private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;

		private Mode mode = new Standalone();

		private int port;

		private Builder() {
		}

		/**
		 * Listen on the given port rather than on a free one picked at start: for a test
		 * that points a client at a port before the server is there (take it from
		 * {@link FreePorts#any()}), or that brings a server back where a killed one was,
		 * as a restarted server comes back, so that clients reconnect to it. The start is
		 * then not retried on another port: it fails if the port is taken meanwhile.
		 * @param port the port, never 6379
		 * @return this builder
		 */
		public Builder port(int port) {
			if (port <= 0 || port > 65535 || port == 6379) {
				throw new IllegalArgumentException("port must be a free port other than 6379 but was " + port);
			}
			this.port = port;
			return this;
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
				if (value.equals("--port") || value.equals("--bind") || value.equals("--tls-port")) {
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
		 * Set how long to wait for the server to be ready; 15 seconds by default.
		 * @param startupTimeout the timeout
		 * @return this builder
		 */
		public Builder startupTimeout(Duration startupTimeout) {
			this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout must not be null");
			return this;
		}

		/**
		 * Serve TLS only ({@code --port 0 --tls-port N}), with the server certificate of
		 * the given authority and without client certificates. Such a server cannot
		 * answer a plain-text {@code PING}: it is ready once its log says so and its port
		 * accepts connections.
		 * @param certificates the certificates
		 * @return this builder
		 */
		public Builder tlsOnly(TestCertificates certificates) {
			this.mode = new TlsOnly(certificates);
			return this;
		}

		/**
		 * Run as a Sentinel ({@code <config file> --sentinel}, the configuration file
		 * first, as the server requires), with a configuration file that holds the port,
		 * bind address, directory and log file followed by the given directives. It is
		 * ready once its log shows it monitors a master and its port accepts connections.
		 * @param directives the Sentinel directives, for example
		 * {@code "sentinel monitor mymaster 127.0.0.1 6380 2"}
		 * @return this builder
		 */
		public Builder sentinel(List<String> directives) {
			this.mode = new Sentinel(List.copyOf(directives));
			return this;
		}

		/**
		 * Start the server and wait until it is ready.
		 * @return the running server; the caller must {@link RedisServer#close()} it
		 * @throws IllegalStateException if no server binary is found or the server does
		 * not start
		 */
		public RedisServer start() {
			return start(false);
		}

		private RedisServer start(boolean shared) {
			ServerBinary serverBinary = ServerBinary.of((this.binary != null) ? this.binary : findBinary());
			boolean cluster = isClusterEnabled(this.args);
			for (int attempt = 1;; attempt++) {
				int port = (this.port != 0) ? this.port : cluster ? FreePorts.withClusterBusPort() : FreePorts.any();
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
					if (attempt == MAX_START_ATTEMPTS || this.port != 0) {
						throw new IllegalStateException(ex.getMessage(), ex);
					}
				}
			}
		}

		private RedisServer launch(ServerBinary serverBinary, int port, boolean shared) {
			Path directory = TemporaryDirectories.create("workspace-cache-" + serverBinary.flavour() + "-");
			List<String> command = new ArrayList<>();
			command.add(serverBinary.path().toString());
			Process process;
			try {
				command.addAll(this.mode.arguments(port, directory));
				command.addAll(this.args);
				process = new ProcessBuilder(command).directory(directory.toFile())
					.redirectErrorStream(true)
					.redirectOutput(directory.resolve(OUTPUT_FILE).toFile())
					.start();
			}
			catch (IOException ex) {
				TemporaryDirectories.delete(directory);
				throw new IllegalStateException("Could not run " + command + ": " + ex.getMessage(), ex);
			}
			RedisServer server = new RedisServer(this.mode.name(), serverBinary, port, directory, process, shared);
			String failure = awaitReady(server);
			if (failure == null) {
				return server;
			}
			server.kill();
			String output = server.output();
			server.stopProcess();
			String message = serverBinary.path() + " " + failure + " (arguments: " + command.subList(1, command.size())
					+ ")" + output;
			if (output.contains("Address already in use")
					|| output.contains("Could not create server TCP listening socket")) {
				throw new PortInUseException(message);
			}
			throw new IllegalStateException(message);
		}

		/**
		 * Poll the server until it is ready, the deadline passes or the process dies.
		 * @param server the server to poll
		 * @return {@code null} when ready, else why not
		 */
		private @Nullable String awaitReady(RedisServer server) {
			long deadline = System.nanoTime() + this.startupTimeout.toNanos();
			while (true) {
				if (!server.isRunning()) {
					return "exited with code " + server.exitValue() + " before accepting connections on "
							+ FreePorts.HOST + ":" + server.port();
				}
				if (this.mode.isReady(server)) {
					return null;
				}
				if (System.nanoTime() - deadline > 0) {
					return "was not ready on " + FreePorts.HOST + ":" + server.port() + " within "
							+ this.startupTimeout.toSeconds() + " s";
				}
				// Paces the probes and returns at once if the server dies meanwhile.
				server.waitForExit(Duration.ofMillis(20));
			}
		}

	}

	/**
	 * How a server is started and when it is ready: what its command line holds before
	 * the builder's arguments.
	 */
	private interface Mode {

		String name();

		List<String> arguments(int port, Path directory) throws IOException;

		boolean isReady(RedisServer server);

	}

	/**
	 * A plain server: ready once it answers {@code PING} and, when it lets us ask, is our
	 * process rather than one that took the port between our probe and its bind.
	 */
	private static final class Standalone implements Mode {

		@Override
		public String name() {
			return "server";
		}

		@Override
		public List<String> arguments(int port, Path directory) {
			return List.of("--port", Integer.toString(port), "--bind", FreePorts.HOST, "--save", "", "--appendonly",
					"no", "--dir", directory.toString(), "--protected-mode", "no", "--daemonize", "no", "--logfile",
					directory.resolve(LOG_FILE).toString());
		}

		@Override
		public boolean isReady(RedisServer server) {
			try (RespConnection connection = RespConnection.open(FreePorts.HOST, server.port(), PROBE_TIMEOUT)) {
				if (!"PONG".equals(connection.send("PING"))) {
					return false;
				}
				String info = connection.send("INFO", "server");
				return info != null && info.contains("process_id:" + server.pid() + "\r\n");
			}
			catch (RespConnection.ErrorReplyException ex) {
				// A password is set: the server answers, which is all we can ask.
				return ex.reply().startsWith("NOAUTH");
			}
			catch (IOException | NumberFormatException ex) {
				return false;
			}
		}

	}

	/**
	 * A server that logs a line once it serves, and whose port accepts connections.
	 */
	private abstract static class LoggedReadiness implements Mode {

		private final String readyMarker;

		LoggedReadiness(String readyMarker) {
			this.readyMarker = readyMarker;
		}

		@Override
		public boolean isReady(RedisServer server) {
			return server.log().contains(this.readyMarker) && accepts(server.port());
		}

		private static boolean accepts(int port) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(FreePorts.HOST, port), (int) PROBE_TIMEOUT.toMillis());
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		}

	}

	private static final class TlsOnly extends LoggedReadiness {

		private final TestCertificates certificates;

		TlsOnly(TestCertificates certificates) {
			super("Ready to accept connections");
			this.certificates = certificates;
		}

		@Override
		public String name() {
			return "tls";
		}

		@Override
		public List<String> arguments(int port, Path directory) {
			return List.of("--port", "0", "--tls-port", Integer.toString(port), "--bind", FreePorts.HOST, "--save", "",
					"--appendonly", "no", "--dir", directory.toString(), "--logfile",
					directory.resolve(LOG_FILE).toString(), "--protected-mode", "no", "--tls-cert-file",
					this.certificates.serverCertificate().toString(), "--tls-key-file",
					this.certificates.serverKey().toString(), "--tls-ca-cert-file",
					this.certificates.caCertificate().toString(), "--tls-auth-clients", "no");
		}

	}

	private static final class Sentinel extends LoggedReadiness {

		private final List<String> directives;

		Sentinel(List<String> directives) {
			super("+monitor master");
			this.directives = directives;
		}

		@Override
		public String name() {
			return "sentinel";
		}

		@Override
		public List<String> arguments(int port, Path directory) throws IOException {
			List<String> lines = new ArrayList<>(List.of("port " + port, "bind " + FreePorts.HOST, "protected-mode no",
					"daemonize no", "dir " + directory, "logfile " + directory.resolve(LOG_FILE)));
			lines.addAll(this.directives);
			lines.add("");
			Path config = directory.resolve("sentinel.conf");
			Files.writeString(config, String.join("\n", lines), StandardCharsets.UTF_8);
			// A Sentinel's configuration file comes first and must be writable: it
			// records its state there.
			return List.of(config.toString(), "--sentinel");
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
