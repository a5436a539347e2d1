package dev.workspacecache.autoconfigure;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.core.env.Environment;

/**
 * Turns on Lettuce's cluster topology refresh (adaptive triggers and a periodic refresh)
 * for Spring Boot's auto-configured Redis Cluster connection when nothing else has.
 * Lettuce leaves refresh off by default, and then does not follow a failover or a
 * reshard: commands keep going to a dead or former master until the application restarts.
 * <p>
 * Whatever the application configured wins. This customizer looks at the options being
 * built, which Spring Boot fills from its properties before it calls customizers: when
 * periodic or adaptive refresh is already on, whichever property or customizer turned it
 * on, it leaves them alone. That does not depend on Boot's property names, which change
 * between versions (4.1 removed
 * {@code spring.data.redis.lettuce.cluster.refresh.adaptive}). An explicit
 * {@code adaptive=false} leaves no trace in the options, so where Boot still has that
 * property (4.0), setting it or {@code .period} at all also turns this customizer off; so
 * does defining a bean named {@code workspaceCacheClusterTopologyRefreshCustomizer} of
 * your own.
 */
class ClusterTopologyRefreshCustomizer implements LettuceClientOptionsBuilderCustomizer {

	static final Duration REFRESH_PERIOD = Duration.ofSeconds(10);

	/**
	 * Least time between two adaptive refreshes. Lettuce's default, 30 s, spends the one
	 * refresh allowed on the first reconnect attempts to a killed master, before its
	 * replica is promoted, and then ignores the later attempts' triggers: the connection
	 * waited for the periodic refresh, up to {@link #REFRESH_PERIOD} after the promotion.
	 */
	static final Duration ADAPTIVE_REFRESH_TIMEOUT = Duration.ofSeconds(2);

	private static final String REFRESH_PROPERTIES = "spring.data.redis.lettuce.cluster.refresh";

	private static final Log logger = LogFactory.getLog(ClusterTopologyRefreshCustomizer.class);

	private final boolean turnedOffByProperties;

	ClusterTopologyRefreshCustomizer(Environment environment) {
		// Bound leniently: a Boot version without these properties simply has them
		// unbound.
		Binder binder = Binder.get(environment);
		this.turnedOffByProperties = binder.bind(REFRESH_PROPERTIES + ".adaptive", Boolean.class).isBound()
				|| binder.bind(REFRESH_PROPERTIES + ".period", Duration.class).isBound();
	}

	@Override
	public void customize(ClientOptions.Builder builder) {
		if (this.turnedOffByProperties || !(builder instanceof ClusterClientOptions.Builder clusterBuilder)) {
			return;
		}
		ClusterTopologyRefreshOptions configured = clusterBuilder.build().getTopologyRefreshOptions();
		if (configured.isPeriodicRefreshEnabled() || !configured.getAdaptiveRefreshTriggers().isEmpty()) {
			return;
		}
		clusterBuilder.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
			.dynamicRefreshSources(configured.useDynamicRefreshSources())
			.enableAllAdaptiveRefreshTriggers()
			.adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_TIMEOUT)
			.enablePeriodicRefresh(REFRESH_PERIOD)
			.build());
		logger.info("Workspace cache: enabled Redis Cluster topology refresh (adaptive, and every "
				+ REFRESH_PERIOD.toSeconds() + "s) so that the connection follows failovers and resharding; "
				+ "configure " + REFRESH_PROPERTIES + ".* to choose your own");
	}

}
