package dev.workspacecache.autoconfigure;

import java.util.function.Predicate;

import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.Test;

import dev.workspacecache.actuate.WorkspaceCacheEndpoint.CacheDescriptor;
import dev.workspacecache.actuate.WorkspaceCacheEndpoint.WorkspaceDescriptor;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the library's {@link RuntimeHints}: the hints its registrars contribute
 * through {@code META-INF/spring/aot.factories}, and the ones it relies on Spring Boot's
 * AOT processing for. The predicates name the classes themselves, so a misspelled class
 * name in a registrar fails here.
 */
class WorkspaceCacheRuntimeHintsTests {

	/** Lettuce's client, which {@code ValkeyCache} looks up by name. */
	private static final Predicate<RuntimeHints> LETTUCE_CLIENT = RuntimeHintsPredicates.reflection()
		.onType(RedisClient.class);

	/** Spring Data Redis's connection factory, which the actuator looks up by name. */
	private static final Predicate<RuntimeHints> CONNECTION_FACTORY = RuntimeHintsPredicates.reflection()
		.onType(RedisConnectionFactory.class);

	@Test
	void theLibrarysRegistrarsRegisterTheTypesItLooksUpByName() {
		RuntimeHints hints = new RuntimeHints();
		AotServices.factories()
			.load(RuntimeHintsRegistrar.class)
			.stream()
			.filter((registrar) -> registrar.getClass().getName().startsWith("dev.workspacecache."))
			.forEach((registrar) -> registrar.registerHints(hints, getClass().getClassLoader()));
		assertThat(hints).matches(LETTUCE_CLIENT, "registers Lettuce's RedisClient")
			.matches(CONNECTION_FACTORY, "registers Spring Data Redis's RedisConnectionFactory");
	}

	@Test
	void bootsAotProcessingRegistersBindingHintsForTheEndpointsResponses() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					WorkspaceCacheAutoConfiguration.class, WorkspaceCacheEndpointAutoConfiguration.class))
			.withPropertyValues("workspace.cache.mode=valkey",
					"management.endpoints.web.exposure.include=workspacecache")
			.prepare((context) -> {
				RuntimeHints hints = processAheadOfTime(
						(GenericApplicationContext) context.getSourceApplicationContext());
				// Boot's, through the @ReadOperation methods: the endpoint's JSON is
				// written from the records' accessors. Not the library's to register.
				for (String accessor : new String[] { "mode", "type", "keyPrefix", "timeToLive", "maxEntrySize",
						"counters", "circuitBreaker" }) {
					assertThat(hints).as(accessor)
						.matches(RuntimeHintsPredicates.reflection()
							.onMethodInvocation(CacheDescriptor.class, accessor));
				}
				for (String accessor : new String[] { "id", "snapshot", "graph", "files", "bytes", "timeToLive" }) {
					assertThat(hints).as(accessor)
						.matches(RuntimeHintsPredicates.reflection()
							.onMethodInvocation(WorkspaceDescriptor.class, accessor));
				}
			});
	}

	private static RuntimeHints processAheadOfTime(GenericApplicationContext context) {
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("dev.workspacecache.aot", "TestApplication")),
				new InMemoryGeneratedFiles());
		new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
		return generation.getRuntimeHints();
	}

}
