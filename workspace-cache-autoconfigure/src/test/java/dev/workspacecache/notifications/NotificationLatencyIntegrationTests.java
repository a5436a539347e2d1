package dev.workspacecache.notifications;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.workspacecache.testsupport.RedisConnections;
import dev.workspacecache.testsupport.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Notification latency and stale reads between two pods that are separate JVMs
 * ({@link CachePod}), as issue #10 measures them: pod B writes, pod A holds a copy of
 * every workspace that only notifications keep coherent, and reads it 50 ms after B's
 * write returned.
 * <p>
 * Several lanes run at once, each a workspace of its own, round after round: B writes the
 * workspace conditionally on the version it last wrote, and 50 ms after B's write
 * returned A reads its copy. A read is stale when A serves another version than the one
 * B's write acknowledged. The latency of a write is from the moment B's write returned to
 * the moment A's listener had run (and dropped A's copy), both wall-clock times on one
 * machine; negative when the notification overtook B's reply. The first rounds, while the
 * pods' JIT compiles and their classes load, count for delivery but not for the figures
 * nor for stale reads.
 * <p>
 * The figures go to {@code target/notification-latency-<server>.md} and to the output;
 * the test asserts only that every write was heard, once and in order, and that no read
 * was stale: the 50 ms are the scenario, and a notification later than that (on a
 * machine starved of CPU) fails it.
 */
class NotificationLatencyIntegrationTests {

	private static final int LANES = 10;

	private static final int ROUNDS = 3000;

	/** Rounds left out of the latency figures: the pods' JIT and connections warm up. */
	private static final int WARM_UP_ROUNDS = 300;

	private static final Duration READ_AFTER_WRITE = Duration.ofMillis(50);

