package dev.workspacecache.webflux;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.workspacecache.BlockingCalls;
import dev.workspacecache.ReactiveWorkspaceCache;
import dev.workspacecache.testsupport.RedisInspector;
import dev.workspacecache.testsupport.RedisServer;
import dev.workspacecache.webflux.SessionController.FileView;
import dev.workspacecache.webflux.SessionController.FileWritten;
import dev.workspacecache.webflux.SessionController.NewSession;
import dev.workspacecache.webflux.SessionController.SessionView;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriBuilder;

import static dev.workspacecache.WorkspaceFixtures.allByteValues;
import static dev.workspacecache.WorkspaceFixtures.randomBytes;
import static dev.workspacecache.WorkspaceFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The recovery flow of the README, reactive end to end: two instances ("pods") of
 * {@link WebFluxSessionsApplication}, each on Reactor Netty at a random port, in
 * {@code valkey} mode against one real server of the test's own, driven over HTTP with
 * {@link WebTestClient}. A pod serves a session another created with one {@code recover},
 * byte for byte; writes back the whole session the server lost in a restart; is refused a
 * late write to a session another pod deleted, and drops its copy; and no write is lost
 * when both pods write one session at once.
 * <p>
 * BlockHound records every blocking call on a non-blocking thread (the event loops that
 * serve requests, Lettuce's, Reactor's schedulers) while the pods run, and each test
 * fails if there was one. It records rather than throws, so that such a call made by a
 * library (while reconnecting, say) cannot leave a connection broken and hide behind the
 * failures that follow.
 */
class TwoWebFluxPodsIntegrationTests {

	/** Generous: the pods reconnect and hear of changes within milliseconds. */
	private static final Duration AWAIT = Duration.ofSeconds(30);

	/**
	 * Nested, spaced and non-ASCII: the path reaches the cache as the client wrote it.
	 */
	private static final String AWKWARD_PATH = "src/main/nested dir/Grüße ☕.txt";

	private static BlockingCalls.Watch blockingCalls;

	private static RedisServer redis;

	private static Pod a;

	private static Pod b;

	@BeforeAll
	static void startServerAndPods() {
		// What earlier test classes of this JVM caught was theirs to report.
		BlockingCalls.forget();
		blockingCalls = BlockingCalls.recording();
		redis = RedisServer.start();
		long start = System.nanoTime();
		a = Pod.start("pod-a", redis.port());
		b = Pod.start("pod-b", redis.port());
		System.out.printf("Started 2 WebFlux pods in %.1f s against %s%n", (System.nanoTime() - start) / 1e9, redis);
	}

	@AfterAll
	static void stopPodsAndServer() {
		for (AutoCloseable closeable : Arrays.asList(a, b, redis, blockingCalls)) {
			if (closeable != null) {
				try {
					closeable.close();
				}
				catch (Exception ex) {
					throw new IllegalStateException("Could not stop " + closeable, ex);
				}
			}
		}
	}

	@AfterEach
	void noCallBlockedANonBlockingThread() {
		assertThat(BlockingCalls.caught()).isEmpty();
	}

