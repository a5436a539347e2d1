package dev.workspacecache.observation;

import java.time.Duration;
import java.util.UUID;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

import dev.workspacecache.InProcessReactiveWorkspaceCache;
import dev.workspacecache.NoOpCache;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.memory.InMemoryWorkspaceCache;
import dev.workspacecache.valkey.ReactiveValkeyCache;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests of the observation of reactive calls without a server: the in-process reactive
 * caches leave it to the cache they wrap, once per call, as a child of the observation in
 * the Reactor context; a rejected argument is not observed.
 */
class ReactiveWorkspaceCacheObservationTests {

	private static final String NAME = DefaultWorkspaceCacheObservationConvention.NAME;

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final UUID id = UUID.randomUUID();

	@Test
	void aReactiveCallOfTheMemoryModeIsObservedOnceByTheWrappedCache() {
		InMemoryWorkspaceCache memory = new InMemoryWorkspaceCache(Duration.ofHours(1), 1024);
		memory.setObservationRegistry(this.registry);
		InProcessReactiveWorkspaceCache reactive = InProcessReactiveWorkspaceCache.of(memory);
		reactive.cacheFile(this.id, "a.txt", WorkspaceFixtures.added("a")).block();
		assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo(NAME, 1)
			.hasSingleObservationThat()
			.hasLowCardinalityKeyValue("operation", "cacheFile")
			.hasLowCardinalityKeyValue("mode", "memory")
			.hasLowCardinalityKeyValue("write.outcome", "missing");
	}

	@Test
	void theWrappedCachesObservationIsAChildOfTheObservationInTheReactorContext() {
		NoOpCache noop = new NoOpCache(1024);
		noop.setObservationRegistry(this.registry);
		InProcessReactiveWorkspaceCache reactive = InProcessReactiveWorkspaceCache.of(noop);
		Observation request = Observation.start("request", this.registry);
		reactive.getFile(this.id, "a.txt")
			.contextWrite((context) -> context.put(ObservationThreadLocalAccessor.KEY, request))
			.block();
		request.stop();
		assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo(NAME, 1)
			.hasAnObservation((context) -> context.hasNameEqualTo(NAME)
				.hasLowCardinalityKeyValue("result", "miss")
				.hasParentObservationEqualTo(request));
		// The scope opened for the call is closed again.
		assertThat(this.registry.getCurrentObservation()).isNull();
	}

	@Test
	void aRejectedArgumentIsNotObserved() {
		LettuceConnectionFactory neverConnected = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", 6390));
		ReactiveValkeyCache reactive = new ReactiveValkeyCache(neverConnected, "", Duration.ofHours(1), 1024);
		reactive.setObservationRegistry(this.registry);
		assertThatIllegalArgumentException().isThrownBy(() -> reactive.getFile(this.id, "").block());
		assertThat(this.registry).doesNotHaveAnyObservation();
	}

}