	@Test
	void podAHearsEveryWriteOfPodBAndNeverServesAStaleCopy() throws Exception {
		Path target = Path.of(System.getProperty("basedir", ".")).resolve("target");
		String prefix = RedisConnections.randomKeyPrefix();
		try (RedisServer server = RedisServer.start();
				CachePodProcess podA = CachePodProcess.start("pod-a", server, prefix,
						target.resolve("notification-latency"));
				CachePodProcess podB = CachePodProcess.start("pod-b", server, prefix,
						target.resolve("notification-latency"))) {
			List<UUID> lanes = new ArrayList<>();
			for (int i = 0; i < LANES; i++) {
				UUID id = UUID.randomUUID();
				assertThat(podB.call("create " + id)).isEqualTo("1");
				assertThat(podA.call("hold " + id)).isEqualTo("1");
				lanes.add(id);
			}
			AtomicInteger roundsLeft = new AtomicInteger(ROUNDS);
			ConcurrentLinkedQueue<Round> rounds = new ConcurrentLinkedQueue<>();
			ScheduledExecutorService reads = Executors.newScheduledThreadPool(2);
			ExecutorService runners = Executors.newFixedThreadPool(LANES);
			long started = System.nanoTime();
			try {
				List<Future<?>> running = new ArrayList<>();
				for (UUID id : lanes) {
					running.add(runners.submit(() -> {
						runLane(id, podA, podB, roundsLeft, rounds, reads);
						return null;
					}));
				}
				for (Future<?> lane : running) {
					lane.get(5, TimeUnit.MINUTES);
				}
			}
			finally {
				runners.shutdownNow();
				reads.shutdownNow();
			}
			Duration took = Duration.ofNanos(System.nanoTime() - started);

			List<String> heardLines = podA.heard();
			Map<String, Long> heardAt = new HashMap<>();
			Map<UUID, List<Long>> heardVersions = new HashMap<>();
			for (String line : heardLines) {
				String[] parts = line.split(" ");
				UUID id = UUID.fromString(parts[0]);
				assertThat(parts[2]).as("origin of %s", line).isEqualTo("pod-b");
				heardVersions.computeIfAbsent(id, (key) -> new ArrayList<>()).add(Long.parseLong(parts[1]));
				heardAt.put(parts[0] + " " + parts[1], Long.parseLong(parts[3]));
			}
			List<Long> latencies = new ArrayList<>();
			List<Long> warmUpLatencies = new ArrayList<>();
			List<String> stale = new ArrayList<>();
			List<String> staleThoughHeard = new ArrayList<>();
			int warmUpStale = 0;
			int fromCopy = 0;
			for (Round round : rounds) {
				Long at = heardAt.get(round.id() + " " + round.version());
				boolean warmUp = round.number() < WARM_UP_ROUNDS;
				if (at != null) {
					(warmUp ? warmUpLatencies : latencies).add(at - round.returnedAt());
				}
				if (round.read() != round.version()) {
					String described = String.format(Locale.ROOT,
							"round %d: A served version %d of %s from a read started %.1f ms after B's write of version %d returned, "
									+ "whose notification A heard after %s",
							round.number(), round.read(), round.id(),
							(round.readStartedAt() - round.returnedAt()) / 1000.0, round.version(),
							(at != null) ? String.format(Locale.ROOT, "%.1f ms", (at - round.returnedAt()) / 1000.0)
									: "never");
					if (warmUp) {
						warmUpStale++;
					}
					else {
						stale.add(described);
					}
					if (at != null && at < round.readStartedAt()) {
						staleThoughHeard.add(described);
					}
				}
				fromCopy += round.readFromCopy() ? 1 : 0;
			}
			String[] reportOfA = podA.call("report").split(" ");
			String report = report(server, rounds.size(), took, latencies, stale, fromCopy)
					+ String.format(Locale.ROOT,
							"%nWarm-up (the first %d rounds, while the pods' JIT and connections warm up): %d stale "
									+ "reads, latency up to %s.%n",
							WARM_UP_ROUNDS, warmUpStale, millis(sorted(warmUpLatencies), 1.0))
					+ String.format(Locale.ROOT,
							"%nWorst wake-up delay of a thread of pod A sleeping 1 ms, at any time: %.1f ms (when "
									+ "notifications are late, large means the machine was short of CPU).%n",
							Long.parseLong(reportOfA[2]) / 1000.0);
			System.out.println(report);
			Files.writeString(target.resolve("notification-latency-" + server.flavour() + ".md"), report,
					StandardCharsets.UTF_8);

			assertThat(rounds).hasSize(ROUNDS);
			// Every lane's workspace went from version 1 (created) through one version a
			// round, and A heard each of them, in order, once.
			Map<UUID, Long> roundsPerLane = new HashMap<>();
			rounds.forEach((round) -> roundsPerLane.merge(round.id(), 1L, Long::sum));
			for (UUID id : lanes) {
				assertThat(heardVersions.get(id)).as("versions of %s heard by A", id)
					.containsExactlyElementsOf(
							LongStream.rangeClosed(2, 1 + roundsPerLane.getOrDefault(id, 0L)).boxed().toList());
			}
			// A copy served after the notification of a newer version was heard would be
			// a bug of the pod or of delivery, warm or not; one served before it arrived
			// is a notification later than the read.
			assertThat(staleThoughHeard).as("stale reads after the notification was heard").isEmpty();
			assertThat(stale).as("stale reads after the warm-up").isEmpty();
			assertThat(rounds).as("rounds whose first read was fresh but whose second A did not serve from its copy")
				.filteredOn((round) -> round.read() == round.version() && !round.copyServedAgain())
				.isEmpty();
			assertThat(reportOfA[1]).as("resynchronize signals A heard").isEqualTo("0");
		}
	}

