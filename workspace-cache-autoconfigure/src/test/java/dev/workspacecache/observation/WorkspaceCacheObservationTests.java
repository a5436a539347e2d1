package dev.workspacecache.observation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.workspacecache.AbstractWorkspaceCache;
import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.NoOpCache;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceCacheOperation;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.WorkspaceWrite;
import dev.workspacecache.memory.InMemoryWorkspaceCache;

import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.deleted;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests of the observation of every {@link AbstractWorkspaceCache} call, with the memory
 * and noop caches: names and key values through a {@link TestObservationRegistry}, the
 * timer and byte summaries through Micrometer's handler and ours on a
 * {@link SimpleMeterRegistry}. No server.
 */
class WorkspaceCacheObservationTests {

	private static final String NAME = "workspace.cache.operations";

	private final TestObservationRegistry observations = TestObservationRegistry.builder()
		.validateObservationsWithTheSameNameHavingTheSameSetOfLowCardinalityKeys(true)
		.build();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final InMemoryWorkspaceCache memory = new InMemoryWorkspaceCache(Duration.ofHours(1), 1024);

	private final NoOpCache noop = new NoOpCache(1024);

	private final UUID id = UUID.randomUUID();

	@BeforeEach
	void observe() {
		this.observations.observationConfig()
			.observationHandler(new DefaultMeterObservationHandler(this.meters))
			.observationHandler(new WorkspaceCacheBytesObservationHandler(this.meters));
		this.memory.setObservationRegistry(this.observations);
		this.noop.setObservationRegistry(this.observations);
	}

	@ParameterizedTest
	// PING is the health check's, not an operation of WorkspaceCache.
	@EnumSource(value = WorkspaceCacheOperation.class, mode = EnumSource.Mode.EXCLUDE, names = "PING")
	void everyOperationOfEveryModeIsOneObservationWithTheWorkspaceIdAsHighCardinalityKeyOnly(
			WorkspaceCacheOperation operation) {
		for (AbstractWorkspaceCache cache : List.of(this.memory, this.noop)) {
			this.observations.clear();
			call(cache, operation, this.id);
			assertThat(this.observations).hasSingleObservationThat()
				.hasNameEqualTo(NAME)
				.hasContextualNameEqualTo("workspace-cache " + operation.methodName())
				.hasLowCardinalityKeyValue("operation", operation.methodName())
				.hasLowCardinalityKeyValue("mode", (cache == this.memory) ? "memory" : "noop")
				.hasHighCardinalityKeyValue("workspace.id", this.id.toString())
				.doesNotHaveLowCardinalityKeyValueWithKey("workspace.id")
				.doesNotHaveError()
				.hasBeenStarted()
				.hasBeenStopped();
		}
		for (Meter meter : this.meters.getMeters()) {
			assertThat(meter.getId().getTag("workspace.id")).as(meter.getId().toString()).isNull();
		}
	}

	@Test
	void readsAreHitsOrMisses() {
		assertResult(() -> this.memory.getFile(this.id, "a.txt"), "miss", "none");
		assertResult(() -> this.memory.recover(this.id), "miss", "none");
		assertResult(() -> this.memory.getFiles(this.id), "miss", "none");
		assertResult(() -> this.memory.cacheFile(this.id, "a.txt", added("a")), "success", "missing");
		assertResult(() -> this.memory.getFile(this.id, "a.txt"), "hit", "none");
		assertResult(() -> this.memory.getFiles(this.id), "hit", "none");
		assertResult(() -> this.memory.listFiles(this.id), "hit", "none");
		assertResult(() -> this.memory.getWorkspace(this.id), "miss", "none");
		assertResult(() -> this.noop.getFile(this.id, "a.txt"), "miss", "none");
	}

	@Test
	void writesSucceedWithWhatTheyFound() {
		CachedWorkspace workspace = CachedWorkspace.of(WorkspaceFixtures.snapshot(this.id), Map.of(), null);
		assertResult(() -> this.memory.cacheAll(this.id, workspace), "success", "missing");
		assertResult(() -> this.memory.cacheAll(this.id, workspace), "success", "present");
		assertResult(() -> this.memory.touch(this.id), "success", "present");
		assertResult(() -> this.memory.evict(this.id), "success", "none");
		assertResult(() -> this.memory.cacheGraph(this.id, new byte[1]), "success", "evicted");
		assertResult(() -> this.noop.cacheFiles(this.id, Map.of("a", deleted())), "success", "discarded");
		assertResult(() -> this.memory.writeIfVersion(this.id, 0, WorkspaceWrite.file("a", deleted())), "refused",
				"evicted");
		UUID other = UUID.randomUUID();
		assertResult(() -> this.memory.writeIfVersion(other, 0, WorkspaceWrite.all(workspace)), "success", "missing");
		assertResult(() -> this.memory.writeIfVersion(other, 0, WorkspaceWrite.all(workspace)), "refused", "present");
		Timer timer = this.meters.get(NAME)
			.tags("operation", "cacheAll", "mode", "memory", "result", "success", "write.outcome", "present", "error",
					"none")
			.timer();
		assertThat(timer.count()).isOne();
	}

