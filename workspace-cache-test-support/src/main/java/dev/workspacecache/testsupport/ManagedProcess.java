package dev.workspacecache.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * A process a test started and owns: a server or an application. It is stopped as
 * Kubernetes stops a pod (SIGTERM, then SIGKILL when it does not exit in time), can be
 * killed as a crash would, and is stopped by a shutdown hook if the JVM exits first,
 * since a forked process would otherwise outlive the build. Its working directory, when
 * it has one of its own, is deleted once it is stopped.
 */
public abstract class ManagedProcess implements AutoCloseable {

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

	private static final Set<ManagedProcess> running = ConcurrentHashMap.newKeySet();

	private static final AtomicBoolean shutdownHookRegistered = new AtomicBoolean();

	private final String name;

	private final Process process;

	private final @Nullable Path directory;

	private final ProcessLog log;

	private final AtomicBoolean stopped = new AtomicBoolean();

	/**
	 * Take ownership of a started process.
	 * @param name a short name for messages, for example {@code "sentinel-1"}
	 * @param process the process
	 * @param directory its own temporary directory, deleted once it is stopped, or
	 * {@code null} when it has none
	 * @param log the log it writes
	 */
	protected ManagedProcess(String name, Process process, @Nullable Path directory, ProcessLog log) {
		this.name = name;
		this.process = process;
		this.directory = directory;
		this.log = log;
		registerShutdownHook();
		running.add(this);
	}

	/**
	 * Return the name given at start.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Return the process id.
	 * @return the pid
	 */
	public long pid() {
		return this.process.pid();
	}

	/**
	 * Return the log the process writes.
	 * @return the log
	 */
	public ProcessLog log() {
		return this.log;
	}

	/**
	 * Return whether the process is alive.
	 * @return {@code true} until it is stopped, killed or exits
	 */
	public boolean isRunning() {
		return this.process.isAlive();
	}

	/**
	 * Return the exit code of a process that has exited.
	 * @return the exit code
	 * @throws IllegalThreadStateException if it is still running
	 */
	protected int exitValue() {
		return this.process.exitValue();
	}

	/**
	 * Simulate a crash: kill the process at once, without a clean shutdown. Its directory
	 * is kept until {@link #close()}, so that its log can still be read.
	 */
	public void kill() {
		this.process.destroyForcibly();
		waitForExit(STOP_TIMEOUT);
	}

	/**
	 * Freeze the process ({@code SIGSTOP}): it keeps its sockets open but answers
	 * nothing, as a server does behind a network partition or in a long pause.
	 * @see #resume()
	 */
	public void suspend() {
		signal("STOP");
	}

	/**
	 * Let a {@link #suspend() suspended} process run again ({@code SIGCONT}).
	 */
	public void resume() {
		signal("CONT");
	}

	private void signal(String signal) {
		List<String> command = List.of("kill", "-" + signal, Long.toString(pid()));
		try {
			Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (kill.waitFor() != 0) {
				throw new IllegalStateException(command + " failed for " + this.name + ": " + output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while sending SIG" + signal + " to " + this.name, ex);
		}
	}

	/**
	 * Stop the process (SIGTERM, then SIGKILL) and delete its directory. Does nothing
	 * when already stopped.
	 */
	protected final void stopProcess() {
		if (!this.stopped.compareAndSet(false, true)) {
			return;
		}
		running.remove(this);
		this.process.destroy();
		if (!waitForExit(STOP_TIMEOUT)) {
			this.process.destroyForcibly();
			waitForExit(STOP_TIMEOUT);
		}
		if (this.directory != null) {
			TemporaryDirectories.delete(this.directory);
		}
	}

	/**
	 * Wait until the process exits, while it starts for example.
	 * @param timeout how long to wait at most
	 * @return whether it exited
	 */
	protected boolean waitForExit(Duration timeout) {
		try {
			return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
			return false;
		}
	}

	/**
	 * Stop the process; see {@link #stopProcess()}.
	 */
	@Override
	public void close() {
		stopProcess();
	}

	private static void registerShutdownHook() {
		if (shutdownHookRegistered.compareAndSet(false, true)) {
			Runtime.getRuntime()
				.addShutdownHook(new Thread(() -> List.copyOf(running).forEach(ManagedProcess::stopProcess),
						"workspace-cache-test-processes-shutdown"));
		}
	}

}