	private static void runLane(UUID id, CachePodProcess podA, CachePodProcess podB, AtomicInteger roundsLeft,
			ConcurrentLinkedQueue<Round> rounds, ScheduledExecutorService reads) throws Exception {
		long version = 1;
		for (int number = ROUNDS - roundsLeft.getAndDecrement(); number < ROUNDS; number = ROUNDS
				- roundsLeft.getAndDecrement()) {
			String[] written = podB.call("write " + id + " " + version).split(" ");
			assertThat(written[0]).as("B's write at version %d applied", version).isEqualTo("1");
			long acknowledged = Long.parseLong(written[1]);
			long returnedAt = Long.parseLong(written[2]);
			long delay = returnedAt + READ_AFTER_WRITE.toNanos() / 1000 - CachePod.epochMicros();
			// A reads 50 ms after B's write returned: the scenario, not a wait for a
			// condition.
			String[] read = reads.schedule(() -> podA.call("read " + id), Math.max(0, delay), TimeUnit.MICROSECONDS)
				.get()
				.split(" ");
			// Read again at once: nothing changed, so A serves the copy it just took.
			String[] again = podA.call("read " + id).split(" ");
			rounds.add(new Round(number, id, acknowledged, returnedAt, Long.parseLong(read[0]), read[1].equals("copy"),
					Long.parseLong(read[2]), again[1].equals("copy") && again[0].equals(read[0])));
			version = acknowledged;
		}
	}

	private static String report(RedisServer server, int rounds, Duration took, List<Long> latencies,
			List<String> stale, int fromCopy) {
		List<Long> sorted = sorted(latencies);
		StringBuilder report = new StringBuilder();
		report.append("# Notification latency, pods as separate JVMs, ")
			.append(server.flavour())
			.append(' ')
			.append(server.version())
			.append("\n\n");
		report.append(String.format(Locale.ROOT,
				"%d rounds on %d workspaces in %.1f s (B writes, A reads %d ms after B's write returned); "
						+ "latency from B's write returning to A's listener having run (dropped its copy), and stale reads, over the %d "
						+ "rounds after %d warm-up rounds, on loopback, Java %s:%n%n",
				rounds, LANES, took.toMillis() / 1000.0, READ_AFTER_WRITE.toMillis(), sorted.size(), WARM_UP_ROUNDS,
				System.getProperty("java.version")));
		report.append("| p50 | p90 | p99 | max | stale reads | first reads served from A's copy |\n");
		report.append("|---|---|---|---|---|---|\n");
		report.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d of %d | %d |%n", millis(sorted, 0.50),
				millis(sorted, 0.90), millis(sorted, 0.99), millis(sorted, 1.0), stale.size(), rounds - WARM_UP_ROUNDS,
				fromCopy));
		long late = sorted.stream().filter((latency) -> latency > READ_AFTER_WRITE.toNanos() / 1000).count();
		report
			.append(String.format(Locale.ROOT, "%nNotifications heard more than %d ms after the write returned: %d.%n",
					READ_AFTER_WRITE.toMillis(), late));
		stale.stream().limit(20).forEach((round) -> report.append("- stale: ").append(round).append('\n'));
		report.append(String.format(Locale.ROOT, "%nLoad average of the machine: %.1f on %d cores.%n",
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
				Runtime.getRuntime().availableProcessors()));
		return report.toString();
	}

	private static List<Long> sorted(List<Long> values) {
		List<Long> sorted = new ArrayList<>(values);
		sorted.sort(null);
		return sorted;
	}

	private static String millis(List<Long> sorted, double percentile) {
		if (sorted.isEmpty()) {
			return "-";
		}
		int index = (int) Math.min(sorted.size() - 1, Math.ceil(percentile * sorted.size()) - 1);
		return String.format(Locale.ROOT, "%.2f ms", sorted.get(Math.max(0, index)) / 1000.0);
	}

	/**
	 * One round: B's write, acknowledged at a version when it returned, and A's read 50
	 * ms later.
	 */
	private record Round(int number, UUID id, long version, long returnedAt, long read, boolean readFromCopy,
			long readStartedAt, boolean copyServedAgain) {
	}

}
