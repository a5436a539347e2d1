package dev.workspacecache.autoconfigure;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClusterTopologyRefreshCustomizer}, against the options that the Spring
 * Boot version in use builds from its properties. No server: building a connection
 * factory does not connect.
 */
class ClusterTopologyRefreshCustomizerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DataRedisAutoConfiguration.class, WorkspaceCacheAutoConfiguration.class))
		.withPropertyValues("workspace.cache.mode=valkey", "spring.data.redis.cluster.nodes=127.0.0.1:1");

	@Test
	void aClusterBuilderWithoutRefreshGetsAdaptiveAndPeriodicRefresh() {
		ClusterClientOptions.Builder builder = ClusterClientOptions.builder();
		new ClusterTopologyRefreshCustomizer(new MockEnvironment()).customize(builder);
		assertStarterRefresh(builder.build().getTopologyRefreshOptions());
	}

	@Test
	void refreshAlreadyOnIsLeftAsItIs() {
		ClusterTopologyRefreshOptions own = ClusterTopologyRefreshOptions.builder()
			.enablePeriodicRefresh(Duration.ofMinutes(3))
			.build();
		ClusterClientOptions.Builder builder = ClusterClientOptions.builder().topologyRefreshOptions(own);
		new ClusterTopologyRefreshCustomizer(new MockEnvironment()).customize(builder);
		ClusterTopologyRefreshOptions refresh = builder.build().getTopologyRefreshOptions();
		assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofMinutes(3));
		assertThat(refresh.getAdaptiveRefreshTriggers()).isEmpty();
	}

	@Test
	void adaptiveRefreshAlreadyOnIsLeftAsItIs() {
		ClusterTopologyRefreshOptions own = ClusterTopologyRefreshOptions.builder()
			.enableAdaptiveRefreshTrigger(RefreshTrigger.MOVED_REDIRECT)
			.build();
		ClusterClientOptions.Builder builder = ClusterClientOptions.builder().topologyRefreshOptions(own);
		new ClusterTopologyRefreshCustomizer(new MockEnvironment()).customize(builder);
		ClusterTopologyRefreshOptions refresh = builder.build().getTopologyRefreshOptions();
		assertThat(refresh.getAdaptiveRefreshTriggers()).containsExactly(RefreshTrigger.MOVED_REDIRECT);
		assertThat(refresh.isPeriodicRefreshEnabled()).isFalse();
	}

	@Test
	void aStandaloneBuilderIsLeftAlone() {
		ClientOptions.Builder builder = ClientOptions.builder();
		new ClusterTopologyRefreshCustomizer(new MockEnvironment()).customize(builder);
		assertThat(builder.build()).isNotInstanceOf(ClusterClientOptions.class);
	}

	@Test
	void bootsClusterConnectionGetsTheStarterRefresh() {
		this.contextRunner.run((context) -> assertStarterRefresh(refreshOptions(context)));
	}

	@Test
	void bootsRefreshPropertiesWin() {
		this.contextRunner.withPropertyValues("spring.data.redis.lettuce.cluster.refresh.period=42s").run((context) -> {
			ClusterTopologyRefreshOptions refresh = refreshOptions(context);
			assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(42));
			assertThat(refresh.getAdaptiveRefreshTriggers()).isEmpty();
		});
	}

	@Test
	void anExplicitAdaptiveFalseTurnsTheStarterRefreshOff() {
		this.contextRunner.withPropertyValues("spring.data.redis.lettuce.cluster.refresh.adaptive=false")
			.run((context) -> {
				ClusterTopologyRefreshOptions refresh = refreshOptions(context);
				assertThat(refresh.getAdaptiveRefreshTriggers()).isEmpty();
				assertThat(refresh.isPeriodicRefreshEnabled()).isFalse();
			});
	}

	@Test
	void aBeanOfTheSameNameReplacesTheStarterCustomizer() {
		this.contextRunner.withUserConfiguration(OwnCustomizerConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean(ClusterTopologyRefreshCustomizer.class);
			assertThat(refreshOptions(context).isPeriodicRefreshEnabled()).isFalse();
		});
	}

	private static void assertStarterRefresh(ClusterTopologyRefreshOptions refresh) {
		assertThat(refresh.getAdaptiveRefreshTriggers()).containsExactlyInAnyOrder(RefreshTrigger.values());
		assertThat(refresh.getAdaptiveRefreshTimeout())
			.isEqualTo(ClusterTopologyRefreshCustomizer.ADAPTIVE_REFRESH_TIMEOUT);
		assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
		assertThat(refresh.getRefreshPeriod()).isEqualTo(ClusterTopologyRefreshCustomizer.REFRESH_PERIOD);
	}

	private static ClusterTopologyRefreshOptions refreshOptions(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		ClientOptions options = context.getBean(LettuceConnectionFactory.class)
			.getClientConfiguration()
			.getClientOptions()
			.orElseThrow();
		return ((ClusterClientOptions) options).getTopologyRefreshOptions();
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnCustomizerConfiguration {

		@Bean
		LettuceClientOptionsBuilderCustomizer workspaceCacheClusterTopologyRefreshCustomizer() {
			return (builder) -> {
			};
		}

	}

}
