package dev.workspacecache.sample;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.ConditionalWriteResult;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceCacheOperation;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.WorkspaceWrite;
import dev.workspacecache.WriteOutcome;
import dev.workspacecache.memory.InProcessWorkspaceChangeNotifications;
import dev.workspacecache.sample.session.CacheFailures;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.workspacecache.sample.AbstractSessionApiTests.assertProblem;
import static dev.workspacecache.sample.AbstractSessionApiTests.createSession;
import static dev.workspacecache.sample.AbstractSessionApiTests.deleteFile;
import static dev.workspacecache.sample.AbstractSessionApiTests.getFile;
import static dev.workspacecache.sample.AbstractSessionApiTests.listFiles;
import static dev.workspacecache.sample.AbstractSessionApiTests.putFile;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cache that fails every call never fails a request that this pod can serve from its
 * own memory: each failure is logged once, without a stack trace, and counted.
 */
@SpringBootTest(properties = { "workspace.cache.mode=valkey", "sample.sessions.touch-interval=0s" })
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class CacheFailureToleranceTests {

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private MeterRegistry meters;

	@Test
	void everyRequestSucceedsWhileEveryCacheCallFails(CapturedOutput output) {
		Map<String, Double> before = failureCounts();

		UUID id = createSession(this.mvc);
		assertThat(putFile(this.mvc, id, "a.txt", "a")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.kind")
			.isEqualTo("Added");
		assertThat(getFile(this.mvc, id, "a.txt")).hasStatusOk().hasBodyTextEqualTo("a");
		assertThat(deleteFile(this.mvc, id, "b.txt")).hasStatusOk();
		assertThat(listFiles(this.mvc, id)).hasStatusOk()
			.bodyJson()
			.extractingPath("$.files[*].path")
			.asArray()
			.containsExactly("a.txt", "b.txt");
		assertThat(this.mvc.put().uri("/sessions/{id}/graph", id).content(new byte[] { 1 })).hasStatusOk();
		assertThat(this.mvc.get().uri("/sessions/{id}", id)).hasStatusOk();
		assertThat(this.mvc.delete().uri("/sessions/{id}", id)).hasStatus(HttpStatus.NO_CONTENT);

		Map<String, Double> after = failureCounts();
		// The create, two file changes and the graph: one conditional write each.
		assertThat(after.get("writeIfVersion") - before.get("writeIfVersion")).isEqualTo(4);
		// Three reads, and a zero touch interval; failed writes do not count as touches.
		assertThat(after.get("touch") - before.get("touch")).isEqualTo(3);
		assertThat(after.get("evict") - before.get("evict")).isEqualTo(1);

		List<String> warnings = output.getOut().lines().filter((line) -> line.contains(" WARN ")).toList();
		String writeWarning = "Workspace cache call writeIfVersion failed for session " + id
				+ " (WorkspaceCacheException): Workspace cache operation 'writeIfVersion' failed for workspace " + id
				+ ": simulated outage";
		assertThat(warnings).filteredOn((line) -> line.contains(writeWarning)).hasSize(4);
		assertThat(warnings).filteredOn((line) -> line.contains(id.toString())).hasSize(8);
		assertThat(output.getAll()).doesNotContain("\tat dev.workspacecache");
	}

	@Test
	void sessionNotHeldByThisPodIsUnavailableRatherThanUnknown() {
		double before = failureCounts().get("recover");
		UUID id = UUID.randomUUID();
		MvcTestResult result = this.mvc.get().uri("/sessions/{id}", id).exchange();
		assertProblem(result, HttpStatus.SERVICE_UNAVAILABLE, "Shared cache unavailable");
		assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("could not be read", "try again");
		assertThat(failureCounts().get("recover") - before).isEqualTo(1);
	}

	@Test
	void failureCountersExistBeforeAnyFailure() {
		assertThat(failureCounts()).containsOnlyKeys("writeIfVersion", "touch", "evict", "recover");
	}

	private Map<String, Double> failureCounts() {
		return this.meters.find(CacheFailures.METRIC)
			.counters()
			.stream()
			.collect(Collectors.toMap((counter) -> counter.getId().getTag("operation"), Counter::count));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class UnavailableCacheConfiguration {

		@Bean
		WorkspaceCache unavailableWorkspaceCache() {
			return new UnavailableWorkspaceCache();
		}

		// In place of the server's, which valkey mode would subscribe to: nothing here
		// is about notifications.
		@Bean(destroyMethod = "close")
		InProcessWorkspaceChangeNotifications inProcessWorkspaceChangeNotifications() {
			return new InProcessWorkspaceChangeNotifications("unavailable-cache-tests");
		}

	}

	/**
	 * A cache whose backend is down: every call throws, as {@code ValkeyCache} does when
	 * the server cannot be reached.
	 */
	static class UnavailableWorkspaceCache implements WorkspaceCache {

		private static WorkspaceCacheException outage(WorkspaceCacheOperation operation, @Nullable UUID id) {
			return new WorkspaceCacheException(operation, id, "simulated outage",
					new IllegalStateException("connection refused"));
		}

		@Override
		public long getMaxEntrySize() {
			// A setting, not a call to the backend: it does not fail.
			return Long.MAX_VALUE;
		}

		@Override
		public WriteOutcome cacheWorkspace(UUID id, WorkspaceSnapshot snapshot) {
			throw outage(WorkspaceCacheOperation.CACHE_WORKSPACE, id);
		}

		@Override
		public Optional<WorkspaceSnapshot> getWorkspace(UUID id) {
			throw outage(WorkspaceCacheOperation.GET_WORKSPACE, id);
		}

		@Override
		public WriteOutcome cacheFile(UUID workspaceId, String path, CachedOverlayEntry entry) {
			throw outage(WorkspaceCacheOperation.CACHE_FILE, workspaceId);
		}

		@Override
		public Optional<CachedOverlayEntry> getFile(UUID workspaceId, String path) {
			throw outage(WorkspaceCacheOperation.GET_FILE, workspaceId);
		}

		@Override
		public List<String> listFiles(UUID workspaceId) {
			throw outage(WorkspaceCacheOperation.LIST_FILES, workspaceId);
		}

		@Override
		public WriteOutcome cacheGraph(UUID workspaceId, byte[] graphData) {
			throw outage(WorkspaceCacheOperation.CACHE_GRAPH, workspaceId);
		}

		@Override
		public Optional<byte[]> getGraph(UUID workspaceId) {
			throw outage(WorkspaceCacheOperation.GET_GRAPH, workspaceId);
		}

		@Override
		public void evict(UUID id) {
			throw outage(WorkspaceCacheOperation.EVICT, id);
		}

		@Override
		public WriteOutcome touch(UUID id) {
			throw outage(WorkspaceCacheOperation.TOUCH, id);
		}

		@Override
		public Map<String, CachedOverlayEntry> getFiles(UUID workspaceId) {
			throw outage(WorkspaceCacheOperation.GET_FILES, workspaceId);
		}

		@Override
		public WriteOutcome cacheFiles(UUID workspaceId, Map<String, CachedOverlayEntry> entries) {
			throw outage(WorkspaceCacheOperation.CACHE_FILES, workspaceId);
		}

		@Override
		public Optional<CachedWorkspace> recover(UUID id) {
			throw outage(WorkspaceCacheOperation.RECOVER, id);
		}

		@Override
		public WriteOutcome cacheAll(UUID id, CachedWorkspace workspace) {
			throw outage(WorkspaceCacheOperation.CACHE_ALL, id);
		}

		@Override
		public ConditionalWriteResult writeIfVersion(UUID id, long expectedVersion, WorkspaceWrite write) {
			throw outage(WorkspaceCacheOperation.WRITE_IF_VERSION, id);
		}

		@Override
		public String toString() {
			return "UnavailableWorkspaceCache";
		}

	}

}
