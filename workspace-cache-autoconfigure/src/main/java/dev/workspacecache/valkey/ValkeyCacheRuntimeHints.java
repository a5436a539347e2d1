package dev.workspacecache.valkey;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * The {@link RuntimeHints} {@link ValkeyCache} needs in a native image, registered in
 * {@code META-INF/spring/aot.factories}.
 * <ul>
 * <li>Lettuce's {@code RedisClient}, as a type: {@link ValkeyCache} looks it up by name
 * ({@code ClassUtils.isPresent}) to read the command timeout and the Sentinel topology
 * from a Lettuce connection factory. A native image answers such a look-up only for
 * registered types; without it the cache would run as if Lettuce were absent, its command
 * timeout unknown to the health check. Spring Data Redis registers the type too, but only
 * once its standalone connection provider is reached, which a cluster never reaches.</li>
 * <li>Resilience4j's Reactor {@code CircuitBreakerOperator}, as a type:
 * {@link ReactiveValkeyCache#of} looks it up by name to decide whether reactive calls can
 * fail fast; without the hint they would never fail fast in a native image.</li>
 * </ul>
 * Nothing else of this package needs a hint: the values are encoded and decoded with
 * Jackson's streaming API (no data binding, so no reflection on the library's types); the
 * Lua scripts are Java strings, not resources; the fail-fast circuit is a Resilience4j
 * {@code CircuitBreaker} built in code, without reflection; Lettuce and Spring Data Redis
 * bring their own hints for what they do reflectively.
 */
class ValkeyCacheRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection().registerType(TypeReference.of(ValkeyCache.LETTUCE_CLIENT));
		hints.reflection().registerType(TypeReference.of(ReactiveServerAvailability.CIRCUIT_BREAKER_OPERATOR));
	}

}
