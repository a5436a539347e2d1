package dev.workspacecache.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.workspacecache.NoOpCache;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceChange;
import dev.workspacecache.WorkspaceChangeListener;
import dev.workspacecache.WorkspaceChangeNotifications;
import dev.workspacecache.WorkspaceChangedEvent;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.memory.InMemoryWorkspaceCache;
import dev.workspacecache.memory.InProcessWorkspaceChangeNotifications;
import dev.workspacecache.valkey.ValkeyCache;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static dev.workspacecache.WorkspaceFixtures.modified;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WorkspaceCacheAutoConfiguration}: the cache of every mode, the user's
 * own bean, the binding of the mode and the registration of the auto-configuration. No
 * server: creating a connection factory or a {@link ValkeyCache} does not connect.
 */
class WorkspaceCacheAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DataRedisAutoConfiguration.class, WorkspaceCacheAutoConfiguration.class));

	@Test
	void withoutModePropertyTheCacheIsASingleNoOpCache() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(WorkspaceCache.class);
			assertThat(context.getBean(WorkspaceCache.class)).isExactlyInstanceOf(NoOpCache.class);
			assertThat(context).doesNotHaveBean(ValkeyCache.class).doesNotHaveBean(InMemoryWorkspaceCache.class);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "noop", "NOOP", "NoOp" })
	void noopModeInAnyCaseGivesNoOpCache(String mode) {
		this.contextRunner.withPropertyValues("workspace.cache.mode=" + mode).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(WorkspaceCache.class);
			assertThat(context.getBean(WorkspaceCache.class)).isExactlyInstanceOf(NoOpCache.class);
			assertThat(context.getBean(WorkspaceCacheProperties.class).getMode())
				.isEqualTo(WorkspaceCacheProperties.Mode.NOOP);
		});
	}

	@Test
	void noopModeEnforcesTheMaximumEntrySizeLikeTheSharedCaches() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=noop", "workspace.cache.max-entry-size=1KB")
			.run((context) -> {
				NoOpCache cache = context.getBean(NoOpCache.class);
				assertThat(cache.getMaxEntrySize()).isEqualTo(1024);
				assertThatIllegalArgumentException()
					.isThrownBy(() -> cache.cacheGraph(UUID.randomUUID(), new byte[1025]));
			});
	}

	@Test
	void noopModeNeedsNoRedisAtAll() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.withPropertyValues("workspace.cache.mode=noop")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).getBean(WorkspaceCache.class).isExactlyInstanceOf(NoOpCache.class);
			});
	}

	/**
	 * Spring Boot binds enum values leniently ('no-op', 'No_Op' and '' all bind), while
	 * {@code @ConditionalOnProperty(havingValue = ...)} compares the raw text ignoring
	 * case only. A value the binder accepts must therefore either select its mode or fail
	 * startup with our analysis; it must never leave the application without a
	 * WorkspaceCache bean.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "no-op", "Val_Key", "" })
	void modeValueAcceptedByTheBinderNeverLeavesTheApplicationWithoutACache(String mode) {
		this.contextRunner.withPropertyValues("workspace.cache.mode=" + mode).run((context) -> {
			if (context.getStartupFailure() != null) {
				FailureAnalysis analysis = FailureAnalyses.analyze(context);
				assertThat(analysis).as("analysis of the startup failure").isNotNull();
				assertThat(analysis.getAction()).contains("workspace.cache.mode");
			}
			else {
				assertThat(context).as("mode '%s'", mode).hasSingleBean(WorkspaceCache.class);
			}
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "MEMORY" })
	void memoryModeGivesInMemoryCacheHonouringMaxEntrySize(String mode) {
		this.contextRunner.withPropertyValues("workspace.cache.mode=" + mode, "workspace.cache.max-entry-size=1KB")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(WorkspaceCache.class);
				WorkspaceCache cache = context.getBean(WorkspaceCache.class);
				assertThat(cache).isExactlyInstanceOf(InMemoryWorkspaceCache.class);
				assertThat(((InMemoryWorkspaceCache) cache).getMaxEntrySize()).isEqualTo(1024);
				UUID id = UUID.randomUUID();
				assertThatIllegalArgumentException()
					.isThrownBy(() -> cache.cacheFile(id, "big.bin", modified(new byte[1025])))
					.withMessageContaining("1025");
				assertThat(cache.listFiles(id)).isEmpty();
				cache.cacheFile(id, "fits.bin", modified(new byte[1024]));
				assertThat(cache.getFile(id, "fits.bin")).contains(modified(new byte[1024]));
				assertThatIllegalArgumentException().isThrownBy(() -> cache.cacheGraph(id, new byte[1025]));
				assertThat(cache.getGraph(id)).isEmpty();
			});
	}

	@Test
	void memoryModeHonoursTtl() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=memory", "workspace.cache.ttl=1s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				WorkspaceCache cache = context.getBean(WorkspaceCache.class);
				UUID id = UUID.randomUUID();
				cache.cacheWorkspace(id, WorkspaceFixtures.snapshot(id));
				cache.cacheFile(id, "a.txt", WorkspaceFixtures.added("a"));
				assertThat(cache.getWorkspace(id)).isPresent();
				await().atMost(Duration.ofSeconds(5))
					.pollInterval(Duration.ofMillis(50))
					.until(() -> cache.getWorkspace(id).isEmpty());
				assertThat(cache.getFile(id, "a.txt")).isEmpty();
			});
	}

	@Test
	void memoryModeUsesOneHourTtlAndSixteenMegabytesByDefault() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=memory").run((context) -> {
			InMemoryWorkspaceCache cache = context.getBean(InMemoryWorkspaceCache.class);
			assertThat(cache.getMaxEntrySize()).isEqualTo(16L * 1024 * 1024);
			assertThat(cache.toString()).contains("ttl=PT1H");
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "noop", "memory", "valkey" })
	void usersOwnCacheWinsInEveryMode(String mode) {
		this.contextRunner.withUserConfiguration(UserCacheConfiguration.class)
			.withPropertyValues("workspace.cache.mode=" + mode)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(WorkspaceCache.class);
				assertThat(context.getBean(WorkspaceCache.class)).isSameAs(context.getBean("myWorkspaceCache"))
					.isExactlyInstanceOf(UserCache.class);
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "noop", "memory", "valkey" })
	void usersOwnCacheNamedLikeTheAutoConfiguredOneWins(String mode) {
		this.contextRunner.withUserConfiguration(SameNameUserCacheConfiguration.class)
			.withPropertyValues("workspace.cache.mode=" + mode)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(WorkspaceCache.class);
				assertThat(context.getBean("workspaceCache")).isExactlyInstanceOf(UserCache.class);
			});
	}

	@Test
	void usersOwnCacheWinsEvenWithoutRedisOnTheClasspath() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.withUserConfiguration(UserCacheConfiguration.class)
			.withPropertyValues("workspace.cache.mode=valkey")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(WorkspaceCache.class);
				assertThat(context.getBean(WorkspaceCache.class)).isExactlyInstanceOf(UserCache.class);
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "noop", "memory" })
	void everyModeWithoutAServerHasInProcessNotificationsAndMemoryModeAnnouncesToListenerBeansAndEvents(String mode) {
		this.contextRunner.withPropertyValues("workspace.cache.mode=" + mode)
			.withUserConfiguration(RecordingListenerConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(InProcessWorkspaceChangeNotifications.class);
				WorkspaceChangeNotifications notifications = context.getBean(WorkspaceChangeNotifications.class);
				UUID id = UUID.randomUUID();
				notifications.watch(id);
				WorkspaceCache cache = context.getBean(WorkspaceCache.class);
				cache.cacheFile(id, "a.txt", modified("a"));
				RecordingListenerConfiguration recorded = context.getBean(RecordingListenerConfiguration.class);
				if (mode.equals("memory")) {
					await().atMost(Duration.ofSeconds(5)).until(() -> recorded.events.size() == 1);
					assertThat(recorded.changes).singleElement().satisfies((change) -> {
						assertThat(change.workspaceId()).isEqualTo(id);
						assertThat(change.paths()).containsExactly("a.txt");
						assertThat(change.local()).isTrue();
						assertThat(change.origin()).isEqualTo(notifications.getInstanceId());
					});
					assertThat(recorded.events.get(0).getChange()).isEqualTo(recorded.changes.get(0));
				}
				else {
					assertThat(recorded.changes).as("noop stores nothing, so nothing changes").isEmpty();
				}
			});
	}

	@Test
	void notificationsCanBeSwitchedOffAndTheInstanceIdSet() {
		this.contextRunner
			.withPropertyValues("workspace.cache.mode=memory", "workspace.cache.notifications.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(WorkspaceCache.class)
				.doesNotHaveBean(WorkspaceChangeNotifications.class));
		this.contextRunner
			.withPropertyValues("workspace.cache.mode=memory", "workspace.cache.notifications.instance-id=pod-7")
			.run((context) -> assertThat(context.getBean(WorkspaceChangeNotifications.class).getInstanceId())
				.isEqualTo("pod-7"));
	}

	@Test
	void usersOwnNotificationsWin() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=memory")
			.withBean("myNotifications", WorkspaceChangeNotifications.class,
					() -> new InProcessWorkspaceChangeNotifications("mine"))
			.run((context) -> assertThat(context.getBean(WorkspaceChangeNotifications.class).getInstanceId())
				.isEqualTo("mine"));
	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingListenerConfiguration {

		final List<WorkspaceChange> changes = new CopyOnWriteArrayList<>();

		final List<WorkspaceChangedEvent> events = new CopyOnWriteArrayList<>();

		@Bean
		WorkspaceChangeListener recordingListener() {
			return this.changes::add;
		}

		@EventListener
		void onChange(WorkspaceChangedEvent event) {
			this.events.add(event);
		}

	}

	@Test
	void autoConfigurationIsRegisteredInImportsFile() {
		List<String> candidates = ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader())
			.getCandidates();
		assertThat(candidates).contains(WorkspaceCacheAutoConfiguration.class.getName());
	}

	@Test
	void autoConfigurationIsOrderedAfterBootsRedisAutoConfiguration() {
		AutoConfiguration annotation = WorkspaceCacheAutoConfiguration.class.getAnnotation(AutoConfiguration.class);
		assertThat(annotation).isNotNull();
		List<String> after = new ArrayList<>(List.of(annotation.afterName()));
		for (Class<?> type : annotation.after()) {
			after.add(type.getName());
		}
		assertThat(after).contains(DataRedisAutoConfiguration.class.getName());
	}

	static class UserCache extends NoOpCache {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserCacheConfiguration {

		@Bean
		UserCache myWorkspaceCache() {
			return new UserCache();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SameNameUserCacheConfiguration {

		@Bean
		WorkspaceCache workspaceCache() {
			return new UserCache();
		}

	}

}
