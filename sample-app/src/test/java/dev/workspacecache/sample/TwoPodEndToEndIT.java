package dev.workspacecache.sample;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.workspacecache.testsupport.Jvm;
import dev.workspacecache.testsupport.RedisInspector;
import dev.workspacecache.testsupport.RedisServer;

import static dev.workspacecache.sample.SamplePod.text;
import static dev.workspacecache.sample.SamplePods.pod;
import static dev.workspacecache.sample.SessionRequests.AWKWARD_PATH;
import static dev.workspacecache.sample.SessionRequests.allByteValues;
import static dev.workspacecache.sample.SessionRequests.createBody;
import static dev.workspacecache.sample.SessionRequests.filePath;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The multi-pod promise, end to end: two instances of the packaged sample app
 * ({@code java -jar}, as deployed) run as separate processes, in {@code valkey} mode
 * against one real Redis or Valkey server, and any of them serves a session the other
 * created, and stops serving a change or a session another pod replaced or deleted. Two
 * more instances in the default {@code noop} mode show what happens without a shared
 * cache.
 * <p>
 * The server is the test's own, so that it can be restarted empty ({@link ServerRestart})
 * to show a pod writing back a session the cache lost.
 * <p>
 * Runs twice: with the {@code valkey} pods started as usual, and started from the
 * AOT-processed application context that {@code process-aot} put in the jar
 * ({@link Startup}).
 * <p>
 * Runs in Maven's {@code integration-test} phase (failsafe), after {@code package} has
 * built the jar; failsafe passes its path to {@link SamplePods}.
 */
@ParameterizedClass(name = "valkey pods started {0}")
@EnumSource
class TwoPodEndToEndIT {

	/** How long the pods may take to reconnect to a restarted server. */
	private static final Duration RECONNECT_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * Generous: a change notification arrives within milliseconds, on a machine that is
	 * not also running other builds.
	 */
	private static final Duration NOTIFIED_WITHIN = Duration.ofSeconds(10);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static RedisServer redis;

	private static SamplePod sharedA;

	private static SamplePod sharedB;

	private static SamplePod localA;

	private static SamplePod localB;

	@RegisterExtension
	static final SamplePods pods = new SamplePods();

	@Parameter
	Startup startup;

	@BeforeParameterizedClassInvocation
	static void startPods(Startup startup) throws Exception {
		// DEBUG RESTART restarts the server in place; the server refuses DEBUG unless
		// told.
		redis = RedisServer.builder().arg("--enable-debug-command", "yes").start();
		List<String> valkey = List.of("--spring.profiles.active=valkey", "--spring.data.redis.host=" + redis.host(),
				"--spring.data.redis.port=" + redis.port());
		long start = System.nanoTime();
		// The noop pods always start as usual: the jar's AOT-processed context is the
		// valkey mode's (bean conditions are decided when it is processed).
		List<SamplePod> started = pods.start(pod("valkey-a", startup.jvm, valkey), pod("valkey-b", startup.jvm, valkey),
				pod("noop-a", List.of()), pod("noop-b", List.of()));
		sharedA = started.get(0);
		sharedB = started.get(1);
		localA = started.get(2);
		localB = started.get(3);
		System.out.printf("Started 4 sample app instances (valkey pods %s) in %.1f s against %s%n", startup,
				(System.nanoTime() - start) / 1e9, redis);
	}

