package dev.workspacecache.sample;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import dev.workspacecache.testsupport.RedisServer;

import static dev.workspacecache.sample.SamplePod.text;
import static dev.workspacecache.sample.SamplePods.pod;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache's server goes away for several seconds while a pod of the packaged sample app
 * is under load: four clients each writing 1 KiB files to a session of their own, every
 * write going through to the cache. Two outages: the server killed ({@code kill -9}) and
 * restarted empty on its port, and the server stopped ({@code SIGSTOP}) and continued.
 * <p>
 * What is asserted: every request is answered 200 throughout (the cache is best effort
 * for the sample); the pod's cache failed fast during the outage and serves again after
 * it; and nothing the pod holds is lost: afterwards a second pod, which never held those
 * sessions, recovers each of them from the cache exactly as the first pod holds it.
 * <p>
 * What is measured and reported, never asserted (timings depend on the machine): latency
 * p50/p99/max before, during and after the outage, throughput during it as a ratio of
 * before, and how long after the server was back the cache served again. The figures go
 * to standard output and to {@code target/outage-report.md}.
 */
class CacheOutageIT {

	private static final int CLIENTS = 4;

	private static final Duration WARM_UP = Duration.ofSeconds(3);

	private static final Duration BEFORE = Duration.ofSeconds(4);

	private static final Duration OUTAGE = Duration.ofSeconds(6);

	private static final Duration AFTER = Duration.ofSeconds(5);

	/** Longest the cache may take to serve again before the test gives up. */
	private static final Duration BACK_WITHIN = Duration.ofSeconds(30);

	private static final String UNAVAILABLE = "Workspace cache server unavailable";

	private static final String SERVING_AGAIN = "Workspace cache server reachable again";

	private static final Path REPORT = Path.of("target", "outage-report.md");

	private static final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	static final SamplePods pods = new SamplePods();

	private static RedisServer redis;

	private static SamplePod writer;

	private static SamplePod reader;

	@BeforeAll
	static void startPods() throws Exception {
		redis = RedisServer.start();
		List<String> valkey = List.of("--spring.profiles.active=valkey", "--spring.data.redis.host=" + redis.host(),
				"--spring.data.redis.port=" + redis.port());
		List<SamplePod> started = pods.start(pod("outage-writer", valkey), pod("outage-reader", valkey));
		writer = started.get(0);
		reader = started.get(1);
	}

	@AfterAll
	static void stopServer() {
		if (redis != null) {
			if (redis.isRunning()) {
				redis.resume();
			}
			redis.close();
		}
	}

	@Test
	void killedAndRestartedEmpty() throws Exception {
		int port = redis.port();
		runOutage("kill -9, restart empty", redis::kill, () -> {
			redis.close();
			redis = RedisServer.builder().port(port).start();
			// Back once it answers PING, which is when start() returns.
			return Instant.now();
		});
	}

	@Test
	void stoppedAndContinued() throws Exception {
		runOutage("SIGSTOP, SIGCONT", redis::suspend, () -> {
			// Back as soon as the signal is delivered: what the server had received
			// meanwhile is answered at once, perhaps before the kill command has
			// returned.
			Instant back = Instant.now();
			redis.resume();
			return back;
		});
	}