	@Test
	void aPodServesASessionAnotherPodCreatedFromOneRecoverByteForByte() {
		byte[] graph = randomBytes(4096, 42);
		UUID id = a.create(Map.of("README.md", utf8("# Notes\n"), "bin/all-bytes.bin", allByteValues()), graph);
		FileWritten readme = a.writeFile(id, "README.md", utf8("# Notes\nwritten on pod A\n"));
		FileWritten awkward = a.writeFile(id, AWKWARD_PATH, utf8("nested, spaced, non-ASCII: ☕\n"));
		assertThat(awkward.version()).isGreaterThan(readme.version());
		assertThat(awkward.wroteWholeSession()).isFalse();

		// B never saw the session: it reads it from the cache, and serves the session A
		// holds, part for part.
		Served onB = b.session(id);
		assertThat(onB.from()).isEqualTo("recovered");
		Served onA = a.session(id);
		assertThat(onA.from()).isEqualTo("held");
		assertThat(onB.view()).usingRecursiveComparison().isEqualTo(onA.view());
		assertThat(onB.view().version()).isEqualTo(awkward.version());
		assertThat(onB.view().graph()).isEqualTo(graph);
		assertThat(onB.view().files()).extracting(FileView::path)
			.containsExactly("README.md", "bin/all-bytes.bin", AWKWARD_PATH);
		assertFile(b, id, "README.md", utf8("# Notes\nwritten on pod A\n"), readme.hash());
		assertFile(b, id, AWKWARD_PATH, utf8("nested, spaced, non-ASCII: ☕\n"), awkward.hash());
		assertFile(b, id, "bin/all-bytes.bin", allByteValues(), a.file(id, "bin/all-bytes.bin").hash());

		// From then on B serves its own copy.
		assertThat(b.session(id).from()).isEqualTo("held");
	}

	@Test
	void afterTheServerRestartedEmptyTheHolderWritesTheWholeSessionBackOnItsNextWrite() {
		byte[] graph = randomBytes(2048, 7);
		UUID id = a.create(Map.of("README.md", utf8("# Notes\n")), graph);
		byte[] before = utf8("written on pod A before the restart\n");
		a.writeFile(id, "before-restart.txt", before);
		a.writeFile(id, "bin/all-bytes.bin", allByteValues());
		assertThat(b.session(id).from()).isEqualTo("recovered");

		// The server comes back empty, on its port, as one without persistence does
		// after a crash: A's copy (and B's) is all that is left of the session.
		assertThat(keyCount()).isPositive();
		int port = redis.port();
		redis.kill();
		redis.close();
		redis = RedisServer.builder().port(port).start();
		assertThat(keyCount()).isZero();
		a.awaitHealthy();
		b.awaitHealthy();

		// A's next write finds the session missing, and writes all of it back with
		// the change.
		byte[] after = utf8("written on pod A after the restart\n");
		FileWritten written = a.writeFile(id, "after-restart.txt", after);
		assertThat(written.wroteWholeSession()).isTrue();
		assertThat(keyCount()).isPositive();

		// B's copy may have missed changes while the server was away: B reads the
		// session from the cache again, and serves all of it.
		await("pod B to serve the session A wrote back").atMost(AWAIT)
			.untilAsserted(() -> assertThat(b.session(id).view().version()).isEqualTo(written.version()));
		SessionView onB = b.session(id).view();
		assertThat(onB).usingRecursiveComparison().isEqualTo(a.session(id).view());
		assertThat(onB.files()).extracting(FileView::path)
			.containsExactly("README.md", "after-restart.txt", "before-restart.txt", "bin/all-bytes.bin");
		assertThat(onB.graph()).isEqualTo(graph);
		assertFile(b, id, "before-restart.txt", before, a.file(id, "before-restart.txt").hash());
		assertFile(b, id, "bin/all-bytes.bin", allByteValues(), a.file(id, "bin/all-bytes.bin").hash());
		assertFile(b, id, "after-restart.txt", after, written.hash());
	}

	@Test
	void aLateWriteToASessionDeletedOnAnotherPodIsRefusedAndTheWriterDropsItsCopy() {
		UUID id = a.create(Map.of("a.txt", utf8("created on pod A")), null);
		a.writeFile(id, "b.txt", utf8("written on pod A"));
		assertThat(a.holds(id)).isTrue();

		b.delete(id);
		a.client()
			.put()
			.uri((uri) -> filePath(uri, id, "b.txt"))
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(utf8("too late"))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.GONE);
		assertThat(a.holds(id)).isFalse();

