package dev.workspacecache.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.ReactiveWorkspaceCache;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.testsupport.FreePorts;
import dev.workspacecache.testsupport.RedisConnections;
import dev.workspacecache.testsupport.RedisServer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.deleted;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The timers and byte summaries of a {@link dev.workspacecache.valkey.ValkeyCache} and of
 * its reactive side on a real server, wired by Spring Boot's observation and metrics
 * auto-configuration.
 */
class WorkspaceCacheObservationIntegrationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				DataRedisAutoConfiguration.class, WorkspaceCacheAutoConfiguration.class,
				WorkspaceCacheObservationAutoConfiguration.class))
		.withPropertyValues("workspace.cache.mode=valkey");

	@Test
	void recoverCacheAllAndGetFileRecordTimersAndTheEncodedBytesOnTheWire() {
		String prefix = RedisConnections.randomKeyPrefix();
		onSharedServer(prefix).run((context) -> {
			WorkspaceCache cache = context.getBean(WorkspaceCache.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			UUID id = UUID.randomUUID();
			CachedWorkspace workspace = CachedWorkspace.of(WorkspaceFixtures.snapshot(id),
					Map.of("a.txt", added("hello"), "src/b.txt", modified("x".repeat(1000)), "gone.txt", deleted()),
					new byte[64]);

			assertThat(cache.recover(id)).isEmpty();
			cache.cacheAll(id, workspace);
			assertThat(cache.recover(id)).contains(workspace);
			assertThat(cache.getFile(id, "src/b.txt")).isPresent();

			assertThat(timerCount(meters, "recover", "miss", "none")).isOne();
			assertThat(timerCount(meters, "cacheAll", "success", "missing")).isOne();
			assertThat(timerCount(meters, "recover", "hit", "none")).isOne();
			assertThat(timerCount(meters, "getFile", "hit", "none")).isOne();

			// What the server holds is what cacheAll sent and recover received: the
			// encoded values, every field of the workspace's one hash.
			long stored = 0;
			long storedFile = 0;
			byte[] key = (prefix + "{" + id + "}:workspace").getBytes(StandardCharsets.UTF_8);
			try (RedisConnection connection = context.getBean(RedisConnectionFactory.class).getConnection()) {
				Map<byte[], byte[]> fields = connection.hashCommands().hGetAll(key);
				assertThat(fields).hasSize(6);
				for (Map.Entry<byte[], byte[]> field : fields.entrySet()) {
					if (Arrays.equals(field.getKey(), new byte[] { 'v' })) {
						// The version: the cache's own bookkeeping, not a value sent.
						continue;
					}
					stored += field.getValue().length;
					if (new String(field.getKey(), StandardCharsets.UTF_8).endsWith("src/b.txt")) {
						storedFile = field.getValue().length;
					}
				}
			}
			// Encoded values are larger than the contents and graph they carry.
			assertThat(stored).isGreaterThan(5 + 1000 + 64);
			assertThat(storedFile).isGreaterThan(1000);
			assertSummary(meters, "workspace.cache.bytes.written", "cacheAll", "success", "missing", stored);
			assertSummary(meters, "workspace.cache.bytes.read", "recover", "hit", "none", stored);
			assertSummary(meters, "workspace.cache.bytes.read", "recover", "miss", "none", 0);
			assertSummary(meters, "workspace.cache.bytes.read", "getFile", "hit", "none", storedFile);
		});
	}

	@Test
	void reactiveCallsRecordTheSameTimersAndTheUnreadableValuesTheyMeetAreCounted() {
		String prefix = RedisConnections.randomKeyPrefix();
		onSharedServer(prefix).withConfiguration(AutoConfigurations.of(ReactiveWorkspaceCacheAutoConfiguration.class))
			.run((context) -> {
				ReactiveWorkspaceCache reactive = context.getBean(ReactiveWorkspaceCache.class);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				UUID id = UUID.randomUUID();
				CachedWorkspace workspace = CachedWorkspace.of(WorkspaceFixtures.snapshot(id),
						Map.of("src/b.txt", modified("x".repeat(1000))), null);

				assertThat(reactive.recover(id).blockOptional()).isEmpty();
				reactive.cacheAll(id, workspace).block();
				assertThat(reactive.getFile(id, "src/b.txt").blockOptional()).isPresent();

				assertThat(timerCount(meters, "recover", "miss", "none")).isOne();
				assertThat(timerCount(meters, "cacheAll", "success", "missing")).isOne();
				assertThat(timerCount(meters, "getFile", "hit", "none")).isOne();
				assertThat(
						meters.get("workspace.cache.bytes.read").tags("operation", "getFile").summary().totalAmount())
					.isGreaterThan(1000);

				// The blocking cache's meter counts what its reactive side met.
				SimpleMeterRegistry stateMeters = new SimpleMeterRegistry();
				context.getBean(ValkeyCacheMetrics.class).bindTo(stateMeters);
				try (RedisConnection connection = context.getBean(RedisConnectionFactory.class).getConnection()) {
					connection.hashCommands()
						.hSet((prefix + "{" + id + "}:workspace").getBytes(StandardCharsets.UTF_8),
								"fbad.txt".getBytes(StandardCharsets.UTF_8), new byte[] { 1, 2, 3 });
				}
				assertThat(reactive.getFile(id, "bad.txt").blockOptional()).isEmpty();
				assertThat(stateMeters.get(ValkeyCacheMetrics.UNREADABLE_VALUES).functionCounter().count()).isOne();
			});
	}

	@Test
	void anUnreachableServerGivesResultError() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.host=" + FreePorts.HOST, "spring.data.redis.port=" + FreePorts.any(),
					"spring.data.redis.timeout=2s", "spring.data.redis.connect-timeout=2s")
			.run((context) -> {
				WorkspaceCache cache = context.getBean(WorkspaceCache.class);
				assertThatExceptionOfType(WorkspaceCacheException.class)
					.isThrownBy(() -> cache.getFile(UUID.randomUUID(), "a.txt"));
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("workspace.cache.operations")
					.tags("operation", "getFile", "mode", "valkey", "result", "error", "write.outcome", "none", "error",
							"WorkspaceCacheException")
					.timer()
					.count()).isOne();
				assertThat(meters.find("workspace.cache.bytes.read").meters()).isEmpty();
			});
	}

	// The caches of a test on the shared server, under a key prefix of the test's own.
	private ApplicationContextRunner onSharedServer(String prefix) {
		RedisServer server = RedisServer.shared();
		return this.contextRunner.withPropertyValues("workspace.cache.key-prefix=" + prefix,
				"spring.data.redis.host=" + server.host(), "spring.data.redis.port=" + server.port());
	}

	private static long timerCount(MeterRegistry meters, String operation, String result, String writeOutcome) {
		return meters.get("workspace.cache.operations")
			.tags("operation", operation, "mode", "valkey", "result", result, "write.outcome", writeOutcome, "error",
					"none")
			.timer()
			.count();
	}

	private static void assertSummary(MeterRegistry meters, String name, String operation, String result,
			String writeOutcome, long bytes) {
		DistributionSummary summary = meters.get(name)
			.tags("operation", operation, "mode", "valkey", "result", result, "write.outcome", writeOutcome)
			.summary();
		assertThat(summary.count()).as(name + " " + operation).isOne();
		assertThat(summary.totalAmount()).as(name + " " + operation).isEqualTo(bytes);
		assertThat(summary.getId().getBaseUnit()).isEqualTo("bytes");
	}

}
