package dev.workspacecache.autoconfigure;

import dev.workspacecache.memory.InProcessWorkspaceChangeNotifications;

import dev.workspacecache.WorkspaceChangeNotifications;

import dev.workspacecache.WorkspaceChange;

import dev.workspacecache.ReactiveWorkspaceChangeNotifications;

import reactor.core.Disposable;

import java.util.concurrent.TimeUnit;

import java.util.concurrent.LinkedBlockingQueue;

import java.util.concurrent.BlockingQueue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.workspacecache.InProcessReactiveWorkspaceCache;
import dev.workspacecache.NoOpCache;
import dev.workspacecache.ReactiveWorkspaceCache;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.WriteOutcome;
import dev.workspacecache.actuate.WorkspaceCacheEndpoint;
import dev.workspacecache.actuate.WorkspaceCacheHealthIndicator;
import dev.workspacecache.memory.InMemoryWorkspaceCache;
import dev.workspacecache.valkey.ContentCompression;
import dev.workspacecache.testsupport.FreePorts;
import dev.workspacecache.valkey.ReactiveValkeyCache;
import dev.workspacecache.valkey.ServerAvailability;
import dev.workspacecache.valkey.ValkeyCache;
import io.micrometer.observation.ObservationRegistry;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisSentinelConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ReactiveWorkspaceCacheAutoConfiguration}: the reactive cache of every
 * mode beside the blocking one, what it shares with the blocking one (server
 * availability, connection factory, settings), its observation registry and its close,
 * the user's own beans, the connection factory's qualifier and an application without
 * Reactor. No server: creating a connection factory or a {@link ReactiveValkeyCache} does
 * not connect.
 */
class ReactiveWorkspaceCacheAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				WorkspaceCacheAutoConfiguration.class, ReactiveWorkspaceCacheAutoConfiguration.class));

	@Test
	void memoryModeGivesReactiveNotificationsOfTheSameNotificationsBean() {
		this.contextRunner
			.withPropertyValues("workspace.cache.mode=memory", "workspace.cache.notifications.instance-id=pod-7")
			.run((context) -> {
				ReactiveWorkspaceChangeNotifications reactive = context
					.getBean(ReactiveWorkspaceChangeNotifications.class);
				WorkspaceChangeNotifications blocking = context.getBean(WorkspaceChangeNotifications.class);
				assertThat(reactive.getInstanceId()).isEqualTo("pod-7");
				UUID id = UUID.randomUUID();
				BlockingQueue<WorkspaceChange> changes = new LinkedBlockingQueue<>();
				Disposable subscription = reactive.changes().subscribe(changes::add);
				try {
					reactive.watch(id).block(Duration.ofSeconds(5));
					assertThat(blocking.isWatching(id)).isTrue();
					context.getBean(WorkspaceCache.class).cacheWorkspace(id, WorkspaceFixtures.snapshot(id));
					WorkspaceChange change = changes.poll(5, TimeUnit.SECONDS);
					assertThat(change).isNotNull();
					assertThat(change.workspaceId()).isEqualTo(id);
					assertThat(change.local()).isTrue();
				}
				finally {
					subscription.dispose();
				}
			});
	}

	@Test
	void valkeyModeGivesReactiveNotificationsBesideTheValkeyOnes() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=valkey").run((context) -> {
			assertThat(context).hasSingleBean(ReactiveWorkspaceChangeNotifications.class);
			assertThat(context.getBean(ReactiveWorkspaceChangeNotifications.class).getInstanceId())
				.isEqualTo(context.getBean(WorkspaceChangeNotifications.class).getInstanceId());
		});
	}

	@Test
	void noReactiveNotificationsWithoutNotifications() {
		this.contextRunner
			.withPropertyValues("workspace.cache.mode=memory", "workspace.cache.notifications.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ReactiveWorkspaceChangeNotifications.class));
	}

	@Test
	void reactiveNotificationsOfTheApplicationsOwnWin() {
		ReactiveWorkspaceChangeNotifications own = ReactiveWorkspaceChangeNotifications
			.of(new InProcessWorkspaceChangeNotifications("own"));
		this.contextRunner.withPropertyValues("workspace.cache.mode=memory")
			.withBean(ReactiveWorkspaceChangeNotifications.class, () -> own)
			.run((context) -> assertThat(context.getBean(ReactiveWorkspaceChangeNotifications.class)).isSameAs(own));
	}

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
	void valkeyModeGivesTheReactiveSideOfTheBlockingCacheFailingFastWithTheSameServerAvailability() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=valkey").run((context) -> {
			assertThat(context).hasNotFailed();
			ServerAvailability availability = context.getBean(ServerAvailability.class);
			ValkeyCache blocking = context.getBean(ValkeyCache.class);
			ReactiveValkeyCache reactive = context.getBean(ReactiveValkeyCache.class);
			assertThat(blocking.getServerAvailability()).containsSame(availability);
			assertThat(reactive.getServerAvailability()).containsSame(availability);
		});
	}

	@Test
	void withFailFastOffNeitherCacheFailsFast() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=valkey", "workspace.cache.fail-fast.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(ServerAvailability.class);
				assertThat(context.getBean(ReactiveValkeyCache.class).getServerAvailability()).isEmpty();
			});
	}

	@Test
	void valkeyModeObservesTheReactiveCacheThroughTheApplicationsRegistry() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=valkey")
			.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.run((context) -> {
				ObservationRegistry registry = context.getBean(ObservationRegistry.class);
				assertThat(context.getBean(ValkeyCache.class).getObservationRegistry()).isSameAs(registry);
				assertThat(context.getBean(ReactiveValkeyCache.class).getObservationRegistry()).isSameAs(registry);
			});
	}

	@Test
	void valkeyModeWithoutAnObservationRegistryLeavesTheReactiveCacheUnobserved() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=valkey")
			.run((context) -> assertThat(context.getBean(ReactiveValkeyCache.class).getObservationRegistry().isNoop())
				.isTrue());
	}

	@Test
	void theReactiveValkeyCacheIsClosedWithTheContext() {
		// Nothing listens on the port: a call would fail to connect, but a closed cache
		// refuses it before it tries.
		this.contextRunner
			.withPropertyValues("workspace.cache.mode=valkey", "spring.data.redis.port=" + FreePorts.any())
			.run((context) -> {
				ReactiveValkeyCache reactive = context.getBean(ReactiveValkeyCache.class);
				context.close();
				assertThatExceptionOfType(WorkspaceCacheException.class)
					.isThrownBy(() -> reactive.getWorkspace(UUID.randomUUID()).block(Duration.ofSeconds(5)))
					.withMessageEndingWith(": the cache is closed")
					.withNoCause();
			});
	}

	@Test
	void anApplicationsOwnValkeyCacheGetsItsReactiveSideWithItsSettingsNotTheProperties() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=valkey", "workspace.cache.key-prefix=properties:")
			.withUserConfiguration(OwnValkeyCacheConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(WorkspaceCache.class);
				ReactiveValkeyCache reactive = context.getBean(ReactiveValkeyCache.class);
				assertThat(reactive.getKeyPrefix()).isEqualTo("own:");
				assertThat(reactive.getTtl()).isEqualTo(Duration.ofMinutes(7));
				assertThat(reactive.getServerAvailability())
					.containsSame(context.getBean(ValkeyCache.class).getServerAvailability().orElseThrow());
			});
	}

	@Test
	void anApplicationsOwnWorkspaceCacheOfAnotherKindInValkeyModeGetsNoReactiveCacheFromHere() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=valkey")
			.withBean(WorkspaceCache.class, () -> new InMemoryWorkspaceCache(Duration.ofMinutes(1), 1024))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(WorkspaceCache.class)
				.doesNotHaveBean(ReactiveWorkspaceCache.class));
	}

	@Test
	void anApplicationWhoseConnectionFactoryHasNoReactiveApiGetsNoReactiveCache() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=valkey")
			.withUserConfiguration(BlockingOnlyConnectionFactoryConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ValkeyCache.class)
				.doesNotHaveBean(ReactiveWorkspaceCache.class));
	}

	@Test
	void aValkeyCacheOverAConnectionFactoryWithoutAReactiveApiBesideAReactiveOneStopsStartupSayingWhy() {
		// A reactive cache over the other factory could be another server. (Change
		// notifications need Lettuce too, and would fail first.)
		this.contextRunner
			.withPropertyValues("workspace.cache.mode=valkey", "workspace.cache.notifications.enabled=false")
			.withUserConfiguration(BlockingOnlyConnectionFactoryConfiguration.class,
					ApplicationConnectionFactoryConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(WorkspaceCacheConfigurationException.class)
				.hasMessageContaining("BlockingOnlyConnectionFactory, which has no reactive API"));
	}

	@Test
	void anApplicationThatOnlyCallsTheReactiveCacheHasHealthAndTheEndpointOfTheCircuitItShares() {
		// Nothing listens on the port: the probe that an open circuit starts finds no
		// server, so the circuit stays open.
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(WorkspaceCacheHealthContributorAutoConfiguration.class,
					WorkspaceCacheEndpointAutoConfiguration.class))
			.withPropertyValues("workspace.cache.mode=valkey", "spring.data.redis.port=" + FreePorts.any(),
					"management.endpoints.web.exposure.include=health,workspacecache")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(ReactiveValkeyCache.class)
					.hasSingleBean(WorkspaceCacheHealthIndicator.class)
					.hasSingleBean(WorkspaceCacheEndpoint.class);
				WorkspaceCacheEndpoint endpoint = context.getBean(WorkspaceCacheEndpoint.class);
				assertThat(endpoint.cache().type()).isEqualTo(ValkeyCache.class.getName());
				assertThat(endpoint.cache().circuitBreaker()).isEqualTo(Map.of("state", "closed"));
				// As when reactive calls find the server gone: the one circuit opens.
				context.getBean(ReactiveValkeyCache.class)
					.getServerAvailability()
					.orElseThrow()
					.getCircuitBreaker()
					.transitionToOpenState();
				Health health = context.getBean(WorkspaceCacheHealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).extractingByKey("circuitBreaker")
					.asInstanceOf(InstanceOfAssertFactories.MAP)
					.containsEntry("state", "open");
				assertThat(endpoint.cache().circuitBreaker()).asInstanceOf(InstanceOfAssertFactories.MAP)
					.containsEntry("state", "open");
			});
	}

	@Test
	void valkeyModeUsesTheConnectionFactoryQualifiedForTheCache() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=valkey")
			.withUserConfiguration(TwoConnectionFactoriesConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(ReactiveValkeyCache.class);
				assertThat(context.getBean(ValkeyCache.class).getConnectionFactory())
					.isSameAs(context.getBean("cacheConnectionFactory"));
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
	static class OwnValkeyCacheConfiguration {

		@Bean
		ValkeyCache ownValkeyCache(LettuceConnectionFactory connectionFactory) {
			return new ValkeyCache(connectionFactory, "own:", Duration.ofMinutes(7), 1024,
					new ServerAvailability(1, Duration.ofSeconds(1)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BlockingOnlyConnectionFactoryConfiguration {

		@Bean
		@WorkspaceCacheConnectionFactory
		RedisConnectionFactory cacheConnectionFactory() {
			return new BlockingOnlyConnectionFactory(TestConnectionFactories.local(6390));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ApplicationConnectionFactoryConfiguration {

		@Bean
		LettuceConnectionFactory applicationConnectionFactory() {
			return TestConnectionFactories.local(6390);
		}

	}

	/**
	 * A connection factory with the blocking API only, as Jedis's is: Lettuce's, seen
	 * through {@link RedisConnectionFactory} alone.
	 */
	static class BlockingOnlyConnectionFactory implements RedisConnectionFactory {

		private final RedisConnectionFactory lettuce;

		BlockingOnlyConnectionFactory(RedisConnectionFactory lettuce) {
			this.lettuce = lettuce;
		}

		@Override
		public boolean getConvertPipelineAndTxResults() {
			return this.lettuce.getConvertPipelineAndTxResults();
		}

		@Override
		public RedisConnection getConnection() {
			return this.lettuce.getConnection();
		}

		@Override
		public RedisClusterConnection getClusterConnection() {
			return this.lettuce.getClusterConnection();
		}

		@Override
		public RedisSentinelConnection getSentinelConnection() {
			return this.lettuce.getSentinelConnection();
		}

		@Override
		public DataAccessException translateExceptionIfPossible(RuntimeException ex) {
			return this.lettuce.translateExceptionIfPossible(ex);
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
