package dev.workspacecache.sample;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.sample.session.LiveSessions;
import dev.workspacecache.sample.session.SharedSessionRecovery;
import dev.workspacecache.testsupport.RedisConnections;
import dev.workspacecache.testsupport.RedisServer;
import dev.workspacecache.valkey.ValkeyCache;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.workspacecache.sample.SessionRequests.AWKWARD_PATH;
import static dev.workspacecache.sample.SessionRequests.REPO_ID;
import static dev.workspacecache.sample.SessionRequests.allByteValues;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API in {@code valkey} mode, against a real server: every change is in the cache
 * when the request returns, and a session this pod does not hold is recovered from it.
 * Dropping this pod's in-memory copy ({@code DELETE /l1/sessions/{id}}) stands in for
 * another pod, and so do calls to the cache itself; deleting a session's keys with a
 * Redis command stands in for the server losing them.
 */
class ValkeyModeSessionApiTests extends AbstractSessionApiTests {

	@DynamicPropertySource
	static void valkey(DynamicPropertyRegistry registry) {
		RedisServer server = RedisServer.shared();
		registry.add("workspace.cache.mode", () -> "valkey");
		registry.add("workspace.cache.key-prefix", RedisConnections::randomKeyPrefix);
		registry.add("spring.data.redis.host", server::host);
		registry.add("spring.data.redis.port", server::port);
		registry.add("spring.data.redis.timeout", () -> "5s");
		registry.add("management.health.redis.enabled", () -> "true");
	}

	@Autowired
	private WorkspaceCache cache;

	@Autowired
	private RedisConnectionFactory redis;

	@Autowired
	private LiveSessions sessions;

	@Test
	void valkeyModeRunsOnTheValkeyCache() {
		assertThat(this.cache).isInstanceOf(ValkeyCache.class);
	}

	@Test
	void everyChangeIsInTheCacheWhenTheRequestReturns() {
		UUID id = createSession(this.mvc);
		WorkspaceSnapshot snapshot = this.cache.getWorkspace(id).orElseThrow();
		assertThat(snapshot.sessionId()).isEqualTo(id);
		assertThat(snapshot.repoId()).isEqualTo(REPO_ID);

		putFile(this.mvc, id, "README.md", "hello\n");
		assertThat(this.cache.getFile(id, "README.md")).get()
			.isInstanceOf(CachedOverlayEntry.Added.class)
			.extracting(OverlayContent::of)
			.isEqualTo("hello\n");
		putFile(this.mvc, id, AWKWARD_PATH, "☕");
		assertThat(this.cache.listFiles(id)).containsExactly("README.md", AWKWARD_PATH);
		deleteFile(this.mvc, id, "README.md");
		assertThat(this.cache.getFile(id, "README.md")).contains(new CachedOverlayEntry.Deleted());

		this.mvc.put().uri("/sessions/{id}/graph", id).content(allByteValues()).exchange();
		assertThat(this.cache.getGraph(id)).hasValueSatisfying((graph) -> assertThat(graph).isEqualTo(allByteValues()));

		assertThat(this.mvc.delete().uri("/sessions/{id}", id)).hasStatus(HttpStatus.NO_CONTENT);
		assertThat(this.cache.getWorkspace(id)).isEmpty();
		assertThat(this.cache.getFiles(id)).isEmpty();
		assertThat(this.cache.getGraph(id)).isEmpty();
	}

	@Test
	void sessionDroppedFromThisPodIsRecoveredWholeFromTheCache() {
		MvcTestResult created = create(this.mvc);
		UUID id = idOf(created);
		putFile(this.mvc, id, "bin/all-bytes.bin", allByteValues());
		putFile(this.mvc, id, AWKWARD_PATH, "☕");
		deleteFile(this.mvc, id, "old.txt");
		putFile(this.mvc, id, "changed.txt", "v1");
		deleteFile(this.mvc, id, "changed.txt");
		putFile(this.mvc, id, "changed.txt", "v2");
		this.mvc.put().uri("/sessions/{id}/graph", id).content(new byte[] { 1, 2, 3 }).exchange();
		String listing = body(listFiles(this.mvc, id));

		assertThat(this.mvc.delete().uri("/l1/sessions/{id}", id)).hasStatus(HttpStatus.NO_CONTENT);

		assertThat(this.mvc.get().uri("/sessions/{id}", id)).hasStatusOk().bodyJson().isStrictlyEqualTo(body(created));
		assertThat(listFiles(this.mvc, id)).hasStatusOk().bodyJson().isStrictlyEqualTo(listing);
		assertThat(getFile(this.mvc, id, "bin/all-bytes.bin")).hasStatusOk().body().isEqualTo(allByteValues());
		assertThat(getFile(this.mvc, id, AWKWARD_PATH)).hasStatusOk()
			.body()
			.isEqualTo("☕".getBytes(StandardCharsets.UTF_8));
		assertThat(getFile(this.mvc, id, "changed.txt")).hasStatusOk().hasBodyTextEqualTo("v2");
		assertProblem(getFile(this.mvc, id, "old.txt"), HttpStatus.NOT_FOUND, "File not found");
		assertThat(this.mvc.get().uri("/sessions/{id}/graph", id)).hasStatusOk().body().containsExactly(1, 2, 3);
		// The recovered copy goes on as if it had been created here.
		assertThat(putFile(this.mvc, id, "changed.txt", "v3")).bodyJson()
			.extractingPath("$.kind")
			.isEqualTo("Modified");
	}

