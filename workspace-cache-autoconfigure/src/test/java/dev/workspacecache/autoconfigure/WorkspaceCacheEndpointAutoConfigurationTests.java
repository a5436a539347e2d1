package dev.workspacecache.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.actuate.WorkspaceCacheEndpoint;
import dev.workspacecache.actuate.WorkspaceCacheEndpoint.CacheDescriptor;
import dev.workspacecache.actuate.WorkspaceCacheEndpoint.WorkspaceDescriptor;
import dev.workspacecache.valkey.ValkeyCache;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link WorkspaceCacheEndpointAutoConfiguration} and the operations of
 * {@link WorkspaceCacheEndpoint}, without a server.
 */
class WorkspaceCacheEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				WorkspaceCacheAutoConfiguration.class, WorkspaceCacheEndpointAutoConfiguration.class));

	@Test
	void notAvailableUntilExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(WorkspaceCacheEndpoint.class));
	}

	@Test
	void availableWhenExposedOverTheWeb() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=health,workspacecache")
			.run((context) -> assertThat(context).hasSingleBean(WorkspaceCacheEndpoint.class));
	}

	@Test
	void availableWhenExposedOverJmx() {
		this.contextRunner
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=workspacecache")
			.run((context) -> assertThat(context).hasSingleBean(WorkspaceCacheEndpoint.class));
	}

	@Test
	void notAvailableWhenItsAccessIsNone() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=*",
					"management.endpoint.workspacecache.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(WorkspaceCacheEndpoint.class));
	}

	@Test
	void notAvailableWhenExcluded() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=*",
					"management.endpoints.web.exposure.exclude=workspacecache")
			.run((context) -> assertThat(context).doesNotHaveBean(WorkspaceCacheEndpoint.class));
	}

	@Test
	void noopModeShowsItsSettingsAndDescribesNothing() {
		exposed().withPropertyValues("workspace.cache.max-entry-size=1KB").run((context) -> {
			WorkspaceCacheEndpoint endpoint = context.getBean(WorkspaceCacheEndpoint.class);
			assertThat(endpoint.cache()).isEqualTo(
					new CacheDescriptor("noop", "dev.workspacecache.NoOpCache", null, null, 1024, Map.of(), null));
			UUID id = UUID.randomUUID();
			context.getBean(WorkspaceCache.class).cacheWorkspace(id, WorkspaceFixtures.snapshot(id));
			assertThat(endpoint.workspace(id.toString())).isNull();
		});
	}

	@Test
	void memoryModeDescribesAWorkspaceWithoutItsContentAndEvictsIt() {
		exposed().withPropertyValues("workspace.cache.mode=memory", "workspace.cache.ttl=30m").run((context) -> {
			WorkspaceCacheEndpoint endpoint = context.getBean(WorkspaceCacheEndpoint.class);
			CacheDescriptor descriptor = endpoint.cache();
			assertThat(descriptor.mode()).isEqualTo("memory");
			assertThat(descriptor.timeToLive()).isEqualTo("PT30M");
			assertThat(descriptor.keyPrefix()).isNull();
			UUID id = UUID.randomUUID();
			context.getBean(WorkspaceCache.class)
				.cacheAll(id,
						CachedWorkspace.of(WorkspaceFixtures.snapshot(id), Map.of("a.txt",
								WorkspaceFixtures.added("hello"), "gone.txt", WorkspaceFixtures.deleted()),
								new byte[] { 1, 2, 3 }));

			WorkspaceDescriptor workspace = endpoint.workspace(id.toString());
			assertThat(workspace).isNotNull();
			assertThat(workspace.id()).isEqualTo(id);
			assertThat(workspace.snapshot()).isTrue();
			assertThat(workspace.graph()).isTrue();
			assertThat(workspace.files()).isEqualTo(2);
			assertThat(workspace.bytes()).isEqualTo(5 + 3);
			assertThat(Duration.parse(workspace.timeToLive())).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(30));

			endpoint.evict(id.toString());
			assertThat(endpoint.workspace(id.toString())).isNull();
			assertThat(context.getBean(WorkspaceCache.class).recover(id)).isEmpty();
		});
	}

	@Test
	void valkeyModeShowsKeyPrefixTtlAndTheUnreadableValueCount() {
		exposed()
			.withPropertyValues("workspace.cache.mode=valkey", "workspace.cache.key-prefix=app:",
					"workspace.cache.ttl=2h")
			.run((context) -> {
				CacheDescriptor descriptor = context.getBean(WorkspaceCacheEndpoint.class).cache();
				assertThat(descriptor.mode()).isEqualTo("valkey");
				assertThat(descriptor.type()).isEqualTo(ValkeyCache.class.getName());
				assertThat(descriptor.keyPrefix()).isEqualTo("app:");
				assertThat(descriptor.timeToLive()).isEqualTo("PT2H");
				assertThat(descriptor.counters()).containsExactlyEntriesOf(Map.of("unreadableValues", 0L));
				assertThat(descriptor.circuitBreaker()).isEqualTo(Map.of("state", "closed"));
			});
	}

	@Test
	void anIdThatIsNotAUuidIsAnInvalidRequest() {
		exposed().run((context) -> {
			WorkspaceCacheEndpoint endpoint = context.getBean(WorkspaceCacheEndpoint.class);
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.workspace("not-a-uuid"))
				.satisfies((ex) -> assertThat(ex.getReason()).contains("'not-a-uuid'", "UUID"));
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.evict("not-a-uuid"));
		});
	}

	private ApplicationContextRunner exposed() {
		return this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=workspacecache");
	}

}
