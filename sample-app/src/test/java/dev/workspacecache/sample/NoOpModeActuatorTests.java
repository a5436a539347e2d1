package dev.workspacecache.sample;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health and the {@code workspacecache} endpoint in the default mode, {@code noop}: no
 * Redis health check and no connection to Redis, without any property saying so; the
 * cache holds nothing to describe.
 */
class NoOpModeActuatorTests extends AbstractActuatorTests {

	private static final UnusedRedisPort REDIS = UnusedRedisPort.open();

	@DynamicPropertySource
	static void redisThatMustNotBeUsed(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", () -> "127.0.0.1");
		registry.add("spring.data.redis.port", REDIS::port);
	}

	@Override
	String mode() {
		return "noop";
	}

	@Test
	void noRedisHealthCheckAndNoRedisConnection() {
		assertRedisNeitherCheckedNorConnectedTo(REDIS);
	}

	@Test
	void aSessionsWorkspaceIsNotCached() {
		UUID id = createSessionWithAFileAndAGraph();
		assertThat(this.mvc.get().uri(ENDPOINT + "/{id}", id)).hasStatus(HttpStatus.NOT_FOUND);
		assertThat(this.mvc.delete().uri(ENDPOINT + "/{id}", id)).hasStatus(HttpStatus.NO_CONTENT);
	}

}
