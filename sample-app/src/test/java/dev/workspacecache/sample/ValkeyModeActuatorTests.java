package dev.workspacecache.sample;

import org.junit.jupiter.api.Test;

import dev.workspacecache.testsupport.RedisConnections;
import dev.workspacecache.testsupport.RedisServer;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health and the {@code workspacecache} endpoint in {@code valkey} mode, against a real
 * server: the cache's own check names the server, and Boot's Redis check runs without any
 * property turning it on.
 */
class ValkeyModeActuatorTests extends AbstractActuatorTests {

	private static final String KEY_PREFIX = RedisConnections.randomKeyPrefix();

	@DynamicPropertySource
	static void valkey(DynamicPropertyRegistry registry) {
		RedisServer server = RedisServer.shared();
		registry.add("workspace.cache.mode", () -> "valkey");
		registry.add("workspace.cache.key-prefix", () -> KEY_PREFIX);
		registry.add("spring.data.redis.host", server::host);
		registry.add("spring.data.redis.port", server::port);
		registry.add("spring.data.redis.timeout", () -> "5s");
	}

	@Override
	String mode() {
		return "valkey";
	}

	@Test
	void healthShowsTheServerItsVersionAndTopologyAndBootsRedisCheck() {
		RedisServer server = RedisServer.shared();
		MvcTestResult health = this.mvc.get().uri("/actuator/health").exchange();
		assertThat(health).hasStatusOk()
			.bodyJson()
			.extractingPath("$.components.workspaceCache.details")
			.asMap()
			.containsEntry("server", server.flavour())
			.containsEntry("version", server.version())
			.containsEntry("topology", "standalone")
			.containsKey("latencyMillis");
		assertThat(health).bodyJson().extractingPath("$.components.redis.status").isEqualTo("UP");
	}

	@Test
	void endpointShowsTheKeyPrefixTtlAndCounters() {
		MvcTestResult cache = this.mvc.get().uri(ENDPOINT).exchange();
		assertThat(cache).bodyJson().extractingPath("$.keyPrefix").isEqualTo(KEY_PREFIX);
		assertThat(cache).bodyJson().extractingPath("$.timeToLive").isEqualTo("PT1H");
		assertThat(cache).bodyJson().extractingPath("$.counters.unreadableValues").isEqualTo(0);
	}

	@Test
	void describesASessionsWorkspaceWithoutItsContentThenEvictsIt() {
		assertDescribedWithoutContentThenEvicted();
	}

}