	@Test
	void sessionWrittenByAnotherPodIsServed() {
		UUID id = UUID.randomUUID();
		WorkspaceSnapshot snapshot = new WorkspaceSnapshot(id, REPO_ID, "other-agent", "agent-1", UUID.randomUUID(),
				"written elsewhere", "abc123", "active", "persistent");
		this.cache.cacheAll(id, CachedWorkspace.of(snapshot,
				Map.of("from/other pod.txt", new CachedOverlayEntry.Modified(new byte[] { 7 }, "h")), null));

		assertThat(this.mvc.get().uri("/sessions/{id}", id)).hasStatusOk()
			.bodyJson()
			.extractingPath("$.intent")
			.isEqualTo("written elsewhere");
		assertThat(getFile(this.mvc, id, "from/other pod.txt")).hasStatusOk().body().containsExactly(7);
	}

	@Test
	void sessionTheServerLostIsWrittenBackWholeByTheNextWrite() {
		UUID id = createSession(this.mvc);
		putFile(this.mvc, id, "bin/all-bytes.bin", allByteValues());
		putFile(this.mvc, id, AWKWARD_PATH, "☕");
		deleteFile(this.mvc, id, "old.txt");
		this.mvc.put().uri("/sessions/{id}/graph", id).content(new byte[] { 1, 2, 3 }).exchange();
		// As an eviction under maxmemory would: nothing of the session is left on the
		// server.
		assertThat(deleteKeysOf(id)).isPositive();
		assertThat(this.cache.recover(id)).isEmpty();

		assertThat(putFile(this.mvc, id, "after the loss.txt", "new")).hasStatusOk();

		WorkspaceSnapshot snapshot = this.sessions.find(id).snapshot();
		assertThat(this.cache.recover(id))
			.contains(CachedWorkspace.of(snapshot,
					Map.of("bin/all-bytes.bin", added(allByteValues()), AWKWARD_PATH, added("☕"), "old.txt",
							new CachedOverlayEntry.Deleted(), "after the loss.txt", added("new")),
					new byte[] { 1, 2, 3 }));
	}

	@Test
	void sessionDeletedOnAnotherPodIsDroppedByThisPodsNextWrite() {
		UUID id = createSession(this.mvc);
		putFile(this.mvc, id, "a.txt", "a");
		this.cache.evict(id);

		MvcTestResult late = putFile(this.mvc, id, "a.txt", "late");
		assertUnknown(late, id);
		assertThat(late).bodyJson().extractingPath("$.detail").asString().contains("deleted on another pod");
		assertThat(this.sessions.find(id)).isNull();
		assertThat(this.cache.recover(id)).isEmpty();
		assertThat(this.cache.getFile(id, "a.txt")).isEmpty();
		MvcTestResult again = getFile(this.mvc, id, "a.txt");
		assertUnknown(again, id);
		assertThat(again).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.contains("not in the shared workspace cache");
	}

	@Test
	void sessionInNeitherThisPodNorTheCacheIsUnknown() {
		UUID unknown = UUID.randomUUID();
		MvcTestResult result = this.mvc.get().uri("/sessions/{id}", unknown).exchange();
		assertUnknown(result, unknown);
		assertThat(result).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.contains("not in the shared workspace cache");
	}

	@Test
	void sessionDeletedHereCannotBeRecovered() {
		UUID id = createSession(this.mvc);
		assertThat(this.mvc.delete().uri("/sessions/{id}", id)).hasStatus(HttpStatus.NO_CONTENT);
		assertProblem(this.mvc.delete().uri("/l1/sessions/{id}", id).exchange(), HttpStatus.NOT_FOUND,
				"Session not held by this pod");
		assertUnknown(this.mvc.get().uri("/sessions/{id}", id).exchange(), id);
	}

	@Override
	Class<?> expectedRecovery() {
		return SharedSessionRecovery.class;
	}

	/**
	 * Delete every key of a session, whatever the cache's key layout: the key prefix is
	 * this test's own, and each key names the session id.
	 * @return how many keys were deleted
	 */
	private long deleteKeysOf(UUID id) {
		String prefix = ((ValkeyCache) this.cache).getKeyPrefix();
		try (RedisConnection connection = this.redis.getConnection()) {
			Set<byte[]> keys = connection.keyCommands()
				.keys((prefix + "*" + id + "*").getBytes(StandardCharsets.UTF_8));
			Long deleted = (keys == null || keys.isEmpty()) ? null
					: connection.keyCommands().del(keys.toArray(byte[][]::new));
			return (deleted != null) ? deleted : 0;
		}
	}

	/**
	 * Reads the content of an overlay entry as text, for assertions.
	 */
	private static final class OverlayContent {

		static String of(CachedOverlayEntry entry) {
			return new String(((CachedOverlayEntry.Added) entry).content(), StandardCharsets.UTF_8);
		}

	}

}
