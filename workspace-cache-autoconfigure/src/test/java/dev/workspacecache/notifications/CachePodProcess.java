package dev.workspacecache.notifications;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import dev.workspacecache.testsupport.ManagedProcess;
import dev.workspacecache.testsupport.ProcessLog;
import dev.workspacecache.testsupport.RedisServer;

/**
 * A {@link CachePod} running as a JVM of its own, on the test's classpath, driven over
 * its standard input and output: {@link #call(String)} sends a command and waits for its
 * answer, from any number of threads at once.
 */
final class CachePodProcess extends ManagedProcess {

	private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

	private final Writer commands;

	private final AtomicLong requests = new AtomicLong();

	private final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();

	private final List<String> heard = new ArrayList<>();

	private CachePodProcess(String name, Process process, ProcessLog log) {
		super(name, process, null, log);
		this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
		this.pending.put("ready", new CompletableFuture<>());
		Thread answers = new Thread(() -> readAnswers(process), name + "-answers");
		answers.setDaemon(true);
		answers.start();
	}

	/**
	 * Start a pod and wait until it is connected.
	 * @param name the pod's name, for its log file and messages
	 * @param server the server it uses
	 * @param keyPrefix the key prefix every pod shares
	 * @param logDirectory where its log file goes
	 * @return the running pod; the caller must close it
	 */
	static CachePodProcess start(String name, RedisServer server, String keyPrefix, Path logDirectory) {
		try {
			Files.createDirectories(logDirectory);
			// The classpath goes in an argument file: as one argument it may be longer
			// than a command line allows.
			Path arguments = logDirectory.resolve(name + ".args");
			Files.writeString(arguments, "-cp \"" + testClasspath().replace("\\", "\\\\") + "\"\n",
					StandardCharsets.UTF_8);
			Path log = logDirectory.resolve(name + ".log");
			List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					// Three JVMs and a server share the machine: C1 alone starts them
					// fast and leaves the cores to the measurement, and the serial
					// collector's short pauses on a small heap need no GC threads that
					// wait for a core.
					"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "@" + arguments,
					CachePod.class.getName(), server.host(), Integer.toString(server.port()), keyPrefix, name);
			Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
			CachePodProcess pod = new CachePodProcess(name, process, new ProcessLog(log));
			try {
				pod.answer("ready");
				return pod;
			}
			catch (RuntimeException | Error ex) {
				pod.close();
				throw ex;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start pod " + name, ex);
		}
	}

	/**
	 * The classpath of the tests: Surefire and Failsafe put it in {@code java.class.path}
	 * of the JVM they fork, even when they start it from a manifest-only jar.
	 */
	private static String testClasspath() {
		return System.getProperty("java.class.path");
	}

	/**
	 * Send a command and wait for its answer.
	 * @param command the command, without its request id: {@code "read <workspace>"}
	 * @return the answer after {@code ok <request> }
	 * @throws AssertionError if the pod failed the command or did not answer in time
	 */
	String call(String command) {
		String request = Long.toString(this.requests.incrementAndGet());
		this.pending.put(request, new CompletableFuture<>());
		int space = command.indexOf(' ');
		String line = (space < 0) ? command + " " + request
				: command.substring(0, space) + " " + request + command.substring(space);
		try {
			synchronized (this.commands) {
				this.commands.write(line + "\n");
				this.commands.flush();
			}
		}
		catch (IOException ex) {
			throw new AssertionError(name() + " does not take commands any more" + log().tail(40), ex);
		}
		return answer(request);
	}

	/**
	 * Return the changes the pod heard, as {@code report} lists them:
	 * {@code <workspace> <version> <origin> <heard at>}.
	 * @return one line a change, in the order heard
	 */
	List<String> heard() {
		synchronized (this.heard) {
			this.heard.clear();
		}
		String answer = call("report");
		synchronized (this.heard) {
			int reported = Integer.parseInt(answer.split(" ")[0]);
			if (this.heard.size() != reported) {
				throw new AssertionError(name() + " reported " + reported + " changes but sent " + this.heard.size());
			}
			return List.copyOf(this.heard);
		}
	}

	private String answer(String request) {
		try {
			return this.pending.get(request).get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw new AssertionError(
					name() + " failed request " + request + ": " + ex.getCause().getMessage() + log().tail(40),
					ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new AssertionError(
					name() + " did not answer request " + request + " within " + ANSWER_TIMEOUT + log().tail(40), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted", ex);
		}
		finally {
			this.pending.remove(request);
		}
	}

	private void readAnswers(Process process) {
		try (BufferedReader answers = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = answers.readLine(); line != null; line = answers.readLine()) {
				String[] parts = line.split(" ", 3);
				if (parts[0].equals("heard")) {
					synchronized (this.heard) {
						this.heard.add(line.substring("heard ".length()));
					}
					continue;
				}
				CompletableFuture<String> answer = this.pending.get(parts[1]);
				if (answer == null) {
					continue;
				}
				if (parts[0].equals("ok")) {
					answer.complete((parts.length > 2) ? parts[2] : "");
				}
				else {
					answer.completeExceptionally(new IllegalStateException((parts.length > 2) ? parts[2] : line));
				}
			}
		}
		catch (IOException ex) {
			// The pod exited: what it did not answer times out.
		}
	}

	/**
	 * Stop the pod: its input ends, then SIGTERM.
	 */
	@Override
	public void close() {
		try {
			this.commands.close();
		}
		catch (IOException ex) {
			// Exiting already.
		}
		waitForExit(Duration.ofSeconds(5));
		super.close();
	}

}