		// The late write put nothing back: no pod can recover the session.
		for (Pod pod : List.of(a, b)) {
			pod.client().get().uri("/sessions/{id}", id).exchange().expectStatus().isNotFound();
			pod.client().get().uri((uri) -> filePath(uri, id, "a.txt")).exchange().expectStatus().isNotFound();
		}
		assertThat(b.cache().describe(id).blockOptional(AWAIT)).isEmpty();
	}

	@Test
	void concurrentWritesFromBothPodsLoseNoUpdate() throws Exception {
		UUID id = a.create(Map.of("README.md", utf8("# Notes\n")), null);
		assertThat(b.session(id).from()).isEqualTo("recovered");
		Map<String, byte[]> expected = new LinkedHashMap<>();
		List<Callable<FileWritten>> writes = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			for (Pod pod : List.of(a, b)) {
				String path = "concurrent/" + pod.name() + "-" + i + ".txt";
				byte[] content = utf8("written on " + pod.name() + ", write " + i);
				expected.put(path, content);
				writes.add(() -> pod.writeFile(id, path, content));
			}
		}
		ExecutorService clients = Executors.newFixedThreadPool(8);
		List<FileWritten> written = new ArrayList<>();
		try {
			for (Future<FileWritten> write : clients.invokeAll(writes)) {
				written.add(write.get(AWAIT.toSeconds(), TimeUnit.SECONDS));
			}
		}
		finally {
			clients.shutdownNow();
		}

		// Each write was applied at a version of its own, on top of every one before it.
		assertThat(written).extracting(FileWritten::version).doesNotHaveDuplicates();
		System.out.printf("%d concurrent writes took %d attempts%n", written.size(),
				written.stream().mapToInt(FileWritten::attempts).sum());
		long last = written.stream().mapToLong(FileWritten::version).max().orElseThrow();
		for (Pod pod : List.of(a, b)) {
			await(pod.name() + " to serve every write").atMost(AWAIT)
				.untilAsserted(() -> assertThat(pod.session(id).view().version()).isEqualTo(last));
			SessionView view = pod.session(id).view();
			assertThat(view.files()).hasSize(expected.size() + 1);
			expected.forEach((path, content) -> assertThat(view.files()).filteredOn((file) -> file.path().equals(path))
				.singleElement()
				.satisfies((file) -> assertThat(file.content()).as(path).isEqualTo(content)));
		}
	}

	@Test
	void aBlockingCallOnTheThreadsThatServeRequestsIsCaught() throws Exception {
		try {
			HttpResources.get().onServer(false).next().submit(() -> {
				Thread.sleep(1);
				return null;
			}).get(AWAIT.toSeconds(), TimeUnit.SECONDS);
			assertThat(BlockingCalls.caught()).singleElement()
				.asString()
				.contains("java.lang.Thread.sleep", "on reactor-http-");
		}
		finally {
			BlockingCalls.forget();
		}
	}

	private static void assertFile(Pod pod, UUID id, String path, byte[] content, String hash) {
		ServedFile file = pod.file(id, path);
		assertThat(file.content()).as(path).isEqualTo(content);
		assertThat(file.hash()).as(path).isEqualTo(hash);
	}

	private static long keyCount() {
		try (RedisInspector inspector = new RedisInspector(redis)) {
			return inspector.sync().dbsize();
		}
	}

	// Each segment encoded on its own, so that the slashes of the path stay slashes.
	private static URI filePath(UriBuilder uri, UUID id, String path) {
		return uri.pathSegment("sessions", id.toString(), "files").pathSegment(path.split("/")).build();
	}

	/**
	 * A session as a pod served it.
	 *
	 * @param view the session
	 * @param from where the pod found it: {@code held} or {@code recovered}
	 */
	record Served(SessionView view, String from) {

	}

	/**
	 * A file as a pod served it.
	 *
	 * @param content the content
	 * @param hash the content hash
	 */
	record ServedFile(byte[] content, String hash) {

	}

	/**
	 * One running instance of the application, and a client of its HTTP API.
	 *
	 * @param name the pod's name, also its notifications' instance id
	 * @param context the application
	 * @param client a client of its port
	 */
	record Pod(String name, ConfigurableApplicationContext context, WebTestClient client) implements AutoCloseable {

		static Pod start(String name, int redisPort) {
			ConfigurableApplicationContext context = new SpringApplicationBuilder(WebFluxSessionsApplication.class)
				// Explicit: deduced from the classpath, it would turn servlet the day the
				// module's tests get Spring MVC.
				.web(WebApplicationType.REACTIVE)
				.main(WebFluxSessionsApplication.class)
				.bannerMode(Banner.Mode.OFF)
				.run("--spring.application.name=" + name, "--server.address=127.0.0.1", "--server.port=0",
						"--workspace.cache.mode=valkey", "--workspace.cache.notifications.instance-id=" + name,
						"--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redisPort,
						"--management.endpoint.health.show-details=always");
			int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
			// Without compression: Spring's default client asks for it, and Netty's
			// decompressor then loads zstd-jni's native library from a file, on an
			// event loop, at the first response. The pods answer uncompressed anyway.
			WebTestClient client = WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create()))
				.baseUrl("http://127.0.0.1:" + port)
				.responseTimeout(AWAIT)
				.build();
			return new Pod(name, context, client);
		}

		UUID create(Map<String, byte[]> files, byte @Nullable [] graph) {
			NewSession request = new NewSession(UUID.randomUUID(), "clerk|abc", "fix the bug", "deadbeef", files,
					graph);
			SessionView created = this.client.post()
				.uri("/sessions")
				.bodyValue(request)
				.exchange()
				.expectStatus()
				.isCreated()
				.expectBody(SessionView.class)
				.returnResult()
				.getResponseBody();
			assertThat(created).isNotNull();
			assertThat(created.files()).hasSize(files.size());
			return created.snapshot().sessionId();
		}

		Served session(UUID id) {
			EntityExchangeResult<SessionView> result = this.client.get()
				.uri("/sessions/{id}", id)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(SessionView.class)
				.returnResult();
			SessionView view = result.getResponseBody();
			assertThat(view).isNotNull();
			return new Served(view, result.getResponseHeaders().getFirst(SessionController.SERVED_FROM));
		}

		ServedFile file(UUID id, String path) {
			EntityExchangeResult<byte[]> result = this.client.get()
				.uri((uri) -> filePath(uri, id, path))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(byte[].class)
				.returnResult();
			return new ServedFile(result.getResponseBody(),
					result.getResponseHeaders().getFirst(SessionController.CONTENT_HASH));
		}

		FileWritten writeFile(UUID id, String path, byte[] content) {
			FileWritten written = this.client.put()
				.uri((uri) -> filePath(uri, id, path))
				.contentType(MediaType.APPLICATION_OCTET_STREAM)
				.bodyValue(content)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(FileWritten.class)
				.returnResult()
				.getResponseBody();
			assertThat(written).isNotNull();
			assertThat(written.path()).isEqualTo(path);
			return written;
		}

		void delete(UUID id) {
			this.client.delete().uri("/sessions/{id}", id).exchange().expectStatus().isNoContent();
		}

		// Healthy once its connection to the server is back: the workspaceCache health
		// check pings over the connection the cache uses.
		void awaitHealthy() {
			await(this.name + " to be healthy").atMost(AWAIT)
				.pollInterval(Duration.ofMillis(50))
				.untilAsserted(() -> this.client.get().uri("/actuator/health").exchange().expectStatus().isOk());
		}

		boolean holds(UUID id) {
			return this.context.getBean(HeldSessions.class).get(id) != null;
		}

		ReactiveWorkspaceCache cache() {
			return this.context.getBean(ReactiveWorkspaceCache.class);
		}

		@Override
		public void close() {
			this.context.close();
		}

	}

}
