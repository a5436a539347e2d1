package dev.workspacecache.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.NoOpCache;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.memory.InMemoryWorkspaceCache;
import dev.workspacecache.testsupport.RedisInspector;
import dev.workspacecache.testsupport.RedisServer;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.valkey.ValkeyCache;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tests of {@link WorkspaceCacheAutoConfiguration}: every mode, the user's own bean, the
 * qualified connection factory, every startup failure and its analysis, the IDE metadata
 * and the registration of the auto-configuration.
 */
@ExtendWith(OutputCaptureExtension.class)
class WorkspaceCacheAutoConfigurationTests {

	private static final String TEST_PREFIX = "autoconfig-test:";

	private static RedisServer shared;

	private static RedisInspector sharedRaw;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DataRedisAutoConfiguration.class, WorkspaceCacheAutoConfiguration.class));

	@BeforeAll
	static void startServer() {
		shared = RedisServer.shared();
		sharedRaw = new RedisInspector(shared);
	}

	@AfterAll
	static void closeRaw() {
		if (sharedRaw != null) {
			sharedRaw.close();
		}
	}

	// ---------------------------------------------------------------- noop

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
		this.contextRunner
			.withPropertyValues("workspace.cache.mode=" + mode, "spring.data.redis.host=" + shared.host(),
					"spring.data.redis.port=" + shared.port())
			.run((context) -> {
				if (context.getStartupFailure() != null) {
					FailureAnalysis analysis = analyze(context);
					assertThat(analysis).as("analysis of the startup failure").isNotNull();
					assertThat(analysis.getAction()).contains("workspace.cache.mode");
				}
				else {
					assertThat(context).as("mode '%s'", mode).hasSingleBean(WorkspaceCache.class);
				}
			});
	}

	// ---------------------------------------------------------------- memory

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

	// ---------------------------------------------------------------- valkey

	@ParameterizedTest
	@ValueSource(strings = { "valkey", "VALKEY", "Valkey" })
	void valkeyModeInAnyCaseGivesValkeyCacheThatRoundTripsThroughTheServer(String mode) {
		String prefix = TEST_PREFIX + UUID.randomUUID() + ":";
		this.contextRunner
			.withPropertyValues("workspace.cache.mode=" + mode, "workspace.cache.key-prefix=" + prefix,
					"spring.data.redis.host=" + shared.host(), "spring.data.redis.port=" + shared.port())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(WorkspaceCache.class);
				WorkspaceCache cache = context.getBean(WorkspaceCache.class);
				assertThat(cache).isExactlyInstanceOf(ValkeyCache.class);
				assertThat(((ValkeyCache) cache).getKeyPrefix()).isEqualTo(prefix);
				UUID id = UUID.randomUUID();
				cache.cacheWorkspace(id, WorkspaceFixtures.snapshot(id));
				String key = prefix + "{" + id + "}:workspace";
				assertThat(sharedRaw.fields(key)).containsExactly("m");
				assertThat(cache.getWorkspace(id)).isPresent();
				cache.evict(id);
				// What stays is the evict marker alone, under the same key.
				assertThat(sharedRaw.keys(prefix + "*")).containsExactly(key);
				assertThat(sharedRaw.fields(key)).containsExactly("x");
			});
	}

	@Test
	void valkeyModeHonoursKeyPrefixTtlAndMaxEntrySize() {
		String prefix = TEST_PREFIX + UUID.randomUUID() + ":";
		this.contextRunner
			.withPropertyValues("workspace.cache.mode=valkey", "workspace.cache.key-prefix=" + prefix,
					"workspace.cache.ttl=90s", "workspace.cache.max-entry-size=1KB",
					"spring.data.redis.host=" + shared.host(), "spring.data.redis.port=" + shared.port())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ValkeyCache cache = context.getBean(ValkeyCache.class);
				assertThat(cache.getTtl()).isEqualTo(Duration.ofSeconds(90));
				assertThat(cache.getMaxEntrySize()).isEqualTo(1024);
				UUID id = UUID.randomUUID();
				String base = prefix + "{" + id + "}";
				cache.cacheWorkspace(id, WorkspaceFixtures.snapshot(id));
				cache.cacheFile(id, "fits.bin", modified(new byte[1024]));
				String key = base + ":workspace";
				assertThat(sharedRaw.keys(prefix + "*")).containsExactly(key);
				assertThat(sharedRaw.pttl(key)).isPositive().isLessThanOrEqualTo(90_000);
				assertThatIllegalArgumentException()
					.isThrownBy(() -> cache.cacheFile(id, "big.bin", modified(new byte[1025])));
				assertThatIllegalArgumentException().isThrownBy(() -> cache.cacheGraph(id, new byte[1025]));
				assertThat(sharedRaw.fields(key)).containsExactlyInAnyOrder("m", "ffits.bin");
				cache.evict(id);
			});
	}

	@Test
	void valkeyModeUsesDefaultPrefixAndOneHourTtl() {
		this.contextRunner
			.withPropertyValues("workspace.cache.mode=valkey", "spring.data.redis.host=" + shared.host(),
					"spring.data.redis.port=" + shared.port())
			.run((context) -> {
				ValkeyCache cache = context.getBean(ValkeyCache.class);
				assertThat(cache.getKeyPrefix()).isEqualTo("workspace-cache:");
				assertThat(cache.getTtl()).isEqualTo(Duration.ofHours(1));
				assertThat(cache.getMaxEntrySize()).isEqualTo(16L * 1024 * 1024);
				UUID id = UUID.randomUUID();
				try {
					cache.cacheGraph(id, new byte[] { 1, 2, 3 });
					long pttl = sharedRaw.pttl("workspace-cache:{" + id + "}:workspace");
					assertThat(pttl).isPositive().isLessThanOrEqualTo(3_600_000).isGreaterThan(3_500_000);
				}
				finally {
					cache.evict(id);
				}
			});
	}

	// ---------------------------------------------------------------- user bean

	@ParameterizedTest
	@ValueSource(strings = { "noop", "memory", "valkey" })
	void usersOwnCacheWinsInEveryMode(String mode) {
		this.contextRunner.withUserConfiguration(UserCacheConfiguration.class)
			.withPropertyValues("workspace.cache.mode=" + mode, "spring.data.redis.host=" + shared.host(),
					"spring.data.redis.port=" + shared.port())
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
			.withPropertyValues("workspace.cache.mode=" + mode, "spring.data.redis.host=" + shared.host(),
					"spring.data.redis.port=" + shared.port())
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

	// ---------------------------------------------------------------- connection
	// factories

	@Test
	void qualifiedConnectionFactoryIsPreferredOverThePrimaryOne() {
		try (RedisServer serverA = RedisServer.start();
				RedisServer serverB = RedisServer.start();
				RedisInspector rawA = new RedisInspector(serverA);
				RedisInspector rawB = new RedisInspector(serverB)) {
			this.contextRunner.withUserConfiguration(PrimaryAndQualifiedFactoriesConfiguration.class)
				.withPropertyValues("workspace.cache.mode=valkey", "test.server-a.port=" + serverA.port(),
						"test.server-b.port=" + serverB.port())
				.run((context) -> assertCacheWritesOnlyTo(context, rawB, rawA));
		}
	}

	@Test
	void qualifiedConnectionFactoryIsPreferredOverAnUnqualifiedOne() {
		try (RedisServer serverA = RedisServer.start();
				RedisServer serverB = RedisServer.start();
				RedisInspector rawA = new RedisInspector(serverA);
				RedisInspector rawB = new RedisInspector(serverB)) {
			this.contextRunner.withUserConfiguration(PlainAndQualifiedFactoriesConfiguration.class)
				.withPropertyValues("workspace.cache.mode=valkey", "test.server-a.port=" + serverA.port(),
						"test.server-b.port=" + serverB.port())
				.run((context) -> assertCacheWritesOnlyTo(context, rawB, rawA));
		}
	}

	@Test
	void qualifiedConnectionFactoryAlone() {
		try (RedisServer serverB = RedisServer.start(); RedisInspector rawB = new RedisInspector(serverB)) {
			this.contextRunner.withUserConfiguration(QualifiedFactoryOnlyConfiguration.class)
				.withPropertyValues("workspace.cache.mode=valkey", "test.server-b.port=" + serverB.port(),
						// Points at nothing: Boot's own factory must not be the one used.
						"spring.data.redis.port=1")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context).hasSingleBean(RedisConnectionFactory.class);
					assertCacheWritesOnlyTo(context, rawB, null);
				});
		}
	}

	@Test
	void qualifiedConnectionFactoryIsPreferredOverBootsAutoConfiguredOne() {
		// A qualified factory makes Boot's Redis auto-configuration back off: the cache
		// must still
		// start and use it.
		try (RedisServer serverB = RedisServer.start(); RedisInspector rawB = new RedisInspector(serverB)) {
			this.contextRunner.withUserConfiguration(QualifiedFactoryOnlyConfiguration.class)
				.withPropertyValues("workspace.cache.mode=valkey", "test.server-b.port=" + serverB.port(),
						"spring.data.redis.host=" + shared.host(), "spring.data.redis.port=" + shared.port())
				.run((context) -> assertCacheWritesOnlyTo(context, rawB, null));
		}
	}

	@Test
	void primaryOfTwoUnqualifiedConnectionFactoriesIsUsed() {
		try (RedisServer serverA = RedisServer.start();
				RedisServer serverB = RedisServer.start();
				RedisInspector rawA = new RedisInspector(serverA);
				RedisInspector rawB = new RedisInspector(serverB)) {
			this.contextRunner.withUserConfiguration(PrimaryOfTwoUnqualifiedFactoriesConfiguration.class)
				.withPropertyValues("workspace.cache.mode=valkey", "test.server-a.port=" + serverA.port(),
						"test.server-b.port=" + serverB.port())
				.run((context) -> assertCacheWritesOnlyTo(context, rawB, rawA));
		}
	}

	@Test
	void twoUnqualifiedConnectionFactoriesFailStartupWithAnalysis() {
		this.contextRunner.withUserConfiguration(TwoUnqualifiedFactoriesConfiguration.class)
			.withPropertyValues("workspace.cache.mode=valkey", "test.server-a.port=" + shared.port(),
					"test.server-b.port=" + shared.port())
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new WorkspaceCacheFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("workspace.cache.mode is 'valkey'")
					.contains("2 RedisConnectionFactory beans");
				assertThat(analysis.getAction()).contains("@WorkspaceCacheConnectionFactory").contains("@Primary");
				assertThat(analysis.getCause()).isInstanceOf(WorkspaceCacheConfigurationException.class);
			});
	}

	@Test
	void valkeyModeWithoutConnectionFactoryFailsStartupWithAnalysis() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WorkspaceCacheAutoConfiguration.class))
			.withPropertyValues("workspace.cache.mode=valkey")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("no RedisConnectionFactory bean");
				assertThat(analysis.getAction()).contains("spring.data.redis.host")
					.contains("@WorkspaceCacheConnectionFactory");
			});
	}

	@Test
	void valkeyModeWithoutSpringDataRedisFailsStartupWithAnalysis() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.withPropertyValues("workspace.cache.mode=valkey")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("Spring Data Redis is not on the classpath");
				assertThat(analysis.getAction()).contains("workspace-cache-starter");
			});
	}

	@Test
	void valkeyModeWithoutRedisConnectionFactoryClassFailsStartupWithAnalysis() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.withPropertyValues("workspace.cache.mode=valkey")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis).isNotNull();
				assertThat(analysis.getAction()).contains("workspace-cache-starter");
			});
	}

	@Test
	void valkeyModeWithoutJacksonCborFailsStartupWithAnalysis() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("tools.jackson.dataformat.cbor"))
			.withPropertyValues("workspace.cache.mode=valkey", "spring.data.redis.host=" + shared.host(),
					"spring.data.redis.port=" + shared.port())
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("CBOR");
				assertThat(analysis.getAction()).contains("jackson-dataformat-cbor")
					.contains("workspace-cache-starter");
			});
	}

	// ---------------------------------------------------------------- invalid properties

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			mode           | redis | noop, valkey, memory
			ttl            | 0s    | positive duration
			ttl            | -5m   | positive duration
			key-prefix     | {x}   | without '{' or '}'
			key-prefix     | a}b:  | without '{' or '}'
			max-entry-size | 0     | positive size
			max-entry-size | -1KB  | positive size
			""")
	void invalidPropertyFailsStartupWithOurAnalysis(String property, String value, String action) {
		String name = "workspace.cache." + property;
		this.contextRunner.withPropertyValues(name + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new InvalidWorkspaceCachePropertyFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("'" + name + "'").contains("'" + value + "'");
			assertThat(analysis.getAction()).contains(name).contains(action);
		});
	}

	@Test
	void invalidModeActionListsEveryMode() {
		this.contextRunner.withPropertyValues("workspace.cache.mode=redis").run((context) -> {
			FailureAnalysis analysis = new InvalidWorkspaceCachePropertyFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getAction()).contains("noop").contains("valkey").contains("memory");
		});
	}

	@Test
	void bindFailureOfAnotherPropertyIsNotOurs() {
		this.contextRunner.withPropertyValues("spring.data.redis.port=not-a-port", "workspace.cache.mode=valkey")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(new InvalidWorkspaceCachePropertyFailureAnalyzer().analyze(context.getStartupFailure()))
					.isNull();
			});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			mode           | redis | Set workspace.cache.mode to one of: noop, valkey, memory
			ttl            | 0s    | Set workspace.cache.ttl to a positive duration
			key-prefix     | {x}   | Set workspace.cache.key-prefix to a prefix without '{' or '}'
			max-entry-size | 0     | Set workspace.cache.max-entry-size to a positive size
			""")
	void bootsFailureAnalysisPipelineReportsOurAnalysis(String property, String value, String action,
			CapturedOutput output) {
		String name = "workspace.cache." + property;
		assertThatThrownBy(() -> new SpringApplicationBuilder(MinimalApplication.class).web(WebApplicationType.NONE)
			.properties(name + "=" + value, "spring.main.banner-mode=off", "spring.main.log-startup-info=false")
			.run()
			.close()).isNotNull();
		String printed = output.getAll();
		int report = printed.lastIndexOf("APPLICATION FAILED TO START");
		assertThat(report).as("failure report in:%n%s", printed).isNotNegative();
		String analysis = printed.substring(report);
		assertThat(analysis).contains("Invalid workspace cache configuration: property '" + name + "'")
			.contains("'" + value + "'")
			.contains(action);
	}

	@Test
	void bootsFailureAnalysisPipelineReportsMissingConnectionFactory(CapturedOutput output) {
		assertThatThrownBy(() -> new SpringApplicationBuilder(MinimalApplication.class).web(WebApplicationType.NONE)
			.properties("workspace.cache.mode=valkey", "spring.main.banner-mode=off",
					"spring.main.log-startup-info=false")
			.run()
			.close()).isNotNull();
		String printed = output.getAll();
		int report = printed.lastIndexOf("APPLICATION FAILED TO START");
		assertThat(report).as("failure report in:%n%s", printed).isNotNegative();
		assertThat(printed.substring(report)).contains("no RedisConnectionFactory bean")
			.contains("spring.data.redis.host");
	}

	// ---------------------------------------------------------------- metadata and
	// registration

	@Test
	void configurationMetadataDocumentsEveryPropertyWithDefaultsAndModeHints() throws IOException {
		JsonNode metadata = workspaceCacheMetadata();
		List<String> names = new ArrayList<>();
		for (JsonNode property : metadata.get("properties")) {
			String name = property.get("name").asString();
			if (name.startsWith("workspace.cache.")) {
				names.add(name);
				assertThat(property.path("description").asString("")).as("description of %s", name).isNotBlank();
			}
		}
		assertThat(names).containsExactlyInAnyOrder("workspace.cache.mode", "workspace.cache.ttl",
				"workspace.cache.key-prefix", "workspace.cache.max-entry-size");
		assertThat(defaultValue(metadata, "workspace.cache.mode")).isEqualTo("noop");
		assertThat(defaultValue(metadata, "workspace.cache.ttl")).isEqualTo("1h");
		assertThat(defaultValue(metadata, "workspace.cache.key-prefix")).isEqualTo("workspace-cache:");
		assertThat(defaultValue(metadata, "workspace.cache.max-entry-size")).isEqualTo("16MB");
		List<String> hintValues = new ArrayList<>();
		for (JsonNode hint : metadata.get("hints")) {
			if (hint.get("name").asString().equals("workspace.cache.mode")) {
				for (JsonNode value : hint.get("values")) {
					hintValues.add(value.get("value").asString());
					assertThat(value.path("description").asString("")).isNotBlank();
				}
			}
		}
		assertThat(hintValues).containsExactlyInAnyOrder("noop", "valkey", "memory");
	}

	@Test
	void metadataDefaultsMatchTheProperties() throws IOException {
		JsonNode metadata = workspaceCacheMetadata();
		WorkspaceCacheProperties properties = new WorkspaceCacheProperties();
		assertThat(properties.getMode().name().toLowerCase()).isEqualTo(defaultValue(metadata, "workspace.cache.mode"));
		assertThat(properties.getTtl()).isEqualTo(Duration.ofHours(1));
		assertThat(properties.getKeyPrefix()).isEqualTo(defaultValue(metadata, "workspace.cache.key-prefix"));
		assertThat(properties.getMaxEntrySize().toMegabytes()).isEqualTo(16);
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

	@Test
	void valkeyModeWorksWithAutoConfigurationsGivenInEitherOrder() {
		for (AutoConfigurations configurations : List.of(
				AutoConfigurations.of(DataRedisAutoConfiguration.class, WorkspaceCacheAutoConfiguration.class),
				AutoConfigurations.of(WorkspaceCacheAutoConfiguration.class, DataRedisAutoConfiguration.class))) {
			new ApplicationContextRunner().withConfiguration(configurations)
				.withPropertyValues("workspace.cache.mode=valkey", "spring.data.redis.host=" + shared.host(),
						"spring.data.redis.port=" + shared.port())
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context).hasSingleBean(ValkeyCache.class);
					assertThat(context.getBean(ValkeyCache.class).getWorkspace(UUID.randomUUID())).isEmpty();
				});
		}
	}

	// ---------------------------------------------------------------- helpers

	private static CachedOverlayEntry.Modified modified(byte[] content) {
		return new CachedOverlayEntry.Modified(content, "sha");
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		Throwable failure = context.getStartupFailure();
		FailureAnalysis analysis = new InvalidWorkspaceCachePropertyFailureAnalyzer().analyze(failure);
		return (analysis != null) ? analysis : new WorkspaceCacheFailureAnalyzer().analyze(failure);
	}

	private static void assertCacheWritesOnlyTo(AssertableApplicationContext context, RedisInspector expected,
			RedisInspector other) {
		assertThat(context).hasNotFailed();
		assertThat(context).hasSingleBean(WorkspaceCache.class);
		ValkeyCache cache = context.getBean(ValkeyCache.class);
		UUID id = UUID.randomUUID();
		cache.cacheWorkspace(id, WorkspaceFixtures.snapshot(id));
		cache.cacheFile(id, "a.txt", WorkspaceFixtures.added("a"));
		String base = cache.getKeyPrefix() + "{" + id + "}";
		assertThat(expected.keys("*")).containsExactly(base + ":workspace");
		assertThat(expected.fields(base + ":workspace")).containsExactlyInAnyOrder("m", "fa.txt");
		if (other != null) {
			assertThat(other.keys("*")).isEmpty();
		}
		assertThat(cache.getWorkspace(id)).isPresent();
	}

	private static JsonNode workspaceCacheMetadata() throws IOException {
		JsonMapper mapper = JsonMapper.builder().build();
		List<URL> resources = Collections.list(WorkspaceCacheAutoConfigurationTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"));
		for (URL resource : resources) {
			try (InputStream in = resource.openStream()) {
				JsonNode metadata = mapper.readTree(in);
				for (JsonNode group : metadata.path("groups")) {
					if (group.path("name").asString("").equals("workspace.cache")) {
						return metadata;
					}
				}
			}
		}
		throw new AssertionError(
				"No META-INF/spring-configuration-metadata.json declares the workspace.cache group in " + resources);
	}

	private static String defaultValue(JsonNode metadata, String name) {
		for (JsonNode property : metadata.get("properties")) {
			if (property.get("name").asString().equals(name)) {
				return property.path("defaultValue").asString(null);
			}
		}
		throw new AssertionError("No metadata for " + name);
	}

	private static LettuceConnectionFactory factory(int port) {
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.commandTimeout(Duration.ofSeconds(5))
			.build();
		return new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port), client);
	}

	// ---------------------------------------------------------------- configurations

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

	@Configuration(proxyBeanMethods = false)
	static class PrimaryAndQualifiedFactoriesConfiguration {

		@Bean
		@Primary
		LettuceConnectionFactory redisConnectionFactory(@Value("${test.server-a.port}") int port) {
			return factory(port);
		}

		@Bean
		@WorkspaceCacheConnectionFactory
		LettuceConnectionFactory workspaceCacheRedisConnectionFactory(@Value("${test.server-b.port}") int port) {
			return factory(port);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PlainAndQualifiedFactoriesConfiguration {

		@Bean
		LettuceConnectionFactory redisConnectionFactory(@Value("${test.server-a.port}") int port) {
			return factory(port);
		}

		@Bean
		@WorkspaceCacheConnectionFactory
		LettuceConnectionFactory workspaceCacheRedisConnectionFactory(@Value("${test.server-b.port}") int port) {
			return factory(port);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class QualifiedFactoryOnlyConfiguration {

		@Bean
		@WorkspaceCacheConnectionFactory
		LettuceConnectionFactory workspaceCacheRedisConnectionFactory(@Value("${test.server-b.port}") int port) {
			return factory(port);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoUnqualifiedFactoriesConfiguration {

		@Bean
		LettuceConnectionFactory firstConnectionFactory(@Value("${test.server-a.port}") int port) {
			return factory(port);
		}

		@Bean
		LettuceConnectionFactory secondConnectionFactory(@Value("${test.server-b.port}") int port) {
			return factory(port);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrimaryOfTwoUnqualifiedFactoriesConfiguration {

		@Bean
		LettuceConnectionFactory firstConnectionFactory(@Value("${test.server-a.port}") int port) {
			return factory(port);
		}

		@Bean
		@Primary
		LettuceConnectionFactory secondConnectionFactory(@Value("${test.server-b.port}") int port) {
			return factory(port);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(WorkspaceCacheAutoConfiguration.class)
	static class MinimalApplication {

	}

}
