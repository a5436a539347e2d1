package dev.workspacecache.sample;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.workspacecache.testsupport.Jvm;
import dev.workspacecache.testsupport.RedisServer;

import static dev.workspacecache.sample.SamplePod.text;
import static dev.workspacecache.sample.SamplePods.pod;
import static dev.workspacecache.sample.SessionRequests.filePath;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged sample app in {@code valkey} mode on virtual threads
 * ({@code spring.threads.virtual.enabled=true}: Tomcat serves each request on a virtual
 * thread), under load. Virtual threads need Java 21: the pods run on the newest JDK 21+
 * found ({@link Jvm#atLeast}), whatever Java runs the build, and the test fails, saying
 * where it looked, when there is none.
 * <p>
 * What is asserted: while the pod serves every operation of the session API, and so every
 * cache operation, no virtual thread is pinned to its carrier (Java Flight Recorder's
 * {@code jdk.VirtualThreadPinned}, with no threshold); the same recording catches a pin
 * that is made on purpose, so that zero means none, not a recording that sees nothing.
 * <p>
 * What is measured and reported, never asserted: the throughput of file writes (each a
 * write-through to the cache) on virtual threads against platform threads, on the same
 * JDK, to standard output and {@code target/virtual-threads-report.md}.
 */
class VirtualThreadsIT {

	private static final int CLIENTS = 32;

	private static final Duration PINNING_LOAD = Duration.ofSeconds(8);

	private static final Duration WARM_UP = Duration.ofSeconds(6);

	/** Alternated, so that each pod compiles with C2 while the other is idle. */
	private static final int WARM_UP_ROUNDS = 3;

	private static final Duration ROUND = Duration.ofSeconds(2);

	private static final int ROUNDS = 10;

	private static final Path REPORT = Path.of("target", "virtual-threads-report.md");

	private static final String REPORT_HEADER = """
			| server | JDK | clients | rounds | virtual req/s | platform req/s | ratio | median round ratio (min–max) | load average |
			|---|---|---|---|---|---|---|---|---|
			""";

	@RegisterExtension
	static final SamplePods pods = new SamplePods();

	private static Jvm java;

	private static RedisServer redis;

	@BeforeAll
	static void startServer() {
		java = Jvm.atLeast(21);
		redis = RedisServer.start();
	}

	@AfterAll
	static void stopServer() {
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void theRecordingCatchesAVirtualThreadPinnedOnPurpose() throws Exception {
		// A virtual thread that sleeps in a class initializer stays on its carrier on
		// every JDK.
		String source = """
				public class PinnedOnPurpose {

					static class SlowToInitialize {
						static {
							try {
								Thread.sleep(50);
							}
							catch (InterruptedException ex) {
								Thread.currentThread().interrupt();
							}
						}

						static void initialize() {
						}
					}

					public static void main(String[] args) throws InterruptedException {
						Thread.ofVirtual().start(SlowToInitialize::initialize).join();
					}

				}
				""";
		Path directory = Files.createDirectories(SamplePods.logDirectory().resolve("pinned-on-purpose"));
		Path file = Files.writeString(directory.resolve("PinnedOnPurpose.java"), source);
		VirtualThreadRecording recording = new VirtualThreadRecording(java, directory.resolve("pinned.jfr"));
		Jvm recorded = recording.recordingJvm();
		List<String> command = new ArrayList<>();
		command.add(recorded.java().toString());
		command.addAll(recorded.options());
		command.add(file.toString());
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(directory.resolve("output.log").toFile())
			.start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
		assertThat(process.exitValue()).as("exit code of %s", command).isZero();
		assertThat(recording.pinned()).as(recording.printPinned()).hasSize(1);
	}

	@Test
	void noVirtualThreadIsPinnedWhileThePodServesEveryCacheOperation() throws Exception {
		VirtualThreadRecording recording = new VirtualThreadRecording(java,
				SamplePods.logDirectory().resolve("virtual-threads-pinning.jfr"));
		// Every read touches, so that touch runs under load too.
		SamplePod pod = pods
			.start(pod("virtual-threads-pinning", recording.recordingJvm(),
					valkeyArguments(true, "--sample.sessions.touch-interval=0s")))
			.get(0);
		List<UUID> sessions = createSessions(pod);
		// Warm-up: the first use of each class loads and initializes it, and a virtual
		// thread doing that stays on its carrier (a JDK limitation, JEP 491), for a few
		// milliseconds, once per class. Pins from then on would be the app's.
		load(pod, sessions, WARM_UP);
		everyOtherOperation(pod, sessions.subList(0, 2));
		Instant warm = Instant.now();
		List<UUID> measured = sessions.subList(2, sessions.size());
		List<FileWriteLoad.Request> requests = load(pod, measured, PINNING_LOAD);
		everyOtherOperation(pod, measured);
		pod.close();

		assertThat(requests).as("requests answered with anything but 200")
			.filteredOn((request) -> request.status() != 200)
			.isEmpty();
		// None with platform threads: Tomcat served on virtual threads.
		assertThat(recording.count(VirtualThreadRecording.STARTED)).as("virtual threads started by the pod")
			.isPositive();
		List<Instant> pinned = recording.pinned();
		assertThat(pinned).as("virtual threads pinned after the warm-up, in:%n%s", recording.printPinned())
			.filteredOn((start) -> start.isAfter(warm))
			.isEmpty();
		System.out.printf(
				"No virtual thread pinned in %d requests after the warm-up, on Java %d (%s); %d pinned "
						+ "during the warm-up (%s)%n",
				requests.size(), java.feature(), java.java(), pinned.size(), recording.file());
	}

	@Test
	void throughputOnVirtualThreadsAgainstPlatformThreads() throws Exception {
		// With the JIT a production JVM has (C2), unlike the other pods of the tests (C1
		// only, for a fast start): virtual threads park and resume through Java code
		// (the continuation and its ForkJoinPool scheduler) where platform threads park
		// in the kernel, so compiling with C1 alone slows the virtual pod more and
		// measures the compiler, not the threads. One pod at a time, so that the two
		// never compile at once. The warm-up is long enough for C2 to compile the hot
		// paths.
		Jvm production = java.withOptions("-XX:TieredStopAtLevel=4", "-Xmx512m");
		SamplePod virtual = pods.start(pod("virtual-threads", production, valkeyArguments(true))).get(0);
		SamplePod platform = pods.start(pod("platform-threads", production, valkeyArguments(false))).get(0);
		List<UUID> virtualSessions = createSessions(virtual);
		List<UUID> platformSessions = createSessions(platform);
		for (int i = 0; i < WARM_UP_ROUNDS; i++) {
			load(virtual, virtualSessions, WARM_UP);
			load(platform, platformSessions, WARM_UP);
		}
		// One pod under load at a time, alternating in short rounds, the order swapped
		// every round, so that the machine's drift falls on both alike; the median of
		// the rounds' ratios is not moved by a burst of other work in one round.
		double loadBefore = systemLoad();
		List<FileWriteLoad.Request> onVirtual = new ArrayList<>();
		List<FileWriteLoad.Request> onPlatform = new ArrayList<>();
		List<Double> ratios = new ArrayList<>();
		for (int round = 0; round < ROUNDS; round++) {
			boolean virtualFirst = round % 2 == 0;
			List<FileWriteLoad.Request> first = load(virtualFirst ? virtual : platform,
					virtualFirst ? virtualSessions : platformSessions, ROUND);
			List<FileWriteLoad.Request> second = load(virtualFirst ? platform : virtual,
					virtualFirst ? platformSessions : virtualSessions, ROUND);
			List<FileWriteLoad.Request> virtualRound = virtualFirst ? first : second;
			List<FileWriteLoad.Request> platformRound = virtualFirst ? second : first;
			onVirtual.addAll(virtualRound);
			onPlatform.addAll(platformRound);
			ratios.add((double) virtualRound.size() / platformRound.size());
		}
		double loadAfter = systemLoad();

		assertThat(onVirtual).as("requests on virtual threads answered with anything but 200")
			.filteredOn((request) -> request.status() != 200)
			.isEmpty();
		assertThat(onPlatform).as("requests on platform threads answered with anything but 200")
			.filteredOn((request) -> request.status() != 200)
			.isEmpty();
		Duration total = ROUND.multipliedBy(ROUNDS);
		double virtualRate = perSecond(onVirtual.size(), total);
		double platformRate = perSecond(onPlatform.size(), total);
		List<Double> sorted = ratios.stream().sorted().toList();
		double median = (sorted.get((ROUNDS - 1) / 2) + sorted.get(ROUNDS / 2)) / 2;
		String report = String.format(Locale.ROOT,
				"| %s %s | Java %d | %d | %d × %d s each | %.0f | %.0f | %.2f | %.2f (%.2f–%.2f) | %.1f → %.1f |%n",
				redis.flavour(), redis.version(), java.feature(), CLIENTS, ROUNDS, ROUND.toSeconds(), virtualRate,
				platformRate, virtualRate / platformRate, median, sorted.get(0), sorted.get(ROUNDS - 1), loadBefore,
				loadAfter);
		System.out.print(REPORT_HEADER + report);
		appendToReport(report);
	}

	// The machine's load average: other work running beside the measurement.
	private static double systemLoad() {
		return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
	}

	private static List<String> valkeyArguments(boolean virtualThreads, String... more) {
		List<String> arguments = new ArrayList<>(List.of("--spring.profiles.active=valkey",
				"--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port(),
				"--spring.threads.virtual.enabled=" + virtualThreads));
		arguments.addAll(List.of(more));
		return arguments;
	}

	private static List<UUID> createSessions(SamplePod pod) throws IOException {
		List<UUID> sessions = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			sessions.add(pod.createSession());
		}
		return sessions;
	}

	private static List<FileWriteLoad.Request> load(SamplePod pod, List<UUID> sessions, Duration duration)
			throws InterruptedException {
		try (FileWriteLoad load = new FileWriteLoad(pod, sessions)) {
			load.start();
			// A load of a fixed length: nothing to await.
			Thread.sleep(duration.toMillis());
			return load.stop();
		}
	}

	/**
	 * Make the requests that reach the cache operations the file writes do not: read
	 * (touch), graph, drop and recover (recover), the actuator's view of a workspace
	 * (describe) and of the server (ping), delete (evict).
	 */
	private static void everyOtherOperation(SamplePod pod, List<UUID> sessions) throws IOException {
		for (UUID session : sessions) {
			String path = "/sessions/" + session;
			assertOk(pod.get(filePath(session, "src/file-0.txt")), 200);
			assertOk(pod.put(path + "/graph", new byte[] { 1, 2, 3 }), 200);
			assertOk(pod.delete("/l1" + path), 204);
			assertOk(pod.get(path + "/files"), 200);
			assertOk(pod.get("/actuator/workspacecache/" + session), 200);
			assertOk(pod.get("/actuator/health"), 200);
			assertOk(pod.delete(path), 204);
		}
	}

	private static void assertOk(HttpResponse<byte[]> response, int status) {
		assertThat(response.statusCode()).as("%s %s: %s", response.request().method(), response.uri(), text(response))
			.isEqualTo(status);
	}

	private static double perSecond(int requests, Duration duration) {
		return requests / (duration.toNanos() / 1e9);
	}

	private static void appendToReport(String row) throws IOException {
		boolean exists = Files.exists(REPORT);
		Files.writeString(REPORT, exists ? row : REPORT_HEADER + row, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
				StandardOpenOption.APPEND);
	}

}
