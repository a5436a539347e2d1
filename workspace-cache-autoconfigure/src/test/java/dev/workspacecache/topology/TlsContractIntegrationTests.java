package dev.workspacecache.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import javax.net.ssl.SSLException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheOperation;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.autoconfigure.WorkspaceCacheAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnection;
import dev.workspacecache.testsupport.RedisServer;
import dev.workspacecache.testsupport.TestCertificates;

import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The whole contract against a server that has a TLS port only ({@code --port 0}), with a
 * certificate from a test authority, reached through a Spring Boot SSL bundle
 * ({@code spring.data.redis.ssl.bundle}); and clients that do not trust that authority,
 * or speak plain text, get a {@link WorkspaceCacheException} that says why.
 */
class TlsContractIntegrationTests extends AutoConfiguredContractTests {

	private static final String BUNDLE = "workspace-cache-redis";

	private static TestCertificates certificates;

	private static RedisServer server;

	private static BootRedisApplication application;

	@BeforeAll
	static void startTlsServer() {
		certificates = TestCertificates.create();
		server = RedisServer.builder().tlsOnly(certificates).start();
		application = BootRedisApplication.run(tlsProperties(certificates.caCertificate().toString()));
	}

	@AfterAll
	static void stopTlsServer() {
		if (application != null) {
			application.close();
		}
		if (server != null) {
			server.close();
		}
		if (certificates != null) {
			certificates.close();
		}
	}

	private static Map<String, String> tlsProperties(String trustedCertificate) {
		return Map.of("spring.data.redis.host", server.host(), "spring.data.redis.port",
				Integer.toString(server.port()), "spring.data.redis.ssl.enabled", "true",
				"spring.data.redis.ssl.bundle", BUNDLE, "spring.ssl.bundle.pem." + BUNDLE + ".truststore.certificate",
				"file:" + trustedCertificate, "spring.data.redis.timeout", "2s");
	}

	@Override
	protected BootRedisApplication application() {
		return application;
	}

	@Test
	void theServerHasNoPlainTextPortAndTheApplicationSpeaksTls() {
		assertThat(application.connectionFactory().isUseSsl()).isTrue();
		try (RedisConnection connection = application.connectionFactory().getConnection()) {
			Properties port = connection.serverCommands().getConfig("port");
			assertThat(port).containsEntry("port", "0");
			Properties tlsPort = connection.serverCommands().getConfig("tls-port");
			assertThat(tlsPort).containsEntry("tls-port", Integer.toString(server.port()));
		}
	}

	@Test
	void aClientThatTrustsAnotherAuthorityFailsWithACertificateError() {
		contextRunner(tlsProperties(certificates.otherCaCertificate().toString())).run((context) -> {
			WorkspaceCache cache = context.getBean(WorkspaceCache.class);
			UUID id = UUID.randomUUID();
			WorkspaceCacheException failure = catchFailure(() -> cache.cacheWorkspace(id, snapshot(id)));
			assertThat(failure.getOperation()).isEqualTo(WorkspaceCacheOperation.CACHE_WORKSPACE);
			assertThat(failure).hasMessageContaining("cacheWorkspace").hasMessageContaining(id.toString());
			assertThat(causes(failure)).as("cause chain")
				.anySatisfy((cause) -> assertThat(cause).isInstanceOf(SSLException.class));
			assertThat(failure.getMessage()).as("the message says why")
				.containsAnyOf("certificat", "PKIX", "SSL", "TLS");
			System.out.println("TLS client trusting another authority: " + failure.getMessage());
		});
	}

	@Test
	void aClientWithTheJvmsDefaultTrustFailsWithACertificateError() {
		contextRunner(Map.of("spring.data.redis.host", server.host(), "spring.data.redis.port",
				Integer.toString(server.port()), "spring.data.redis.ssl.enabled", "true", "spring.data.redis.timeout",
				"2s"))
			.run((context) -> {
				WorkspaceCache cache = context.getBean(WorkspaceCache.class);
				WorkspaceCacheException failure = catchFailure(() -> cache.getWorkspace(UUID.randomUUID()));
				assertThat(failure.getOperation()).isEqualTo(WorkspaceCacheOperation.GET_WORKSPACE);
				assertThat(causes(failure)).anySatisfy((cause) -> assertThat(cause).isInstanceOf(SSLException.class));
				assertThat(failure.getMessage()).containsAnyOf("certificat", "PKIX", "SSL", "TLS");
			});
	}

	@Test
	void aPlainTextClientFails() {
		contextRunner(Map.of("spring.data.redis.host", server.host(), "spring.data.redis.port",
				Integer.toString(server.port()), "spring.data.redis.timeout", "2s"))
			.run((context) -> {
				WorkspaceCache cache = context.getBean(WorkspaceCache.class);
				WorkspaceCacheException failure = catchFailure(() -> cache.getWorkspace(UUID.randomUUID()));
				assertThat(failure.getOperation()).isEqualTo(WorkspaceCacheOperation.GET_WORKSPACE);
			});
	}

	private static WorkspaceCacheException catchFailure(Runnable operation) {
		long start = System.nanoTime();
		WorkspaceCacheException failure = assertThatExceptionOfType(WorkspaceCacheException.class)
			.isThrownBy(operation::run)
			.actual();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to fail").isLessThan(Duration.ofSeconds(15));
		return failure;
	}

	private static List<Throwable> causes(Throwable failure) {
		List<Throwable> causes = new ArrayList<>();
		for (Throwable cause = failure; cause != null && !causes.contains(cause); cause = cause.getCause()) {
			causes.add(cause);
		}
		return causes;
	}

	private static ApplicationContextRunner contextRunner(Map<String, String> properties) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, DataRedisAutoConfiguration.class,
					WorkspaceCacheAutoConfiguration.class))
			.withPropertyValues("workspace.cache.mode=valkey")
			.withPropertyValues(properties.entrySet()
				.stream()
				.map((entry) -> entry.getKey() + "=" + entry.getValue())
				.toArray(String[]::new));
	}

}
