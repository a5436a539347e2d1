package dev.workspacecache.sample;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import dev.workspacecache.testsupport.RedisServer;

import static dev.workspacecache.sample.SamplePod.text;
import static dev.workspacecache.sample.SamplePods.pod;
import static dev.workspacecache.sample.SessionRequests.createBody;
import static dev.workspacecache.sample.SessionRequests.filePath;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two pods of the packaged sample app, separate processes in {@code valkey} mode against
 * one real Redis or Valkey server, serve the same sessions at once, and neither serves a
 * stale copy nor loses an acknowledged write:
 * <ul>
 * <li><strong>stale reads</strong>: over thousands of rounds, B writes a file and A reads
 * it 50 ms after B's write returned; A must answer with B's content, at B's version or a
 * later one. A holds the session all along: only B's change notification, which makes A
 * revalidate its copy, keeps A from serving its own;</li>
 * <li><strong>lost updates</strong>: writers on both pods at once, to distinct files and
 * to the same file of a session; every acknowledged write must be in the final state, or
 * be followed by a later acknowledged write to the same path (a higher version);</li>
 * <li><strong>evict</strong>: B deletes a session that A holds; A stops serving it;</li>
 * <li><strong>server restart</strong>: the server is killed and restarted empty on the
 * same port; A gets the resynchronize signal, and no stale read follows.</li>
 * </ul>
 * The counts are asserted; timings are only reported, on standard output and in
 * {@code target/coherence-report.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossPodCoherenceIT {

	/** How long after B's write returned A reads: the scenario, not a wait. */
	private static final Duration READ_DELAY = Duration.ofMillis(50);

	/** Sessions whose rounds run at once, to run thousands of rounds in seconds. */
	private static final int STALE_READ_SESSIONS = 10;

	private static final int STALE_READ_ROUNDS_PER_SESSION = 250;

	private static final int ROUNDS_AFTER_RESTART_PER_SESSION = 20;

	private static final int WRITERS_PER_POD = 2;

	private static final int WRITES_PER_WRITER = 250;

	private static final int DISTINCT_PATHS_PER_WRITER = 10;

	/** Generous: two cores, two pods, a test and a server. */
	private static final Duration AWAIT = Duration.ofSeconds(30);

	private static final String RESYNCHRONIZED = "Resynchronizing with the workspace cache (subscription restored)";

	private static final Path REPORT = Path.of("target", "coherence-report.md");

	private static final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	static final SamplePods pods = new SamplePods();

	private static RedisServer redis;

	private static String server;

	private static SamplePod a;

	private static SamplePod b;

	@BeforeAll
	static void startPods() throws Exception {
		redis = RedisServer.start();
		server = redis.flavour() + " " + redis.version();
		List<String> valkey = List.of("--spring.profiles.active=valkey", "--spring.data.redis.host=" + redis.host(),
				"--spring.data.redis.port=" + redis.port());
		List<SamplePod> started = pods.start(pod("coherence-a", valkey), pod("coherence-b", valkey));
		a = started.get(0);
		b = started.get(1);
	}

	@AfterAll
	static void stopServer() {
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	@Order(1)
	void aReadsWhatBWrote50MillisecondsEarlier() throws Exception {
		StaleReadRounds rounds = new StaleReadRounds(heldByBoth(STALE_READ_SESSIONS), STALE_READ_ROUNDS_PER_SESSION);
		rounds.run();
		rounds.report("B writes, A reads 50 ms later").publish(REPORT);
		assertThat(rounds.notAcknowledged()).as("writes and reads answered with anything but 200").isZero();
		assertThat(rounds.staleReads()).as("stale reads on A").isZero();
	}

	@Test
	@Order(2)
	void writersOnBothPodsToDistinctFilesLoseNoUpdate() throws Exception {
		runWriters("concurrent writers, distinct files", (pod, writer) -> {
			String prefix = pod.name() + "/writer-" + writer + "/file-";
			return (i) -> prefix + (i % DISTINCT_PATHS_PER_WRITER) + ".txt";
		});
	}

	@Test
	@Order(3)
	void writersOnBothPodsToTheSameFileLoseNoUpdate() throws Exception {
		runWriters("concurrent writers, one file", (pod, writer) -> (i) -> "shared.txt");
	}

	@Test
	@Order(4)
	void sessionEvictedOnBStopsBeingServedByA() throws Exception {
		UUID id = heldByBoth(1).get(0);
		assertThat(b.put(filePath(id, "a.txt"), bytes("before the delete")).statusCode()).isEqualTo(200);
		Awaitility.await("pod A to serve B's write")
			.atMost(AWAIT)
			.until(() -> a.get(filePath(id, "a.txt")).statusCode() == 200);

		assertThat(b.delete("/sessions/" + id).statusCode()).isEqualTo(204);
		long deleted = System.nanoTime();
		Awaitility.await("pod A to stop serving the deleted session")
			.atMost(AWAIT)
			.pollInterval(Duration.ofMillis(5))
			.until(() -> a.get(filePath(id, "a.txt")).statusCode() == 404);
		long gone = System.nanoTime();
		// A dropped its copy: nothing it serves or writes brings the session back.
		assertThat(a.delete("/l1/sessions/" + id).statusCode()).isEqualTo(404);
		assertThat(a.put(filePath(id, "a.txt"), bytes("too late")).statusCode()).isEqualTo(404);
		assertThat(b.get("/sessions/" + id).statusCode()).isEqualTo(404);
		new CoherenceReport(server, "B deletes a session A holds", 1, 0, 0, 0, "delete to A's 404",
				CoherenceReport.Latencies.of(List.of(gone - deleted)), "A answers 404, polled every 5 ms")
			.publish(REPORT);
	}

	@Test
	@Order(5)
	void afterAServerRestartAGetsTheResynchronizeSignalAndReadsNothingStale() throws Exception {
		List<UUID> sessions = heldByBoth(STALE_READ_SESSIONS);
		int signalsBefore = count(a.log(), RESYNCHRONIZED);
		int port = redis.port();
		redis.kill();
		redis.close();
		redis = RedisServer.builder().port(port).start();
		long restarted = System.nanoTime();
		// Both pods' connections are back (their health includes Redis): what B writes
		// reaches the cache, and what A reads comes from it.
		a.awaitHealthy(AWAIT);
		b.awaitHealthy(AWAIT);
		Awaitility.await("pod A's resynchronize signal")
			.atMost(AWAIT)
			.until(() -> count(a.log(), RESYNCHRONIZED) > signalsBefore);
		long signalled = System.nanoTime();

		StaleReadRounds rounds = new StaleReadRounds(sessions, ROUNDS_AFTER_RESTART_PER_SESSION);
		rounds.run();
		rounds.report(String.format(Locale.ROOT,
				"after a kill -9 and empty restart (A resynchronized %d ms after the server was back)",
				TimeUnit.NANOSECONDS.toMillis(signalled - restarted)))
			.publish(REPORT);
		assertThat(rounds.notAcknowledged()).as("writes and reads answered with anything but 200").isZero();
		assertThat(rounds.staleReads()).as("stale reads on A after the restart").isZero();
	}

	/**
	 * Create sessions on B and have A read each once, so that both pods hold a copy.
	 */
	private static List<UUID> heldByBoth(int count) throws IOException {
		List<UUID> sessions = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			HttpResponse<byte[]> created = b.postJson("/sessions", createBody());
			assertThat(created.statusCode()).isEqualTo(201);
			UUID id = UUID.fromString(json.readTree(text(created)).get("sessionId").asString());
			assertThat(a.get("/sessions/" + id).statusCode()).isEqualTo(200);
			sessions.add(id);
		}
		return sessions;
	}

	private static List<AcknowledgedWrite> write(SamplePod pod, UUID id, PathOfWrite paths) throws IOException {
		List<AcknowledgedWrite> acknowledged = new ArrayList<>();
		for (int i = 0; i < WRITES_PER_WRITER; i++) {
			String path = paths.of(i);
			String content = pod.name() + " " + Thread.currentThread().getName() + " write " + i;
			HttpResponse<byte[]> response = pod.put(filePath(id, path), bytes(content));
			if (response.statusCode() == 200) {
				acknowledged.add(new AcknowledgedWrite(path, content, version(response)));
			}
			else {
				// Not acknowledged, so not a lost update if it is missing: but the only
				// refusal a write without If-Match may get is a conflict after other
				// pods kept winning.
				assertThat(response.statusCode()).as(text(response)).isEqualTo(409);
				assertThat(text(response)).contains("kept changing on other pods");
			}
		}
		return acknowledged;
	}

	/**
	 * Run writers on both pods at once, on a session both hold, and check its final state
	 * against every write they had acknowledged.
	 */
	private static void runWriters(String scenario, PathsOfWriter paths) throws Exception {
		UUID id = heldByBoth(1).get(0);
		List<Callable<List<AcknowledgedWrite>>> writers = new ArrayList<>();
		for (SamplePod pod : List.of(a, b)) {
			for (int writer = 0; writer < WRITERS_PER_POD; writer++) {
				PathOfWrite pathOfWrite = paths.of(pod, writer);
				writers.add(() -> write(pod, id, pathOfWrite));
			}
		}
		ExecutorService executor = Executors.newFixedThreadPool(writers.size());
		List<AcknowledgedWrite> acknowledged = new ArrayList<>();
		long start = System.nanoTime();
		try {
			for (Future<List<AcknowledgedWrite>> writer : executor.invokeAll(writers)) {
				acknowledged.addAll(writer.get());
			}
		}
		finally {
			executor.shutdownNow();
		}
		long elapsed = System.nanoTime() - start;
		int attempted = writers.size() * WRITES_PER_WRITER;

		// Each acknowledged write reached its own version; per path, the one at the
		// highest version must be what the session holds in the end, as the cache
		// holds it (A drops its copy and recovers it) and as B holds it.
		Map<Long, AcknowledgedWrite> byVersion = new HashMap<>();
		Map<String, AcknowledgedWrite> lastByPath = new HashMap<>();
		long sameVersion = 0;
		for (AcknowledgedWrite write : acknowledged) {
			if (byVersion.putIfAbsent(write.version(), write) != null) {
				sameVersion++;
			}
			lastByPath.merge(write.path(), write, (x, y) -> (x.version() > y.version()) ? x : y);
		}
		assertThat(a.delete("/l1/sessions/" + id).statusCode()).isEqualTo(204);
		long lost = sameVersion;
		for (AcknowledgedWrite last : lastByPath.values()) {
			if (!holds(a, id, last) || !holds(b, id, last)) {
				lost++;
			}
		}
		new CoherenceReport(server, scenario, attempted, 0, lost, attempted - acknowledged.size(),
				"whole scenario (ms per write)",
				new CoherenceReport.Latencies(elapsed / 1e6 / attempted, elapsed / 1e6 / attempted, elapsed / 1e6),
				acknowledged.size() + " writes acknowledged on " + lastByPath.size() + " paths by " + writers.size()
						+ " writers")
			.publish(REPORT);
		assertThat(acknowledged).as("acknowledged writes").isNotEmpty();
		assertThat(lost).as("lost updates").isZero();
	}

	private static boolean holds(SamplePod pod, UUID id, AcknowledgedWrite write) throws IOException {
		HttpResponse<byte[]> file = pod.get(filePath(id, write.path()));
		return file.statusCode() == 200 && text(file).equals(write.content()) && version(file) >= write.version();
	}

	private static int count(String log, String message) {
		return (int) log.lines().filter((line) -> line.contains(message)).count();
	}

	private static long version(HttpResponse<byte[]> response) {
		String etag = response.headers().firstValue("ETag").orElse("\"-1\"");
		return Long.parseLong(etag.replace("\"", ""));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Rounds of one session each run in turn, and several sessions' rounds at once: B
	 * writes {@code notes.txt}, then A reads it {@link #READ_DELAY} after B's write
	 * returned.
	 */
	private static final class StaleReadRounds {

		private final List<UUID> sessions;

		private final int roundsPerSession;

		private final AtomicLong staleReads = new AtomicLong();

		private final AtomicLong notAcknowledged = new AtomicLong();

		private final ConcurrentLinkedQueue<Long> readDelays = new ConcurrentLinkedQueue<>();

		private final ConcurrentLinkedQueue<Long> readLatencies = new ConcurrentLinkedQueue<>();

		private final ConcurrentLinkedQueue<String> staleDetails = new ConcurrentLinkedQueue<>();

		StaleReadRounds(List<UUID> sessions, int roundsPerSession) {
			this.sessions = sessions;
			this.roundsPerSession = roundsPerSession;
		}

		void run() throws Exception {
			ExecutorService executor = Executors.newFixedThreadPool(this.sessions.size());
			try {
				List<Callable<Void>> rounds = new ArrayList<>();
				for (UUID id : this.sessions) {
					rounds.add(() -> {
						for (int round = 0; round < this.roundsPerSession; round++) {
							round(id, round);
						}
						return null;
					});
				}
				for (Future<Void> session : executor.invokeAll(rounds)) {
					session.get();
				}
			}
			finally {
				executor.shutdownNow();
			}
		}

		private void round(UUID id, int round) throws IOException {
			byte[] content = bytes("round " + round + " of session " + id + " written on B");
			HttpResponse<byte[]> written = b.put(filePath(id, "notes.txt"), content);
			long returned = System.nanoTime();
			if (written.statusCode() != 200) {
				this.notAcknowledged.incrementAndGet();
				return;
			}
			long readAt = returned + READ_DELAY.toNanos();
			for (long wait = readAt - System.nanoTime(); wait > 0; wait = readAt - System.nanoTime()) {
				LockSupport.parkNanos(wait);
			}
			long sent = System.nanoTime();
			HttpResponse<byte[]> read = a.get(filePath(id, "notes.txt"));
			this.readLatencies.add(System.nanoTime() - sent);
			this.readDelays.add(sent - returned);
			if (read.statusCode() != 200) {
				this.notAcknowledged.incrementAndGet();
			}
			else if (!Arrays.equals(read.body(), content) || version(read) < version(written)) {
				this.staleReads.incrementAndGet();
				// Late or never: a copy that A never revalidates fails the test here.
				long stale = System.nanoTime();
				Awaitility.await("pod A to serve B's write of round " + round + " of session " + id)
					.atMost(AWAIT)
					.pollInterval(Duration.ofMillis(5))
					.until(() -> Arrays.equals(a.get(filePath(id, "notes.txt")).body(), content));
				this.staleDetails.add(String.format(Locale.ROOT,
						"A at version %d, B at %d, read sent %d ms after B's write, fresh %d ms later", version(read),
						version(written), TimeUnit.NANOSECONDS.toMillis(sent - returned),
						TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stale)));
			}
		}

		long staleReads() {
			return this.staleReads.get();
		}

		long notAcknowledged() {
			return this.notAcknowledged.get();
		}

		CoherenceReport report(String scenario) {
			CoherenceReport.Latencies delays = CoherenceReport.Latencies.of(this.readDelays);
			String note = String.format(Locale.ROOT,
					"%d sessions at once; read sent %.1f ms (p50), %.1f ms (max) after B's write returned",
					this.sessions.size(), delays.p50Millis(), delays.maxMillis());
			if (!this.staleDetails.isEmpty()) {
				note += "; stale: " + String.join(", ", this.staleDetails);
			}
			return new CoherenceReport(server, scenario, this.sessions.size() * this.roundsPerSession,
					this.staleReads(), 0, this.notAcknowledged(), "A's read",
					CoherenceReport.Latencies.of(this.readLatencies), note);
		}

	}

	/**
	 * A write a pod acknowledged with 200.
	 *
	 * @param path the file
	 * @param content what was written
	 * @param version the session's version the write reached
	 */
	private record AcknowledgedWrite(String path, String content, long version) {

	}

	@FunctionalInterface
	private interface PathOfWrite {

		String of(int write);

	}

	@FunctionalInterface
	private interface PathsOfWriter {

		PathOfWrite of(SamplePod pod, int writer);

	}

}
