package dev.workspacecache.valkey;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.workspacecache.ReactiveWorkspaceCacheBlockingAdapter;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheContractTests;
import dev.workspacecache.observation.WorkspaceCacheBytesObservationHandler;
import dev.workspacecache.testsupport.RedisConnections;
import dev.workspacecache.testsupport.RedisServer;
import dev.workspacecache.testsupport.WorkspaceTtls;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WorkspaceCacheContractTests} for {@link ReactiveValkeyCache} against a real
 * server, each operation run on a non-blocking thread watched by BlockHound, through the
 * fail-fast circuit and observed.
 */
class ReactiveValkeyCacheContractIntegrationTests extends WorkspaceCacheContractTests {

	private static LettuceConnectionFactory connectionFactory;

	@BeforeAll
	static void connect() {
		connectionFactory = RedisConnections.connectionFactory(RedisServer.shared());
	}

	@AfterAll
	static void disconnect() {
		if (connectionFactory != null) {
			connectionFactory.destroy();
		}
	}

	private final List<ServerAvailability> availabilities = new ArrayList<>();

	/**
	 * Observed as the auto-configuration observes it, with Micrometer's timer and the
	 * bytes handler recording on the I/O threads where calls end.
	 */
	private final ObservationRegistry observationRegistry = ObservationRegistry.create();

	@BeforeEach
	void recordMeters() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		this.observationRegistry.observationConfig()
			.observationHandler(new DefaultMeterObservationHandler(meters))
			.observationHandler(new WorkspaceCacheBytesObservationHandler(meters));
	}

	/**
	 * The reactive side of a blocking cache that fails fast, as the auto-configuration
	 * makes it: every call goes through the circuit and is observed, under BlockHound.
	 */
	@Override
	public WorkspaceCache createCache(Duration ttl, long maxEntrySize) {
		ServerAvailability availability = new ServerAvailability(1, Duration.ofMillis(250));
		this.availabilities.add(availability);
		ValkeyCache blocking = new ValkeyCache(connectionFactory, RedisConnections.randomKeyPrefix(), ttl, maxEntrySize,
				availability, compression());
		ReactiveValkeyCache reactive = ReactiveValkeyCache.of(blocking);
		reactive.setObservationRegistry(this.observationRegistry);
		assertThat(reactive.getServerAvailability()).containsSame(availability);
		return new ReactiveWorkspaceCacheBlockingAdapter(reactive);
	}

	@AfterEach
	void serverStayedAvailable() {
		for (ServerAvailability availability : this.availabilities) {
			assertThat(availability.isAvailable()).isTrue();
			availability.close();
		}
	}

	/**
	 * How the caches under test store file content.
	 * @return raw, unless a subclass says otherwise
	 */
	protected ContentCompression compression() {
		return ContentCompression.none();
	}

	@Override
	public List<Duration> remainingTtls(WorkspaceCache cache, UUID workspaceId) {
		ReactiveValkeyCache reactive = (ReactiveValkeyCache) ((ReactiveWorkspaceCacheBlockingAdapter) cache).reactive();
		try (RedisConnection connection = connectionFactory.getConnection()) {
			return WorkspaceTtls.remainingTtls(connection, reactive.getKeyPrefix(), workspaceId);
		}
	}

	@AfterEach
	void noReactorThreadBlocked() {
		assertThat(ReactiveWorkspaceCacheBlockingAdapter.blockingCalls()).isEmpty();
	}

}