	@AfterParameterizedClassInvocation
	static void stopPodsAndServer() {
		pods.stop();
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void theValkeyPodsStartedTheWayThisRunSays() {
		for (SamplePod pod : List.of(sharedA, sharedB)) {
			assertThat(pod.log()).as(pod.name())
				.contains("Starting " + (this.startup.aotProcessed ? "AOT-processed " : "") + "SampleApplication");
		}
	}

	@Test
	void anyPodServesASessionAnotherPodCreated() throws IOException {
		// A creates the session and writes to it.
		HttpResponse<byte[]> created = sharedA.postJson("/sessions", createBody());
		assertThat(created.statusCode()).isEqualTo(201);
		JsonNode snapshot = json.readTree(text(created));
		UUID id = UUID.fromString(snapshot.get("sessionId").asString());
		byte[] readme = "# Notes\nwritten on pod A\n".getBytes(StandardCharsets.UTF_8);
		byte[] awkward = "nested, spaced, non-ASCII: ☕\n".getBytes(StandardCharsets.UTF_8);
		assertKind(sharedA.put(filePath(id, "README.md"), readme), "Added");
		assertKind(sharedA.put(filePath(id, "bin/all-bytes.bin"), allByteValues()), "Added");
		assertKind(sharedA.put(filePath(id, AWKWARD_PATH), awkward), "Added");
		assertThat(sharedA.put("/sessions/" + id + "/graph", new byte[] { 1, 2, 3 }).statusCode()).isEqualTo(200);

		// B never saw it: it recovers it from the cache and serves it byte for byte.
		HttpResponse<byte[]> onB = sharedB.get("/sessions/" + id);
		assertThat(onB.statusCode()).isEqualTo(200);
		assertThat(json.readTree(text(onB))).isEqualTo(snapshot);
		assertFiles(sharedB, id, List.of("README.md", "bin/all-bytes.bin", AWKWARD_PATH),
				List.of("Added", "Added", "Added"));
		assertContent(sharedB, id, "README.md", readme);
		assertContent(sharedB, id, "bin/all-bytes.bin", allByteValues());
		assertContent(sharedB, id, AWKWARD_PATH, awkward);
		assertThat(sharedB.get("/sessions/" + id + "/graph").body()).containsExactly(1, 2, 3);

		// B deletes a file. A holds the session too: B's change notification makes A
		// revalidate its copy, so A stops serving the file.
		assertKind(sharedB.delete(filePath(id, "README.md")), "Deleted");
		Awaitility.await("pod A to serve B's delete")
			.atMost(NOTIFIED_WITHIN)
			.untilAsserted(() -> assertThat(sharedA.get(filePath(id, "README.md")).statusCode()).isEqualTo(404));
		HttpResponse<byte[]> deleted = sharedA.get(filePath(id, "README.md"));
		assertThat(text(deleted)).contains("was deleted");
		assertFiles(sharedA, id, List.of("README.md", "bin/all-bytes.bin", AWKWARD_PATH),
				List.of("Deleted", "Added", "Added"));
		assertContent(sharedA, id, "bin/all-bytes.bin", allByteValues());
		assertContent(sharedA, id, AWKWARD_PATH, awkward);

		// B deletes the session, which evicts it from the cache; A drops its copy when
		// the evict is announced, and no pod can recover it.
		assertThat(sharedB.delete("/sessions/" + id).statusCode()).isEqualTo(204);
		Awaitility.await("pod A to drop the deleted session")
			.atMost(NOTIFIED_WITHIN)
			.untilAsserted(() -> assertThat(sharedA.get("/sessions/" + id).statusCode()).isEqualTo(404));
		for (SamplePod pod : List.of(sharedA, sharedB)) {
			HttpResponse<byte[]> gone = pod.get("/sessions/" + id);
			assertThat(gone.statusCode()).as(pod.name()).isEqualTo(404);
			assertThat(gone.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(text(gone)).as(pod.name()).contains("not in the shared workspace cache");
		}
	}

	@Test
	void aPodWritesBackWholeASessionTheServerLostInARestart() throws IOException {
		HttpResponse<byte[]> created = sharedA.postJson("/sessions", createBody());
		assertThat(created.statusCode()).isEqualTo(201);
		JsonNode snapshot = json.readTree(text(created));
		UUID id = UUID.fromString(snapshot.get("sessionId").asString());
		byte[] readme = "# Notes\nwritten on pod A before the restart\n".getBytes(StandardCharsets.UTF_8);
		byte[] awkward = "nested, spaced, non-ASCII: ☕\n".getBytes(StandardCharsets.UTF_8);
		// A graph is an opaque blob: any byte value may occur in it.
		byte[] graph = new byte[4096];
		new Random(42).nextBytes(graph);
		assertKind(sharedA.put(filePath(id, "README.md"), readme), "Added");
		assertKind(sharedA.put(filePath(id, "bin/all-bytes.bin"), allByteValues()), "Added");
		assertKind(sharedA.put(filePath(id, AWKWARD_PATH), awkward), "Added");
		assertKind(sharedA.delete(filePath(id, "removed.txt")), "Deleted");
		assertThat(sharedA.put("/sessions/" + id + "/graph", graph).statusCode()).isEqualTo(200);

		// The server restarts without persistence: A's copy is all that is left of the
		// session.
		assertThat(keyCount()).isPositive();
		redis.restartEmpty();
		assertThat(keyCount()).isZero();
		sharedA.awaitHealthy(RECONNECT_TIMEOUT);
		sharedB.awaitHealthy(RECONNECT_TIMEOUT);
		assertThat(sharedB.get("/sessions/" + id).statusCode()).isEqualTo(404);

		// A's next write finds the session missing in the cache and writes all of it
		// back.
		byte[] later = "written on pod A after the restart\n".getBytes(StandardCharsets.UTF_8);
		assertKind(sharedA.put(filePath(id, "after-restart.txt"), later), "Added");
		String writeBack = "Workspace cache had lost session " + id + "; wrote it back whole (5 files)";
		Awaitility.await("pod A to log the write-back")
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(sharedA.log().lines().filter((line) -> line.contains(writeBack))).singleElement()
						.asString()
						.contains(" INFO "));

		// B recovers it whole, byte for byte.
		HttpResponse<byte[]> onB = sharedB.get("/sessions/" + id);
		assertThat(onB.statusCode()).isEqualTo(200);
		assertThat(json.readTree(text(onB))).isEqualTo(snapshot);
		assertFiles(sharedB, id,
				List.of("README.md", "after-restart.txt", "bin/all-bytes.bin", "removed.txt", AWKWARD_PATH),
				List.of("Added", "Added", "Added", "Deleted", "Added"));
		assertThat(json.readTree(text(sharedB.get("/sessions/" + id + "/files"))))
			.isEqualTo(json.readTree(text(sharedA.get("/sessions/" + id + "/files"))));
		assertContent(sharedB, id, "README.md", readme);
		assertContent(sharedB, id, "after-restart.txt", later);
		assertContent(sharedB, id, "bin/all-bytes.bin", allByteValues());
		assertContent(sharedB, id, AWKWARD_PATH, awkward);
		HttpResponse<byte[]> removed = sharedB.get(filePath(id, "removed.txt"));
		assertThat(removed.statusCode()).isEqualTo(404);
		assertThat(text(removed)).contains("was deleted");
		HttpResponse<byte[]> graphOnB = sharedB.get("/sessions/" + id + "/graph");
		assertThat(graphOnB.statusCode()).isEqualTo(200);
		assertThat(graphOnB.body()).isEqualTo(graph);
	}

	@Test
	void aPodThatWritesLateToASessionDeletedOnAnotherPodDropsIt() throws IOException {
		HttpResponse<byte[]> created = sharedA.postJson("/sessions", createBody());
		assertThat(created.statusCode()).isEqualTo(201);
		UUID id = UUID.fromString(json.readTree(text(created)).get("sessionId").asString());
		byte[] before = "written before the delete".getBytes(StandardCharsets.UTF_8);
		assertKind(sharedA.put(filePath(id, "a.txt"), before), "Added");

		// B deletes the session, which evicts it from the cache. A drops its copy when
		// the evict is announced; a write that comes late, announced or not, is refused
		// by the cache, and A answers as for a deleted session.
		assertThat(sharedB.delete("/sessions/" + id).statusCode()).isEqualTo(204);
		HttpResponse<byte[]> late = sharedA.put(filePath(id, "a.txt"), "too late".getBytes(StandardCharsets.UTF_8));
		assertThat(late.statusCode()).isEqualTo(404);
		assertThat(late.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = json.readTree(text(late));
		assertThat(problem.get("title").asString()).isEqualTo("Unknown session");
		assertThat(problem.get("detail").asString()).containsAnyOf("deleted on another pod",
				"not in the shared workspace cache");

		// Neither pod holds it, serves it or can recover it: the late write put nothing
		// back.
		for (SamplePod pod : List.of(sharedA, sharedB)) {
			assertThat(pod.delete("/l1/sessions/" + id).statusCode()).as(pod.name()).isEqualTo(404);
			for (String path : List.of("/sessions/" + id, filePath(id, "a.txt"), "/sessions/" + id + "/files")) {
				HttpResponse<byte[]> gone = pod.get(path);
				assertThat(gone.statusCode()).as("%s: %s", pod.name(), path).isEqualTo(404);
				assertThat(text(gone)).as("%s: %s", pod.name(), path).contains("not in the shared workspace cache");
			}
		}
	}

	@Test
	void withoutASharedCacheTheOtherPodDoesNotKnowTheSession() throws IOException {
		HttpResponse<byte[]> created = localA.postJson("/sessions", createBody());
		assertThat(created.statusCode()).isEqualTo(201);
		UUID id = UUID.fromString(json.readTree(text(created)).get("sessionId").asString());
		assertKind(localA.put(filePath(id, AWKWARD_PATH), allByteValues()), "Added");

		for (String path : List.of("/sessions/" + id, filePath(id, AWKWARD_PATH), "/sessions/" + id + "/files")) {
			HttpResponse<byte[]> onB = localB.get(path);
			assertThat(onB.statusCode()).as(path).isEqualTo(404);
			assertThat(onB.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			JsonNode problem = json.readTree(text(onB));
			assertThat(problem.get("title").asString()).isEqualTo("Unknown session");
			assertThat(problem.get("detail").asString()).contains("unknown on this pod", "workspace.cache.mode=valkey",
					"share sessions across pods");
		}
		assertContent(localA, id, AWKWARD_PATH, allByteValues());
	}

	@Test
	void tomcatRejectsEncodedSlashesSoPathsUsePlainOnes() throws IOException {
		HttpResponse<byte[]> created = sharedA.postJson("/sessions", createBody());
		UUID id = UUID.fromString(json.readTree(text(created)).get("sessionId").asString());
		// Tomcat refuses %2F before the request reaches the app (with its own HTML page).
		assertThat(sharedA.put("/sessions/" + id + "/files/dir%2Ffile.txt", new byte[] { 1 }).statusCode())
			.isEqualTo(400);
		assertKind(sharedA.put("/sessions/" + id + "/files/dir/file.txt", new byte[] { 1 }), "Added");
		assertFiles(sharedB, id, List.of("dir/file.txt"), List.of("Added"));
	}

	private static void assertKind(HttpResponse<byte[]> response, String kind) {
		assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
		assertThat(json.readTree(text(response)).get("kind").asString()).isEqualTo(kind);
	}

	private static long keyCount() {
		try (RedisInspector inspector = new RedisInspector(redis)) {
			return inspector.sync().dbsize();
		}
	}

	private static void assertFiles(SamplePod pod, UUID id, List<String> paths, List<String> kinds) throws IOException {
		HttpResponse<byte[]> listing = pod.get("/sessions/" + id + "/files");
		assertThat(listing.statusCode()).as(pod.name()).isEqualTo(200);
		JsonNode files = json.readTree(text(listing)).get("files");
		assertThat(files.valueStream().map((file) -> file.get("path").asString())).as(pod.name())
			.containsExactlyElementsOf(paths);
		assertThat(files.valueStream().map((file) -> file.get("kind").asString())).as(pod.name())
			.containsExactlyElementsOf(kinds);
	}

	private static void assertContent(SamplePod pod, UUID id, String path, byte[] expected) throws IOException {
		HttpResponse<byte[]> file = pod.get(filePath(id, path));
		assertThat(file.statusCode()).as("%s: %s", pod.name(), path).isEqualTo(200);
		assertThat(file.body()).as("%s: %s", pod.name(), path).isEqualTo(expected);
	}

	/**
	 * How the {@code valkey} pods start their application context.
	 */
	enum Startup {

		/**
		 * As usual: from the configuration classes and their conditions.
		 */
		AS_USUAL(Jvm.current(), false),

		/**
		 * From the AOT-processed context ({@code -Dspring.aot.enabled=true}): the bean
		 * definitions {@code process-aot} generated at build time, with the
		 * {@code valkey} profile.
		 */
		AOT_PROCESSED(Jvm.current().withOptions("-Dspring.aot.enabled=true"), true);

		private final Jvm jvm;

		private final boolean aotProcessed;

		Startup(Jvm jvm, boolean aotProcessed) {
			this.jvm = jvm;
			this.aotProcessed = aotProcessed;
		}

	}

}
