package dev.workspacecache.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.memory.InMemoryWorkspaceCache;
import dev.workspacecache.valkey.ServerAvailability;
import dev.workspacecache.valkey.ServerPing;
import dev.workspacecache.valkey.ValkeyCache;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * What the actuator shows of a {@link WorkspaceCache} beyond the contract, read from the
 * caches of this library: the one place that knows them, so that the health indicator and
 * the endpoint work with any cache, the application's own included.
 *
 * @param keyPrefix the key prefix ({@code valkey}), else {@code null}
 * @param ttl the time-to-live of a workspace ({@code valkey}, {@code memory}), else
 * {@code null}
 * @param counters the cache's counters by name, read when shown
 * @param probe checks the server over the cache's own connection ({@code valkey}), else
 * {@code null}: the cache needs no server
 * @param probeTimeout the longest the probe may take (the connection's command timeout),
 * or {@code null} when unknown
 * @param circuitBreaker the state of the cache's fail-fast circuit breaker
 * ({@code valkey} with fail-fast on), else {@code null}
 */
record CacheFacts(@Nullable String keyPrefix, @Nullable Duration ttl, Map<String, LongSupplier> counters,
		@Nullable Supplier<ServerPing> probe, @Nullable Duration probeTimeout,
		@Nullable Supplier<Map<String, Object>> circuitBreaker) {

	static final String STATE = "state";

	static final String UNAVAILABLE_SINCE = "unavailableSince";

	private static final String OPEN = "open";

	/**
	 * A class of Spring Data Redis, an optional dependency: looked up by name at runtime,
	 * so {@link ActuatorRuntimeHints} registers it for a native image.
	 */
	static final String REDIS_CONNECTION_FACTORY = "org.springframework.data.redis.connection.RedisConnectionFactory";

	/**
	 * Whether {@link ValkeyCache} can be used: its signatures name Spring Data Redis
	 * types, an optional dependency, so it is only looked at when they are there.
	 */
	private static final boolean SPRING_DATA_REDIS_PRESENT = ClassUtils.isPresent(REDIS_CONNECTION_FACTORY,
			CacheFacts.class.getClassLoader());

	/**
	 * The state of a fail-fast circuit as the actuator shows it: {@value #STATE} is
	 * {@code closed} or {@code open}, and while it is open {@value #UNAVAILABLE_SINCE}
	 * says since when calls fail fast.
	 */
	private static Supplier<Map<String, Object>> circuitState(ServerAvailability availability) {
		return () -> {
			Map<String, Object> state = new LinkedHashMap<>();
			state.put(STATE, availability.getCircuitBreaker().getState().name().toLowerCase(Locale.ROOT));
			availability.getUnavailableSince().ifPresent((since) -> state.put(UNAVAILABLE_SINCE, since.toString()));
			return state;
		};
	}

	/**
	 * Return whether a circuit state says calls fail fast.
	 * @param circuitState a state from {@link #circuitBreaker()}
	 * @return whether the circuit is open
	 */
	static boolean isOpen(Map<String, Object> circuitState) {
		return OPEN.equals(circuitState.get(STATE));
	}

	static CacheFacts of(WorkspaceCache cache) {
		if (SPRING_DATA_REDIS_PRESENT && cache instanceof ValkeyCache valkey) {
			return new CacheFacts(valkey.getKeyPrefix(), valkey.getTtl(),
					Map.of("unreadableValues", valkey::getUnreadableValueCount), valkey::ping,
					valkey.getCommandTimeout(),
					valkey.getServerAvailability().map(CacheFacts::circuitState).orElse(null));
		}
		if (cache instanceof InMemoryWorkspaceCache memory) {
			return new CacheFacts(null, memory.getTtl(), Map.of(), null, null, null);
		}
		return new CacheFacts(null, null, Map.of(), null, null, null);
	}

}
