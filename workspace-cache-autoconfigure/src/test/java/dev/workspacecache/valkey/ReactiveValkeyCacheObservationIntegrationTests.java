package dev.workspacecache.valkey;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.ReactiveWorkspaceCacheBlockingAdapter;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceCacheUnavailableException;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.WorkspaceWrite;
import dev.workspacecache.observation.DefaultWorkspaceCacheObservationConvention;
import dev.workspacecache.observation.WorkspaceCacheBytesObservationHandler;
import dev.workspacecache.observation.WorkspaceCacheObservationContext;
import dev.workspacecache.testsupport.RedisInspector;
import dev.workspacecache.testsupport.RedisServer;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The observations of a {@link ReactiveValkeyCache} on a real server: the same
 * observation, key values and bytes as its {@link ValkeyCache} records for the same
 * calls; errors, refusals while failing fast and cancels; the parent taken from the
 * Reactor context; a convention of the application's own.
 */
class ReactiveValkeyCacheObservationIntegrationTests extends AbstractValkeyCacheIntegrationTests {

	private static final String NAME = DefaultWorkspaceCacheObservationConvention.NAME;

	private static final Duration HANG_GUARD = Duration.ofSeconds(10);

	@Test
	void everyCallRecordsWhatTheBlockingCacheRecordsForTheSameCall() {
		RecordedCalls blockingCalls = new RecordedCalls();
		RecordedCalls reactiveCalls = new RecordedCalls();
		this.cache.setObservationRegistry(blockingCalls.registry());
		ReactiveValkeyCache reactive = ReactiveValkeyCache.of(this.cache);
		reactive.setObservationRegistry(reactiveCalls.registry());

		runEveryOperation(this.cache, UUID.randomUUID());
		runEveryOperation(new ReactiveWorkspaceCacheBlockingAdapter(reactive), UUID.randomUUID());

		assertThat(reactiveCalls.calls()).hasSize(21).isEqualTo(blockingCalls.calls());
		assertThat(reactiveCalls.calls()).extracting(RecordedCall::keyValues)
			.allSatisfy((keyValues) -> assertThat(keyValues).containsEntry("mode", "valkey"))
			.extracting((keyValues) -> keyValues.get("result"))
			.contains("hit", "miss", "success", "refused");
		assertThat(reactiveCalls.calls()).extracting((call) -> call.keyValues().get("write.outcome"))
			.contains("missing", "present", "evicted", "none");
		// The bytes are the encoded values on the wire, as ValkeyCache measures them.
		assertThat(reactiveCalls.calls()).filteredOn((call) -> call.keyValues().get("operation").equals("cacheAll"))
			.singleElement()
			.satisfies((call) -> assertThat(call.bytesWritten()).isGreaterThan(5 + 1000));
	}

	// Every operation, hits and misses, applied and refused writes, and after an evict.
	private static void runEveryOperation(WorkspaceCache cache, UUID id) {
		CachedWorkspace workspace = CachedWorkspace.of(WorkspaceFixtures.snapshot(id),
				Map.of("a.txt", WorkspaceFixtures.added("hello"), "src/b.txt",
						WorkspaceFixtures.modified("x".repeat(1000)), "gone.txt", WorkspaceFixtures.deleted()),
				new byte[64]);
		cache.recover(id);
		cache.getWorkspace(id);
		cache.listFiles(id);
		cache.cacheAll(id, workspace);
		cache.recover(id);
		cache.getWorkspace(id);
		cache.getFile(id, "src/b.txt");
		cache.getFile(id, "missing.txt");
		cache.listFiles(id);
		cache.getFiles(id);
		cache.getGraph(id);
		cache.describe(id);
		cache.cacheFile(id, "c.txt", WorkspaceFixtures.added("c"));
		cache.cacheFiles(id, Map.of("d.txt", WorkspaceFixtures.modified("d"), "e.txt", WorkspaceFixtures.deleted()));
		cache.cacheGraph(id, new byte[32]);
		cache.cacheWorkspace(id, WorkspaceFixtures.snapshot(id, "again"));
		cache.touch(id);
		long version = cache.writeIfVersion(id, 0, WorkspaceWrite.graph(new byte[8])).version();
		cache.writeIfVersion(id, version, WorkspaceWrite.graph(new byte[8]));
		cache.evict(id);
		cache.cacheFile(id, "late.txt", WorkspaceFixtures.added("late"));
	}

