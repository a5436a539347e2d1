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
 * Turns on Lettuce's cluster topology refresh (adaptive triggers and a periodic refresh) for
 * Spring Boot's auto-configured Redis Cluster connection when the application has not configured
 * it. Lettuce leaves refresh off by default, and then does not follow a failover or a reshard:
 * commands keep going to a dead or former master until the application restarts.
 * <p>
 * The application's own settings win: as soon as
 * {@code spring.data.redis.lettuce.cluster.refresh.adaptive} or
 * {@code spring.data.redis.lettuce.cluster.refresh.period} is set, this customizer does nothing.
 */
class ClusterTopologyRefreshCustomizer implements LettuceClientOptionsBuilderCustomizer {

	static final Duration REFRESH_PERIOD = Duration.ofSeconds(10);

	/**
	 * Least time between two adaptive refreshes. Lettuce's default, 30 s, spends the one refresh
	 * allowed on the first reconnect attempts to a killed master, before its replica is promoted,
	 * and then ignores the later attempts' triggers: the connection waited for the periodic
	 * refresh, up to {@link #REFRESH_PERIOD} after the promotion.
	 */
	static final Duration ADAPTIVE_REFRESH_TIMEOUT = Duration.ofSeconds(2);

	private static final String REFRESH_PROPERTIES = "spring.data.redis.lettuce.cluster.refresh";

	private static final Log logger = LogFactory.getLog(ClusterTopologyRefreshCustomizer.class);

	private final boolean configuredByApplication;

	private final boolean dynamicRefreshSources;

	ClusterTopologyRefreshCustomizer(Environment environment) {
		Binder binder = Binder.get(environment);
		this.configuredByApplication = binder.bind(REFRESH_PROPERTIES + ".adaptive", Boolean.class).isBound()
				|| binder.bind(REFRESH_PROPERTIES + ".period", Duration.class).isBound();
		this.dynamicRefreshSources = binder.bind(REFRESH_PROPERTIES + ".dynamic-refresh-sources", Boolean.class)
			.orElse(true);
	}

	@Override
	public void customize(ClientOptions.Builder builder) {
		if (this.configuredByApplication || !(builder instanceof ClusterClientOptions.Builder clusterBuilder)) {
			return;
		}
		clusterBuilder.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
			.dynamicRefreshSources(this.dynamicRefreshSources)
			.enableAllAdaptiveRefreshTriggers()
			.adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_TIMEOUT)
			.enablePeriodicRefresh(REFRESH_PERIOD)
			.build());
		logger.info("Workspace cache: enabled Redis Cluster topology refresh (adaptive, and every "
				+ REFRESH_PERIOD.toSeconds() + "s) so that the connection follows failovers and resharding; set "
				+ REFRESH_PROPERTIES + ".adaptive or .period to configure it yourself");
	}

}
