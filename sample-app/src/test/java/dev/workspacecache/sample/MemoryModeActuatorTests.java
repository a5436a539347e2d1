package dev.workspacecache.sample;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health and the {@code workspacecache} endpoint in {@code memory} mode: no Redis health
 * check and no connection to Redis, without any property saying so; workspaces are
 * described without their content and evicted.
 */
class MemoryModeActuatorTests extends AbstractActuatorTests {

	private static final UnusedRedisPort REDIS = UnusedRedisPort.open();

	@DynamicPropertySource
	static void memoryMode(DynamicPropertyRegistry registry) {
		registry.add("workspace.cache.mode", () -> "memory");
		registry.add("workspace.cache.ttl", () -> "20m");
		registry.add("spring.data.redis.host", () -> "127.0.0.1");
		registry.add("spring.data.redis.port", REDIS::port);
	}

	@Override
	String mode() {
		return "memory";
	}

	@Test
	void noRedisHealthCheckAndNoRedisConnection() {
		assertRedisNeitherCheckedNorConnectedTo(REDIS);
	}

	@Test
	void endpointShowsTheTimeToLive() {
		assertThat(this.mvc.get().uri(ENDPOINT)).bodyJson().extractingPath("$.timeToLive").isEqualTo("PT20M");
	}

	@Test
	void describesASessionsWorkspaceWithoutItsContentThenEvictsIt() {
		assertDescribedWithoutContentThenEvicted();
	}

}