	@Test
	void aCallThatFailsIsAnErrorAndACallRefusedWhileFailingFastToo() {
		RedisServer server = track(RedisServer.start());
		ServerAvailability availability = track(new ServerAvailability(1, Duration.ofSeconds(1)));
		ValkeyCache blocking = new ValkeyCache(factory(server, COMMAND_TIMEOUT), this.prefix, TTL, MAX_ENTRY_SIZE,
				availability);
		ReactiveValkeyCache reactive = ReactiveValkeyCache.of(blocking);
		TestObservationRegistry registry = TestObservationRegistry.builder()
			.validateObservationsWithTheSameNameHavingTheSameSetOfLowCardinalityKeys(true)
			.build();
		reactive.setObservationRegistry(registry);
		reactive.touch(this.id).block(HANG_GUARD);
		server.kill();
		assertThatExceptionOfType(WorkspaceCacheException.class)
			.isThrownBy(() -> reactive.getFile(this.id, "a.txt").block(HANG_GUARD))
			.isNotInstanceOf(WorkspaceCacheUnavailableException.class);
		assertThatExceptionOfType(WorkspaceCacheUnavailableException.class)
			.isThrownBy(() -> reactive.getFile(this.id, "a.txt").block(HANG_GUARD));
		assertThat(registry).hasNumberOfObservationsWithNameEqualTo(NAME, 3)
			.forAllObservationsWithNameEqualTo(NAME, (context) -> context.hasLowCardinalityKeyValueWithKey("result"))
			.hasAnObservationWithAKeyValue("result", "success");
		assertThat(registry).hasAnObservation((context) -> context.hasLowCardinalityKeyValue("operation", "getFile")
			.hasLowCardinalityKeyValue("result", "error")
			.hasLowCardinalityKeyValue("write.outcome", "none")
			.assertThatError()
			.isInstanceOf(WorkspaceCacheUnavailableException.class));
		assertThat(registry).hasAnObservation((context) -> context.hasLowCardinalityKeyValue("result", "error")
			.assertThatError()
			.isNotInstanceOf(WorkspaceCacheUnavailableException.class)
			.isInstanceOf(WorkspaceCacheException.class));
	}

	@Test
	void aCallCancelledBeforeItEndsIsCancelledWithTheKeysOfEveryOtherCallAndNoBytes() {
		RedisServer server = track(RedisServer.start());
		ReactiveValkeyCache reactive = ReactiveValkeyCache
			.of(new ValkeyCache(factory(server, COMMAND_TIMEOUT), this.prefix, TTL, MAX_ENTRY_SIZE));
		TestObservationRegistry registry = TestObservationRegistry.builder()
			.validateObservationsWithTheSameNameHavingTheSameSetOfLowCardinalityKeys(true)
			.build();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		registry.observationConfig()
			.observationHandler(new DefaultMeterObservationHandler(meters))
			.observationHandler(new WorkspaceCacheBytesObservationHandler(meters));
		reactive.setObservationRegistry(registry);
		reactive.cacheFile(this.id, "a.txt", WorkspaceFixtures.added("a")).block(HANG_GUARD);
		try (RedisInspector control = new RedisInspector(server)) {
			// Every client waits: the subscriber gives up first.
			assertThat(control.sync().clientPause(1_000)).isEqualTo("OK");
			assertThatExceptionOfType(RuntimeException.class)
				.isThrownBy(() -> reactive.getFile(this.id, "a.txt").timeout(Duration.ofMillis(100)).block(HANG_GUARD))
				.withCauseInstanceOf(TimeoutException.class);
		}
		assertThat(registry).hasNumberOfObservationsWithNameEqualTo(NAME, 2)
			.forAllObservationsWithNameEqualTo(NAME, (context) -> context.hasLowCardinalityKeyValueWithKey("result"))
			.hasAnObservation((context) -> context.hasLowCardinalityKeyValue("operation", "getFile")
				.hasLowCardinalityKeyValue("result", "cancelled")
				.hasLowCardinalityKeyValue("write.outcome", "none")
				.doesNotHaveError());
		assertThat(
				meters.get(NAME).tags("operation", "getFile", "result", "cancelled", "error", "none").timer().count())
			.isOne();
		assertThat(meters.find(WorkspaceCacheBytesObservationHandler.BYTES_READ).meters()).isEmpty();
		assertThat(meters.get(WorkspaceCacheBytesObservationHandler.BYTES_WRITTEN)
			.tags("operation", "cacheFile")
			.summary()
			.count()).isOne();
	}

