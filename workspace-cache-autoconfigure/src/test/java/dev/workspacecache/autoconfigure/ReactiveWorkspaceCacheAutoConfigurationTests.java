package dev.workspacecache.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import dev.workspacecache.InProcessReactiveWorkspaceCache;
import dev.workspacecache.NoOpCache;
import dev.workspacecache.ReactiveWorkspaceCache;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.WriteOutcome;
import dev.workspacecache.memory.InMemoryWorkspaceCache;
import dev.workspacecache.valkey.ContentCompression;
import dev.workspacecache.valkey.ReactiveValkeyCache;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReactiveWorkspaceCacheAutoConfiguration}: the reactive cache of every
 * mode beside the blocking one, the user's own bean, the connection factory's qualifier
 * and an application without Reactor. No server: creating a connection factory or a
 * {@link ReactiveValkeyCache} does not connect.
 */
class ReactiveWorkspaceCacheAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				WorkspaceCacheAutoConfiguration.class, ReactiveWorkspaceCacheAutoConfiguration.class));

	@Test
	void noopModeGivesAReactiveViewOfTheNoOpCacheBean() {
		this.contextRunner.withPropertyValues("workspace.cache.max-entry-size=1KB").run((context) -> {
			assertThat(context).hasSingleBean(ReactiveWorkspaceCache.class);
			InProcessReactiveWorkspaceCache reactive = context.getBean(InProcessReactiveWorkspaceCache.class);
			assertThat(reactive.getCache()).isSameAs(context.getBean(NoOpCache.class));
			assertThat(reactive.getMaxEntrySize()).isEqualTo(1024);
			assertThat(reactive.touch(UUID.randomUUID()).block()).isEqualTo(WriteOutcome.DISCARDED);
		});
	}

	@Test
	void memoryModeGivesAReactiveViewOfTheSameInMemoryCacheSoBothSeeTheSameWorkspaces() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=memory").run((context) -> {
			InProcessReactiveWorkspaceCache reactive = context.getBean(InProcessReactiveWorkspaceCache.class);
			InMemoryWorkspaceCache blocking = context.getBean(InMemoryWorkspaceCache.class);
			assertThat(reactive.getCache()).isSameAs(blocking);
			UUID id = UUID.randomUUID();
			blocking.cacheWorkspace(id, WorkspaceFixtures.snapshot(id));
			assertThat(reactive.getWorkspace(id).block()).isEqualTo(WorkspaceFixtures.snapshot(id));
		});
	}

	@Test
	void valkeyModeGivesAReactiveValkeyCacheConfiguredLikeTheBlockingOne() {
		this.contextRunner
			.withPropertyValues("workspace.cache.mode=valkey", "workspace.cache.key-prefix=app:",
					"workspace.cache.ttl=90s", "workspace.cache.max-entry-size=2KB", "workspace.cache.compression=zstd")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(WorkspaceCache.class);
				ReactiveValkeyCache reactive = context.getBean(ReactiveValkeyCache.class);
				assertThat(reactive.getKeyPrefix()).isEqualTo("app:");
				assertThat(reactive.getTtl()).isEqualTo(Duration.ofSeconds(90));
				assertThat(reactive.getMaxEntrySize()).isEqualTo(2048);
				assertThat(reactive.getContentCompression().algorithm()).isEqualTo(ContentCompression.Algorithm.ZSTD);
			});
	}

	@Test
	void valkeyModeUsesTheConnectionFactoryQualifiedForTheCache() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=valkey")
			.withUserConfiguration(TwoConnectionFactoriesConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(ReactiveValkeyCache.class);
			});
	}

	@Test
	void valkeyModeWithTwoUnqualifiedConnectionFactoriesFailsAsTheBlockingCacheDoes() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=valkey")
			.withUserConfiguration(TwoUnqualifiedConnectionFactoriesConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("2 RedisConnectionFactory beans"));
	}

	@Test
	void aReactiveCacheOfTheApplicationsOwnWins() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=memory")
			.withUserConfiguration(OwnReactiveCacheConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(ReactiveWorkspaceCache.class);
				assertThat(context.getBean(ReactiveWorkspaceCache.class))
					.isSameAs(context.getBean(OwnReactiveCacheConfiguration.class).cache);
			});
	}

	@Test
	void anApplicationWithItsOwnBlockingCacheInMemoryModeGetsNoReactiveCacheFromHere() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=memory")
			.withBean(WorkspaceCache.class, () -> new NoOpCache())
			.run((context) -> assertThat(context).hasSingleBean(WorkspaceCache.class)
				.doesNotHaveBean(ReactiveWorkspaceCache.class));
	}

	@Test
	void withoutReactorOnlyTheBlockingCacheIsConfigured() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Mono.class))
			.withPropertyValues("workspace.cache.mode=memory")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(WorkspaceCache.class)
				.doesNotHaveBean(ReactiveWorkspaceCache.class));
	}

	@Test
	void withoutAReactiveConnectionFactoryTheValkeyModeHasOnlyTheBlockingCache() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ReactiveRedisConnectionFactory.class))
			.withPropertyValues("workspace.cache.mode=valkey")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(WorkspaceCache.class)
				.doesNotHaveBean(ReactiveWorkspaceCache.class));
	}

	@Test
	void autoConfigurationIsRegisteredAndOrderedAfterTheBlockingOne() {
		assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).getCandidates())
			.contains(ReactiveWorkspaceCacheAutoConfiguration.class.getName());
		AutoConfiguration annotation = ReactiveWorkspaceCacheAutoConfiguration.class
			.getAnnotation(AutoConfiguration.class);
		assertThat(annotation).isNotNull();
		assertThat(annotation.after()).contains(WorkspaceCacheAutoConfiguration.class);
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoConnectionFactoriesConfiguration {

		@Bean
		LettuceConnectionFactory applicationConnectionFactory() {
			return TestConnectionFactories.local(6390);
		}

		@Bean
		@WorkspaceCacheConnectionFactory
		LettuceConnectionFactory cacheConnectionFactory() {
			return TestConnectionFactories.local(6391);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoUnqualifiedConnectionFactoriesConfiguration {

		@Bean
		LettuceConnectionFactory firstConnectionFactory() {
			return TestConnectionFactories.local(6390);
		}

		@Bean
		LettuceConnectionFactory secondConnectionFactory() {
			return TestConnectionFactories.local(6391);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnReactiveCacheConfiguration {

		final ReactiveWorkspaceCache cache = InProcessReactiveWorkspaceCache
			.of(new InMemoryWorkspaceCache(Duration.ofMinutes(1), 1024));

		@Bean
		ReactiveWorkspaceCache ownReactiveCache() {
			return this.cache;
		}

	}

}
