package dev.workspacecache.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.testsupport.FreePorts;
import dev.workspacecache.testsupport.RedisConnections;
import dev.workspacecache.testsupport.RedisServer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for the {@code workspaceCache} health indicator in {@code valkey}
 * mode, against real servers: UP with what the server is, and an application that starts
 * while its server is down, reports DOWN, and serves once the server is up.
 */
class WorkspaceCacheHealthIntegrationTests {

	private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(30);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				WorkspaceCacheAutoConfiguration.class, WorkspaceCacheHealthContributorAutoConfiguration.class))
		.withPropertyValues("workspace.cache.mode=valkey", "spring.data.redis.timeout=1s",
				"workspace.cache.key-prefix=" + RedisConnections.randomKeyPrefix());

	@Test
	void upWithTheServersNameVersionTopologyAndLatency() {
		RedisServer server = RedisServer.shared();
		this.contextRunner
			.withPropertyValues("spring.data.redis.host=" + server.host(), "spring.data.redis.port=" + server.port())
			.run((context) -> {
				Health health = context.getBean("workspaceCacheHealthIndicator", HealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("mode", "valkey")
					.containsEntry("server", server.flavour())
					.containsEntry("version", server.version())
					.containsEntry("topology", "standalone")
					.containsKey("latencyMillis");
				assertThat((double) health.getDetails().get("latencyMillis")).isPositive();
			});
	}

	@Test
	void startsWhileTheServerIsDownReportsDownAndServesOnceTheServerIsUp() {
		int port = FreePorts.any();
		this.contextRunner
			.withPropertyValues("spring.data.redis.host=" + FreePorts.HOST, "spring.data.redis.port=" + port)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				HealthIndicator indicator = context.getBean("workspaceCacheHealthIndicator", HealthIndicator.class);
				Health down = indicator.health();
				assertThat(down.getStatus()).isEqualTo(Status.DOWN);
				assertThat(down.getDetails()).containsEntry("mode", "valkey");
				// Refused, or no answer within the timeout on a loaded machine: DOWN
				// either way.
				assertThat(down.getDetails().get("error")).asString()
					.containsAnyOf("'ping' failed", "did not answer within");
				WorkspaceCache cache = context.getBean(WorkspaceCache.class);
				UUID id = UUID.randomUUID();
				assertThatExceptionOfType(WorkspaceCacheException.class).isThrownBy(() -> cache.getWorkspace(id));

				try (RedisServer server = RedisServer.builder().port(port).start()) {
					await("the workspace cache health to be UP").atMost(RECOVERY_DEADLINE)
						.untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.UP));
					await("a cache write and read to succeed").atMost(RECOVERY_DEADLINE)
						.ignoreExceptionsInstanceOf(WorkspaceCacheException.class)
						.untilAsserted(() -> {
							cache.cacheWorkspace(id, WorkspaceFixtures.snapshot(id));
							assertThat(cache.getWorkspace(id)).contains(WorkspaceFixtures.snapshot(id));
						});
					assertThat(indicator.health().getDetails()).containsEntry("server", server.flavour());
				}
			});
	}

}