	@Test
	void theParentIsTheObservationInTheReactorContextNeverTheOneOfTheSubscribingThread() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		ReactiveValkeyCache reactive = ReactiveValkeyCache.of(this.cache);
		reactive.setObservationRegistry(registry);
		Observation request = Observation.start("request", registry);
		Observation unrelated = Observation.start("unrelated", registry);
		try (Observation.Scope scope = unrelated.openScope()) {
			reactive.getFile(this.id, "a.txt")
				.contextWrite((context) -> context.put(ObservationThreadLocalAccessor.KEY, request))
				.block(HANG_GUARD);
			reactive.listFiles(this.id).block(HANG_GUARD);
		}
		request.stop();
		unrelated.stop();
		assertThat(registry).hasAnObservation((context) -> context.hasNameEqualTo(NAME)
			.hasLowCardinalityKeyValue("operation", "getFile")
			.hasParentObservationEqualTo(request));
		assertThat(registry).hasAnObservation((context) -> context.hasNameEqualTo(NAME)
			.hasLowCardinalityKeyValue("operation", "listFiles")
			.doesNotHaveParentObservation());
	}

	@Test
	void theObservationIsInTheReactorContextOfTheCallForWhatItCalls() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		List<Object> seen = new CopyOnWriteArrayList<>();
		ReactiveValkeyCache reactive = new ReactiveValkeyCache(factory(shared, COMMAND_TIMEOUT), this.prefix, TTL,
				MAX_ENTRY_SIZE) {

			@Override
			protected Mono<Void> doEvict(UUID id) {
				return Mono.deferContextual((context) -> {
					seen.add(context.get(ObservationThreadLocalAccessor.KEY));
					return super.doEvict(id);
				});
			}

		};
		reactive.setObservationRegistry(registry);
		reactive.evict(this.id).block(HANG_GUARD);
		assertThat(seen).singleElement()
			.isInstanceOfSatisfying(Observation.class, (observation) -> assertThat(observation.getContext())
				.isInstanceOf(WorkspaceCacheObservationContext.class));
	}

	@Test
	void aConventionOfItsOwnNamesTheObservation() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		ReactiveValkeyCache reactive = ReactiveValkeyCache.of(this.cache);
		reactive.setObservationRegistry(registry);
		reactive.setObservationConvention(new DefaultWorkspaceCacheObservationConvention() {

			@Override
			public String getName() {
				return "sessions.cache";
			}

		});
		reactive.touch(this.id).block(HANG_GUARD);
		assertThat(registry).hasSingleObservationThat()
			.hasNameEqualTo("sessions.cache")
			.hasLowCardinalityKeyValue("operation", "touch")
			.hasLowCardinalityKeyValue("write.outcome", "missing");
	}

	@Test
	void unreadableValuesMetByEitherCacheAreOneCount() {
		ReactiveValkeyCache reactive = ReactiveValkeyCache.of(this.cache);
		this.raw.sync().hset(bytes(key()), field("bad.txt"), new byte[] { (byte) 0xff, 0, 1 });
		assertThat(reactive.getFile(this.id, "bad.txt").blockOptional(HANG_GUARD)).isEmpty();
		assertThat(this.cache.getFile(this.id, "bad.txt")).isEmpty();
		assertThat(this.cache.getUnreadableValueCount()).isEqualTo(2);
		assertThat(reactive.getUnreadableValueCount()).isEqualTo(2);
	}

	/**
	 * What each call recorded, as a metric and a span see it.
	 *
	 * @param keyValues the low-cardinality key values
	 * @param bytesRead the bytes read, or {@code -1}
	 * @param bytesWritten the bytes written, or {@code -1}
	 */
	private record RecordedCall(Map<String, String> keyValues, long bytesRead, long bytesWritten) {

	}

	/**
	 * The calls an {@link ObservationRegistry} observed, in the order they ended.
	 */
	private static final class RecordedCalls implements ObservationHandler<WorkspaceCacheObservationContext> {

		private final List<RecordedCall> calls = new CopyOnWriteArrayList<>();

		private final ObservationRegistry registry = ObservationRegistry.create();

		RecordedCalls() {
			this.registry.observationConfig().observationHandler(this);
		}

		ObservationRegistry registry() {
			return this.registry;
		}

		List<RecordedCall> calls() {
			return this.calls;
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof WorkspaceCacheObservationContext;
		}

		@Override
		public void onStop(WorkspaceCacheObservationContext context) {
			Map<String, String> keyValues = new TreeMap<>();
			for (KeyValue keyValue : context.getLowCardinalityKeyValues()) {
				keyValues.put(keyValue.getKey(), keyValue.getValue());
			}
			this.calls.add(new RecordedCall(keyValues, context.getBytesRead(), context.getBytesWritten()));
		}

	}

}
