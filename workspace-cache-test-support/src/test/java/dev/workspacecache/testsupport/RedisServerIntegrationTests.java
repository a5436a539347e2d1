package dev.workspacecache.testsupport;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link RedisServer} and {@link RedisConnections}.
 */
class RedisServerIntegrationTests {

	@Test
	void startsOnAFreeLoopbackPortAndServesCommands() {
		try (RedisServer server = RedisServer.start()) {
			assertThat(server.host()).isEqualTo("127.0.0.1");
			assertThat(server.port()).isPositive().isNotEqualTo(6379);
			assertThat(server.url()).isEqualTo("redis://127.0.0.1:" + server.port());
			assertThat(server.version()).matches("\\d+\\.\\d+\\.\\d+.*");
			assertThat(server.flavour()).isIn("redis", "valkey");
			assertThat(server.binary()).isAbsolute().isExecutable();
			assertThat(server.isRunning()).isTrue();
			LettuceConnectionFactory factory = RedisConnections.connectionFactory(server);
			try (RedisConnection connection = factory.getConnection()) {
				assertThat(connection.ping()).isEqualTo("PONG");
				connection.stringCommands().set(bytes("key"), bytes("value"));
				assertThat(connection.stringCommands().get(bytes("key"))).isEqualTo(bytes("value"));
			}
			finally {
				factory.destroy();
			}
		}
	}

	@Test
	void keepsNoDataOnDisk() {
		try (RedisServer server = RedisServer.start()) {
			LettuceConnectionFactory factory = RedisConnections.connectionFactory(server);
			try (RedisConnection connection = factory.getConnection()) {
				assertThat(connection.serverCommands().getConfig("save")).containsEntry("save", "");
				assertThat(connection.serverCommands().getConfig("appendonly")).containsEntry("appendonly", "no");
			}
			finally {
				factory.destroy();
			}
		}
	}

	@Test
	void closeStopsTheServerAndDeletesItsDirectory() {
		RedisServer server = RedisServer.start();
		Path directory = server.logFile().getParent();
		assertThat(server.logFile()).exists();
		server.close();
		assertThat(server.isRunning()).isFalse();
		assertThat(directory).doesNotExist();
		// A second close, as by try-with-resources after an explicit stop, is harmless.
		server.close();
	}

	@Test
	void killSimulatesACrash() throws IOException {
		try (RedisServer server = RedisServer.start()) {
			server.kill();
			assertThat(server.isRunning()).isFalse();
			assertThatThrownBy(() -> new Socket(server.host(), server.port()).close()).isInstanceOf(IOException.class);
			// The log outlives the crash, for the test's diagnostics.
			assertThat(server.logFile()).exists();
		}
	}

	@Test
	void extraArgumentsConfigureTheServer() {
		try (RedisServer server = RedisServer.builder().arg("--requirepass", "secret").start()) {
			LettuceConnectionFactory withoutPassword = RedisConnections.connectionFactory(server);
			try {
				assertThatThrownBy(() -> {
					try (RedisConnection connection = withoutPassword.getConnection()) {
						connection.ping();
					}
				}).hasStackTraceContaining("NOAUTH");
			}
			finally {
				withoutPassword.destroy();
			}
			LettuceConnectionFactory withPassword = RedisConnections.connectionFactory(server,
					(configuration) -> configuration.setPassword(RedisPassword.of("secret")));
			try (RedisConnection connection = withPassword.getConnection()) {
				assertThat(connection.ping()).isEqualTo("PONG");
			}
			finally {
				withPassword.destroy();
			}
		}
	}

	@Test
	void portAndBindAddressCannotBeOverridden() {
		assertThatIllegalArgumentException().isThrownBy(() -> RedisServer.builder().arg("--port", "6379"))
			.withMessageContaining("--port");
		assertThatIllegalArgumentException().isThrownBy(() -> RedisServer.builder().arg("--bind", "0.0.0.0"))
			.withMessageContaining("--bind");
	}

	@Test
	void startupFailureReportsWhatTheServerSaid() {
		assertThatIllegalStateException()
			.isThrownBy(() -> RedisServer.builder().arg("--no-such-directive", "x").start())
			.withMessageContaining("exited with code")
			.withMessageContaining("no-such-directive");
	}

	@Test
	void missingBinaryIsReported() {
		Path missing = Path.of("/nonexistent/redis-server");
		assertThatIllegalStateException().isThrownBy(() -> RedisServer.builder().binary(missing).start())
			.withMessageContaining(missing.toString());
	}

	@Test
	void usesTheBinaryThatTheEnvironmentNames() {
		// scripts/test runs the suite once per server, naming each one in this variable.
		String configured = System.getenv(RedisServer.BINARY_ENV);
		assumeTrue(configured != null && !configured.isBlank(), RedisServer.BINARY_ENV + " is not set");
		Path expected = Path.of(configured).toAbsolutePath();
		assertThat(RedisServer.findBinary()).isEqualTo(expected);
		try (RedisServer server = RedisServer.start()) {
			assertThat(server.binary()).isEqualTo(expected);
			String name = expected.getFileName().toString();
			if (name.equals("redis-server") || name.equals("valkey-server")) {
				assertThat(name).startsWith(server.flavour() + "-");
			}
		}
	}

	@Test
	void notFoundMessageTellsHowToGetAServer() {
		assertThat(RedisServer.NOT_FOUND_MESSAGE).contains("apt-get install -y redis-server", "valkey-server",
				RedisServer.BINARY_ENV, "scripts/test");
	}

	@Test
	void serversRunSideBySide() {
		try (RedisServer first = RedisServer.start(); RedisServer second = RedisServer.start()) {
			assertThat(first.port()).isNotEqualTo(second.port());
			assertThat(first.logFile().getParent()).isNotEqualTo(second.logFile().getParent());
		}
	}

	@Test
	void sharedServerIsStartedOnceAndOutlivesClose() throws Exception {
		RedisServer shared = RedisServer.shared();
		assertThat(RedisServer.shared()).isSameAs(shared);
		shared.close();
		shared.stop();
		assertThat(shared.isRunning()).isTrue();
		assertThat(Files.exists(shared.logFile())).isTrue();
		assertThatIllegalStateException().isThrownBy(shared::kill);
		assertThat(RedisServer.shared()).isSameAs(shared);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
