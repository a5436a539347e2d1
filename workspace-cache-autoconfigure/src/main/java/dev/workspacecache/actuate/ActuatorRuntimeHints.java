package dev.workspacecache.actuate;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * The {@link RuntimeHints} the health indicator and the endpoint need in a native image,
 * registered in {@code META-INF/spring/aot.factories}.
 * <ul>
 * <li>Spring Data Redis's {@code RedisConnectionFactory}, as a type: {@link CacheFacts}
 * looks it up by name ({@code ClassUtils.isPresent}) before it looks at a
 * {@code ValkeyCache}. A native image answers such a look-up only for registered types;
 * without it the health indicator would report UP without pinging the server, and the
 * endpoint would show neither key prefix, time-to-live nor circuit. Spring's AOT happens
 * to register the type when it is the type of a bean; the endpoint must not depend on
 * that.</li>
 * </ul>
 * The endpoint's responses ({@link WorkspaceCacheEndpoint.CacheDescriptor},
 * {@link WorkspaceCacheEndpoint.WorkspaceDescriptor}) need no hint of ours: Spring Boot
 * registers binding hints for the return types of every {@code @ReadOperation}; the
 * health details are strings and numbers.
 */
class ActuatorRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection().registerType(TypeReference.of(CacheFacts.REDIS_CONNECTION_FACTORY));
	}

}
