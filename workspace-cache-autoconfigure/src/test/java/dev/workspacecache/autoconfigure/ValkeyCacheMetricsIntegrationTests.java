package dev.workspacecache.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.workspacecache.testsupport.RedisConnections;
import dev.workspacecache.testsupport.RedisServer;
import dev.workspacecache.valkey.ValkeyCache;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the Micrometer counters published for {@link ValkeyCache}.
 */
class ValkeyCacheMetricsIntegrationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DataRedisAutoConfiguration.class, WorkspaceCacheAutoConfiguration.class));

	@Test
	void unreadableValuesAreCountedInMicrometer() {
		RedisServer server = RedisServer.shared();
		String prefix = RedisConnections.randomKeyPrefix();
		this.contextRunner
			.withPropertyValues("workspace.cache.mode=valkey", "workspace.cache.key-prefix=" + prefix,
					"spring.data.redis.host=" + server.host(), "spring.data.redis.port=" + server.port())
			.run((context) -> {
				assertThat(context).hasSingleBean(ValkeyCacheMetrics.class);
				SimpleMeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(ValkeyCacheMetrics.class).bindTo(registry);
				FunctionCounter counter = registry.get(ValkeyCacheMetrics.UNREADABLE_VALUES).functionCounter();
				assertThat(counter.count()).isZero();

				UUID id = UUID.randomUUID();
				try (RedisConnection connection = context.getBean(RedisConnectionFactory.class).getConnection()) {
					// A snapshot field that no release could have written.
					connection.hashCommands()
						.hSet((prefix + "{" + id + "}:workspace").getBytes(StandardCharsets.UTF_8), new byte[] { 'm' },
								new byte[] { 1, 2, 3 });
				}
				assertThat(context.getBean(ValkeyCache.class).getWorkspace(id)).isEmpty();
				assertThat(counter.count()).isEqualTo(1);
			});
	}

	@Test
	void noMetricsOutsideValkeyMode() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=memory")
			.run((context) -> assertThat(context).doesNotHaveBean(ValkeyCacheMetrics.class));
	}

	@Test
	void noMetricsWithoutMicrometer() {
		RedisServer server = RedisServer.shared();
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.withPropertyValues("workspace.cache.mode=valkey", "spring.data.redis.host=" + server.host(),
					"spring.data.redis.port=" + server.port())
			.run((context) -> assertThat(context).hasSingleBean(ValkeyCache.class)
				.doesNotHaveBean(ValkeyCacheMetrics.class));
	}

}
