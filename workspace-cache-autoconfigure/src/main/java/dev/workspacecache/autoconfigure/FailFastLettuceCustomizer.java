package dev.workspacecache.autoconfigure;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;

/**
 * Makes the Lettuce client that Spring Boot auto-configures, which the {@code valkey}
 * cache runs over, fail fast and come back fast:
 * <ul>
 * <li>while disconnected it rejects commands at once
 * ({@link ClientOptions.DisconnectedBehavior#REJECT_COMMANDS}), where Lettuce would queue
 * each one until its timeout: that is what made every request wait the full timeout while
 * the server was down;</li>
 * <li>it tries to reconnect at least every {@code max-reconnect-delay}, where Lettuce's
 * exponential backoff grows to 30 s: after a long outage the cache could otherwise stay
 * away for up to 30 s once the server is back.</li>
 * </ul>
 * Both settings apply to every user of that client, which is why each has its own
 * {@code workspace.cache.fail-fast.*} property. A client the application builds itself is
 * not touched.
 */
class FailFastLettuceCustomizer implements LettuceClientOptionsBuilderCustomizer, ClientResourcesBuilderCustomizer {

	/** The first reconnect attempt after a disconnect comes this soon. */
	private static final Duration MIN_RECONNECT_DELAY = Duration.ofMillis(10);

	private final boolean rejectCommandsWhileDisconnected;

	private final Duration maxReconnectDelay;

	FailFastLettuceCustomizer(boolean rejectCommandsWhileDisconnected, Duration maxReconnectDelay) {
		this.rejectCommandsWhileDisconnected = rejectCommandsWhileDisconnected;
		this.maxReconnectDelay = maxReconnectDelay;
	}

	@Override
	public void customize(ClientOptions.Builder builder) {
		if (this.rejectCommandsWhileDisconnected) {
			builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
		}
	}

	@Override
	public void customize(ClientResources.Builder builder) {
		Duration lower = (this.maxReconnectDelay.compareTo(MIN_RECONNECT_DELAY) < 0) ? this.maxReconnectDelay
				: MIN_RECONNECT_DELAY;
		builder.reconnectDelay(Delay.exponential(lower, this.maxReconnectDelay, 2, TimeUnit.MILLISECONDS));
	}

}
