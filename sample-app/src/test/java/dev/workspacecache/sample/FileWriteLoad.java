package dev.workspacecache.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import static dev.workspacecache.sample.SessionRequests.filePath;

/**
 * Clients writing files to a pod as fast as it answers: one thread per session, each
 * writing 1 KiB files in turn to {@value #PATHS} paths of its session, and recording when
 * each request started, how long it took and how it was answered.
 */
final class FileWriteLoad implements AutoCloseable {

	static final int FILE_SIZE = 1024;

	private static final int PATHS = 50;

	private final SamplePod pod;

	private final List<UUID> sessions;

	private final AtomicBoolean running = new AtomicBoolean();

	private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();

	private final List<Thread> clients = new ArrayList<>();

	FileWriteLoad(SamplePod pod, List<UUID> sessions) {
		this.pod = pod;
		this.sessions = List.copyOf(sessions);
	}

	/**
	 * Start one client per session.
	 */
	void start() {
		this.running.set(true);
		for (UUID session : this.sessions) {
			Thread client = new Thread(() -> write(session), "load-" + session);
			client.setDaemon(true);
			this.clients.add(client);
			client.start();
		}
	}

	private void write(UUID session) {
		for (int i = 0; this.running.get(); i++) {
			String path = filePath(session, "src/file-" + (i % PATHS) + ".txt");
			byte[] content = content(session, i);
			long start = System.nanoTime();
			int status;
			String failure = null;
			try {
				status = this.pod.put(path, content).statusCode();
			}
			catch (IOException ex) {
				status = -1;
				failure = describe(ex);
			}
			this.requests.add(new Request(start, System.nanoTime() - start, status, failure));
		}
	}

	/**
	 * Describe a request that got no response: the exception and its causes, so that a
	 * failed assertion says why (a refused connection, a reset, a timeout).
	 */
	private static String describe(Throwable failure) {
		StringBuilder description = new StringBuilder(failure.toString());
		for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
			description.append(" <- ").append(cause);
		}
		return description.toString();
	}

	private static byte[] content(UUID session, int sequence) {
		byte[] content = new byte[FILE_SIZE];
		Arrays.fill(content, (byte) 'x');
		byte[] header = (session + " write " + sequence + "\n").getBytes(StandardCharsets.US_ASCII);
		System.arraycopy(header, 0, content, 0, header.length);
		return content;
	}

	/**
	 * Stop the clients, waiting for their requests in flight.
	 * @return every request made, in no particular order
	 */
	List<Request> stop() {
		this.running.set(false);
		for (Thread client : this.clients) {
			try {
				client.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		return List.copyOf(this.requests);
	}

	@Override
	public void close() {
		stop();
	}

	/**
	 * One request.
	 *
	 * @param startNanos when it started, in {@link System#nanoTime()}
	 * @param latencyNanos how long it took until the response
	 * @param status the HTTP status, or {@code -1} if no response came
	 * @param failure why no response came, or {@code null} if one did
	 */
	record Request(long startNanos, long latencyNanos, int status, @Nullable String failure) {

	}

}