	/**
	 * Run one outage under load.
	 * @param scenario what happens to the server, for the report
	 * @param outage takes the server away
	 * @param end brings it back, and returns when it was back
	 */
	private void runOutage(String scenario, Runnable outage, Supplier<Instant> end) throws Exception {
		String server = redis.flavour() + " " + redis.version();
		List<UUID> sessions = createSessions();
		FileWriteLoad load = new FileWriteLoad(writer, sessions);
		load.start();
		// Unmeasured: lets the pod's JIT warm up, so that "before" is the pod's normal
		// pace.
		pause(WARM_UP);
		long start = System.nanoTime();
		pause(BEFORE);
		int outagesSeen = count(writer.log(), UNAVAILABLE);
		long outageStart = System.nanoTime();
		Instant outageStartedAt = Instant.now();
		outage.run();
		pause(OUTAGE);
		long serverBack = System.nanoTime();
		Instant serverBackAt = end.get();
		pause(AFTER);
		long stop = System.nanoTime();
		List<FileWriteLoad.Request> requests = load.stop();

		Instant servingAgainAt = awaitServingAgain(outageStartedAt);
		OutageReport report = new OutageReport(scenario, server,
				OutageReport.Phase.of("before", requests, start, outageStart),
				OutageReport.Phase.of("during", requests, outageStart, serverBack),
				OutageReport.Phase.of("after", requests, serverBack, stop),
				Duration.between(serverBackAt, servingAgainAt));
		System.out.print(OutageReport.HEADER + report.toMarkdown());
		report.appendTo(REPORT);

		assertThat(requests).as("requests answered with anything but 200")
			.filteredOn((request) -> request.status() != 200)
			.isEmpty();
		assertThat(report.during().requests()).as("requests served during the outage").isPositive();
		assertThat(count(writer.log(), UNAVAILABLE)).as("outages the writer's cache detected")
			.isGreaterThan(outagesSeen);
		assertSessionsRecoverableExactly(sessions);
	}

	private static int count(String log, String message) {
		return (int) log.lines().filter((line) -> line.contains(message)).count();
	}

	private static List<UUID> createSessions() throws IOException {
		List<UUID> sessions = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			sessions.add(writer.createSession());
		}
		return sessions;
	}

	/**
	 * Wait until the writer's log says its cache serves again after the outage.
	 * @param outageStartedAt when the outage began
	 * @return when the cache served again, by the log's clock (this machine's)
	 */
	private static Instant awaitServingAgain(Instant outageStartedAt) {
		return Awaitility.await("the writer's cache serving again")
			.atMost(BACK_WITHIN)
			.until(() -> servingAgainAt(writer.log(), outageStartedAt), (instant) -> instant != null);
	}

	private static Instant servingAgainAt(String log, Instant after) {
		return log.lines()
			.filter((line) -> line.contains(SERVING_AGAIN))
			.map(CacheOutageIT::timestampOf)
			.filter((instant) -> instant != null && instant.isAfter(after))
			.findFirst()
			.orElse(null);
	}

	private static Instant timestampOf(String logLine) {
		int end = logLine.indexOf(' ');
		try {
			return OffsetDateTime.parse((end > 0) ? logLine.substring(0, end) : logLine).toInstant();
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/**
	 * After the outage every session, written through while the cache was away, must be
	 * in the cache exactly as the writer holds it: the reader, which never held these
	 * sessions, recovers each from the cache.
	 */
	private static void assertSessionsRecoverableExactly(List<UUID> sessions) throws IOException {
		for (UUID session : sessions) {
			// One more write, now that the cache serves: it finds the session missing
			// (restarted empty) or behind (writes failed meanwhile) and writes it back.
			assertThat(writer.put(SessionRequests.filePath(session, "after-outage.txt"), new byte[] { 1 }).statusCode())
				.isEqualTo(200);
			HttpResponse<byte[]> held = writer.get("/sessions/" + session + "/files");
			HttpResponse<byte[]> recovered = reader.get("/sessions/" + session + "/files");
			assertThat(recovered.statusCode()).as("the reader recovering session %s", session).isEqualTo(200);
			assertThat(json.readTree(text(recovered))).as("session %s as recovered by the reader", session)
				.isEqualTo(json.readTree(text(held)));
		}
	}

	/**
	 * Let the load run for a phase of the scenario: the length of a phase is what the
	 * scenario measures, not a wait for a condition.
	 */
	private static void pause(Duration phase) throws InterruptedException {
		Thread.sleep(phase.toMillis());
	}

}