	@Test
	void aBackendFailureIsResultErrorWithTheExceptionRecorded() {
		WorkspaceCacheException failure = new WorkspaceCacheException(WorkspaceCacheOperation.GET_FILE, this.id,
				"server unreachable", null);
		InMemoryWorkspaceCache failing = new InMemoryWorkspaceCache(Duration.ofHours(1), 1024) {

			@Override
			protected Optional<CachedOverlayEntry> doGetFile(UUID workspaceId, String path) {
				throw failure;
			}

		};
		failing.setObservationRegistry(this.observations);
		assertThatThrownBy(() -> failing.getFile(this.id, "a.txt")).isSameAs(failure);
		assertThat(this.observations).hasSingleObservationThat()
			.hasLowCardinalityKeyValue("operation", "getFile")
			.hasLowCardinalityKeyValue("result", "error")
			.hasLowCardinalityKeyValue("write.outcome", "none")
			.hasError(failure)
			.hasBeenStopped();
		assertThat(this.meters.get(NAME)
			.tags("operation", "getFile", "result", "error", "error", "WorkspaceCacheException")
			.timer()
			.count()).isOne();
		assertThat(this.meters.find(WorkspaceCacheBytesObservationHandler.BYTES_READ).meters()).isEmpty();
	}

	@Test
	void rejectedArgumentsReachNoBackendAndAreNotObserved() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.memory.cacheGraph(this.id, new byte[1025]));
		assertThat(this.observations).doesNotHaveAnyObservation();
	}

	@Test
	void memoryModeRecordsTheContentAndGraphBytesEachCallStoredOrReturned() {
		CachedWorkspace workspace = CachedWorkspace.of(WorkspaceFixtures.snapshot(this.id),
				Map.of("a.txt", added("hello"), "b.txt", modified("abc"), "gone.txt", deleted()), new byte[7]);
		this.memory.cacheAll(this.id, workspace);
		this.memory.recover(this.id);
		this.memory.getFile(this.id, "a.txt");
		this.memory.getFiles(this.id);
		this.memory.getGraph(this.id);
		this.memory.cacheFile(this.id, "c.txt", added("12345678"));
		this.memory.cacheFiles(this.id, Map.of("d.txt", added("1234"), "e.txt", deleted()));
		this.memory.cacheGraph(this.id, new byte[9]);
		this.memory.getWorkspace(this.id);
		this.memory.touch(this.id);
		this.memory.evict(this.id);
		this.memory.cacheFile(this.id, "f.txt", added("refused"));

		assertBytes(WorkspaceCacheBytesObservationHandler.BYTES_WRITTEN, "cacheAll", 15);
		assertBytes(WorkspaceCacheBytesObservationHandler.BYTES_READ, "recover", 15);
		assertBytes(WorkspaceCacheBytesObservationHandler.BYTES_READ, "getFile", 5);
		assertBytes(WorkspaceCacheBytesObservationHandler.BYTES_READ, "getFiles", 8);
		assertBytes(WorkspaceCacheBytesObservationHandler.BYTES_READ, "getGraph", 7);
		assertBytes(WorkspaceCacheBytesObservationHandler.BYTES_WRITTEN, "cacheFiles", 4);
		assertBytes(WorkspaceCacheBytesObservationHandler.BYTES_WRITTEN, "cacheGraph", 9);
		// The last cacheFile was refused (evicted): it stored nothing.
		assertThat(this.meters.get(WorkspaceCacheBytesObservationHandler.BYTES_WRITTEN)
			.tags("operation", "cacheFile", "write.outcome", "evicted")
			.summary()
			.totalAmount()).isZero();
		assertThat(this.meters.get(WorkspaceCacheBytesObservationHandler.BYTES_WRITTEN)
			.tags("operation", "cacheFile", "write.outcome", "present")
			.summary()
			.totalAmount()).isEqualTo(8);
		// A snapshot has no byte form in memory; touch, evict and listFiles move no
		// values.
		for (String operation : List.of("getWorkspace", "touch", "evict")) {
			assertThat(Search.in(this.meters)
				.name((name) -> name.startsWith("workspace.cache.bytes"))
				.tag("operation", operation)
				.meters()).as(operation).isEmpty();
		}
		assertThat(this.meters.get(WorkspaceCacheBytesObservationHandler.BYTES_READ)
			.tags("operation", "getFile", "mode", "memory", "result", "hit", "write.outcome", "none")
			.summary()
			.getId()
			.getBaseUnit()).isEqualTo("bytes");
	}

	@Test
	void noopModeReadsAndWritesNoBytes() {
		this.noop.cacheFile(this.id, "a.txt", added("hello"));
		this.noop.getFile(this.id, "a.txt");
		assertBytes(WorkspaceCacheBytesObservationHandler.BYTES_WRITTEN, "cacheFile", 0);
		assertBytes(WorkspaceCacheBytesObservationHandler.BYTES_READ, "getFile", 0);
	}

	@Test
	void aCallIsAChildOfTheObservationThatMadeIt() {
		Observation request = Observation.start("http.server.requests", this.observations);
		request.scoped(() -> this.memory.getGraph(this.id));
		request.stop();
		assertThat(this.observations).hasHandledContextsThatSatisfy((contexts) -> {
			Observation.Context cache = contexts.stream()
				.filter((context) -> NAME.equals(context.getName()))
				.findFirst()
				.orElseThrow();
			assertThat(cache.getParentObservation()).isSameAs(request);
		});
	}

	@Test
	void withoutARegistryNothingIsObserved() {
		InMemoryWorkspaceCache unobserved = new InMemoryWorkspaceCache(Duration.ofHours(1), 1024);
		assertThat(unobserved.getObservationRegistry()).isSameAs(ObservationRegistry.NOOP);
		Observation request = Observation.start("http.server.requests", this.observations);
		request.scoped(() -> {
			unobserved.cacheFile(this.id, "a.txt", added("a"));
			assertThat(unobserved.getFile(this.id, "a.txt")).contains(added("a"));
		});
		request.stop();
		assertThat(this.observations).hasSingleObservationThat().hasNameEqualTo("http.server.requests");
	}

	@Test
	void aConventionCanReplaceTheDefault() {
		this.memory.setObservationConvention(new DefaultWorkspaceCacheObservationConvention() {

			@Override
			public String getName() {
				return "sessions.cache";
			}

		});
		this.memory.touch(this.id);
		assertThat(this.observations).hasSingleObservationThat()
			.hasNameEqualTo("sessions.cache")
			.hasLowCardinalityKeyValue("operation", "touch");
	}

	private void assertResult(Runnable call, String result, String writeOutcome) {
		this.observations.clear();
		call.run();
		assertThat(this.observations).hasSingleObservationThat()
			.hasLowCardinalityKeyValue("result", result)
			.hasLowCardinalityKeyValue("write.outcome", writeOutcome);
	}

	private void assertBytes(String name, String operation, double bytes) {
		assertThat(this.meters.get(name).tag("operation", operation).summary().totalAmount()).as(operation)
			.isEqualTo(bytes);
	}

	static void call(WorkspaceCache cache, WorkspaceCacheOperation operation, UUID id) {
		switch (operation) {
			case CACHE_WORKSPACE -> cache.cacheWorkspace(id, WorkspaceFixtures.snapshot(id));
			case GET_WORKSPACE -> cache.getWorkspace(id);
			case CACHE_FILE -> cache.cacheFile(id, "a.txt", added("a"));
			case GET_FILE -> cache.getFile(id, "a.txt");
			case LIST_FILES -> cache.listFiles(id);
			case CACHE_GRAPH -> cache.cacheGraph(id, new byte[3]);
			case GET_GRAPH -> cache.getGraph(id);
			case EVICT -> cache.evict(id);
			case TOUCH -> cache.touch(id);
			case GET_FILES -> cache.getFiles(id);
			case CACHE_FILES -> cache.cacheFiles(id, Map.of("b.txt", modified("b")));
			case RECOVER -> cache.recover(id);
			case CACHE_ALL -> cache.cacheAll(id, CachedWorkspace.of(WorkspaceFixtures.snapshot(id), Map.of(), null));
			case WRITE_IF_VERSION -> cache.writeIfVersion(id, 0, WorkspaceWrite.file("a.txt", added("a")));
			case DESCRIBE -> cache.describe(id);
			case PING -> throw new IllegalArgumentException("PING is not an operation of WorkspaceCache");
		}
	}

}
