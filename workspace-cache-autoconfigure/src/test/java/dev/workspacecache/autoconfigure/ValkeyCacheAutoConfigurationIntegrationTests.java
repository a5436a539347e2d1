package dev.workspacecache.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.testsupport.RedisInspector;
import dev.workspacecache.testsupport.RedisServer;
import dev.workspacecache.valkey.ValkeyCache;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static dev.workspacecache.WorkspaceFixtures.modified;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Integration tests for the {@link ValkeyCache} of
 * {@link WorkspaceCacheAutoConfiguration} against real servers: what the cache writes,
 * and which connection factory it uses, told by the server its keys land on.
 */
class ValkeyCacheAutoConfigurationIntegrationTests {

	private static final String TEST_PREFIX = "autoconfig-test:";

	private static RedisServer shared;

	private static RedisInspector sharedRaw;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DataRedisAutoConfiguration.class, WorkspaceCacheAutoConfiguration.class));

	@BeforeAll
	static void startServer() {
		shared = RedisServer.shared();
		sharedRaw = new RedisInspector(shared);
	}

	@AfterAll
	static void closeRaw() {
		if (sharedRaw != null) {
			sharedRaw.close();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "valkey", "VALKEY", "Valkey" })
	void valkeyModeInAnyCaseGivesValkeyCacheThatRoundTripsThroughTheServer(String mode) {
		String prefix = TEST_PREFIX + UUID.randomUUID() + ":";
		this.contextRunner
			.withPropertyValues("workspace.cache.mode=" + mode, "workspace.cache.key-prefix=" + prefix,
					"spring.data.redis.host=" + shared.host(), "spring.data.redis.port=" + shared.port())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(WorkspaceCache.class);
				WorkspaceCache cache = context.getBean(WorkspaceCache.class);
				assertThat(cache).isExactlyInstanceOf(ValkeyCache.class);
				assertThat(((ValkeyCache) cache).getKeyPrefix()).isEqualTo(prefix);
				UUID id = UUID.randomUUID();
				cache.cacheWorkspace(id, WorkspaceFixtures.snapshot(id));
				String key = prefix + "{" + id + "}:workspace";
				assertThat(sharedRaw.fields(key)).containsExactlyInAnyOrder("m", "v");
				assertThat(cache.getWorkspace(id)).isPresent();
				cache.evict(id);
				// What stays is the evict marker alone, under the same key.
				assertThat(sharedRaw.keys(prefix + "*")).containsExactly(key);
				assertThat(sharedRaw.fields(key)).containsExactly("x");
			});
	}

	@Test
	void valkeyModeHonoursKeyPrefixTtlAndMaxEntrySize() {
		String prefix = TEST_PREFIX + UUID.randomUUID() + ":";
		this.contextRunner
			.withPropertyValues("workspace.cache.mode=valkey", "workspace.cache.key-prefix=" + prefix,
					"workspace.cache.ttl=90s", "workspace.cache.max-entry-size=1KB",
					"spring.data.redis.host=" + shared.host(), "spring.data.redis.port=" + shared.port())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ValkeyCache cache = context.getBean(ValkeyCache.class);
				assertThat(cache.getTtl()).isEqualTo(Duration.ofSeconds(90));
				assertThat(cache.getMaxEntrySize()).isEqualTo(1024);
				UUID id = UUID.randomUUID();
				String base = prefix + "{" + id + "}";
				cache.cacheWorkspace(id, WorkspaceFixtures.snapshot(id));
				cache.cacheFile(id, "fits.bin", modified(new byte[1024]));
				String key = base + ":workspace";
				assertThat(sharedRaw.keys(prefix + "*")).containsExactly(key);
				assertThat(sharedRaw.pttl(key)).isPositive().isLessThanOrEqualTo(90_000);
				assertThatIllegalArgumentException()
					.isThrownBy(() -> cache.cacheFile(id, "big.bin", modified(new byte[1025])));
				assertThatIllegalArgumentException().isThrownBy(() -> cache.cacheGraph(id, new byte[1025]));
				assertThat(sharedRaw.fields(key)).containsExactlyInAnyOrder("m", "ffits.bin", "v");
				cache.evict(id);
			});
	}

	@Test
	void valkeyModeUsesDefaultPrefixAndOneHourTtl() {
		this.contextRunner
			.withPropertyValues("workspace.cache.mode=valkey", "spring.data.redis.host=" + shared.host(),
					"spring.data.redis.port=" + shared.port())
			.run((context) -> {
				ValkeyCache cache = context.getBean(ValkeyCache.class);
				assertThat(cache.getKeyPrefix()).isEqualTo("workspace-cache:");
				assertThat(cache.getTtl()).isEqualTo(Duration.ofHours(1));
				assertThat(cache.getMaxEntrySize()).isEqualTo(16L * 1024 * 1024);
				UUID id = UUID.randomUUID();
				try {
					cache.cacheGraph(id, new byte[] { 1, 2, 3 });
					long pttl = sharedRaw.pttl("workspace-cache:{" + id + "}:workspace");
					assertThat(pttl).isPositive().isLessThanOrEqualTo(3_600_000).isGreaterThan(3_500_000);
				}
				finally {
					cache.evict(id);
				}
			});
	}

	@Test
	void valkeyModeWorksWithAutoConfigurationsGivenInEitherOrder() {
		for (AutoConfigurations configurations : List.of(
				AutoConfigurations.of(DataRedisAutoConfiguration.class, WorkspaceCacheAutoConfiguration.class),
				AutoConfigurations.of(WorkspaceCacheAutoConfiguration.class, DataRedisAutoConfiguration.class))) {
			new ApplicationContextRunner().withConfiguration(configurations)
				.withPropertyValues("workspace.cache.mode=valkey", "spring.data.redis.host=" + shared.host(),
						"spring.data.redis.port=" + shared.port())
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context).hasSingleBean(ValkeyCache.class);
					assertThat(context.getBean(ValkeyCache.class).getWorkspace(UUID.randomUUID())).isEmpty();
				});
		}
	}

	@Test
	void qualifiedConnectionFactoryIsPreferredOverThePrimaryOne() {
		try (RedisServer serverA = RedisServer.start();
				RedisServer serverB = RedisServer.start();
				RedisInspector rawA = new RedisInspector(serverA);
				RedisInspector rawB = new RedisInspector(serverB)) {
			this.contextRunner.withUserConfiguration(PrimaryAndQualifiedFactoriesConfiguration.class)
				.withPropertyValues("workspace.cache.mode=valkey", "test.server-a.port=" + serverA.port(),
						"test.server-b.port=" + serverB.port())
				.run((context) -> assertCacheWritesOnlyTo(context, rawB, rawA));
		}
	}

	@Test
	void qualifiedConnectionFactoryIsPreferredOverAnUnqualifiedOne() {
		try (RedisServer serverA = RedisServer.start();
				RedisServer serverB = RedisServer.start();
				RedisInspector rawA = new RedisInspector(serverA);
				RedisInspector rawB = new RedisInspector(serverB)) {
			this.contextRunner.withUserConfiguration(PlainAndQualifiedFactoriesConfiguration.class)
				.withPropertyValues("workspace.cache.mode=valkey", "test.server-a.port=" + serverA.port(),
						"test.server-b.port=" + serverB.port())
				.run((context) -> assertCacheWritesOnlyTo(context, rawB, rawA));
		}
	}

	@Test
	void qualifiedConnectionFactoryAlone() {
		try (RedisServer serverB = RedisServer.start(); RedisInspector rawB = new RedisInspector(serverB)) {
			this.contextRunner.withUserConfiguration(QualifiedFactoryOnlyConfiguration.class)
				.withPropertyValues("workspace.cache.mode=valkey", "test.server-b.port=" + serverB.port(),
						// Points at nothing: Boot's own factory must not be the one used.
						"spring.data.redis.port=1")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context).hasSingleBean(RedisConnectionFactory.class);
					assertCacheWritesOnlyTo(context, rawB, null);
				});
		}
	}

	@Test
	void qualifiedConnectionFactoryIsPreferredOverBootsAutoConfiguredOne() {
		// A qualified factory makes Boot's Redis auto-configuration back off: the cache
		// must still start and use it.
		try (RedisServer serverB = RedisServer.start(); RedisInspector rawB = new RedisInspector(serverB)) {
			this.contextRunner.withUserConfiguration(QualifiedFactoryOnlyConfiguration.class)
				.withPropertyValues("workspace.cache.mode=valkey", "test.server-b.port=" + serverB.port(),
						"spring.data.redis.host=" + shared.host(), "spring.data.redis.port=" + shared.port())
				.run((context) -> assertCacheWritesOnlyTo(context, rawB, null));
		}
	}

	@Test
	void primaryOfTwoUnqualifiedConnectionFactoriesIsUsed() {
		try (RedisServer serverA = RedisServer.start();
				RedisServer serverB = RedisServer.start();
				RedisInspector rawA = new RedisInspector(serverA);
				RedisInspector rawB = new RedisInspector(serverB)) {
			this.contextRunner.withUserConfiguration(PrimaryOfTwoUnqualifiedFactoriesConfiguration.class)
				.withPropertyValues("workspace.cache.mode=valkey", "test.server-a.port=" + serverA.port(),
						"test.server-b.port=" + serverB.port())
				.run((context) -> assertCacheWritesOnlyTo(context, rawB, rawA));
		}
	}

	private static void assertCacheWritesOnlyTo(AssertableApplicationContext context, RedisInspector expected,
			RedisInspector other) {
		assertThat(context).hasNotFailed();
		assertThat(context).hasSingleBean(WorkspaceCache.class);
		ValkeyCache cache = context.getBean(ValkeyCache.class);
		UUID id = UUID.randomUUID();
		cache.cacheWorkspace(id, WorkspaceFixtures.snapshot(id));
		cache.cacheFile(id, "a.txt", WorkspaceFixtures.added("a"));
		String base = cache.getKeyPrefix() + "{" + id + "}";
		assertThat(expected.keys("*")).containsExactly(base + ":workspace");
		assertThat(expected.fields(base + ":workspace")).containsExactlyInAnyOrder("m", "fa.txt", "v");
		if (other != null) {
			assertThat(other.keys("*")).isEmpty();
		}
		assertThat(cache.getWorkspace(id)).isPresent();
	}

	@Configuration(proxyBeanMethods = false)
	@Import(QualifiedFactoryOnlyConfiguration.class)
	static class PrimaryAndQualifiedFactoriesConfiguration {

		@Bean
		@Primary
		LettuceConnectionFactory redisConnectionFactory(@Value("${test.server-a.port}") int port) {
			return TestConnectionFactories.local(port);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(QualifiedFactoryOnlyConfiguration.class)
	static class PlainAndQualifiedFactoriesConfiguration {

		@Bean
		LettuceConnectionFactory redisConnectionFactory(@Value("${test.server-a.port}") int port) {
			return TestConnectionFactories.local(port);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class QualifiedFactoryOnlyConfiguration {

		@Bean
		@WorkspaceCacheConnectionFactory
		LettuceConnectionFactory workspaceCacheRedisConnectionFactory(@Value("${test.server-b.port}") int port) {
			return TestConnectionFactories.local(port);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrimaryOfTwoUnqualifiedFactoriesConfiguration {

		@Bean
		LettuceConnectionFactory firstConnectionFactory(@Value("${test.server-a.port}") int port) {
			return TestConnectionFactories.local(port);
		}

		@Bean
		@Primary
		LettuceConnectionFactory secondConnectionFactory(@Value("${test.server-b.port}") int port) {
			return TestConnectionFactories.local(port);
		}

	}

}
