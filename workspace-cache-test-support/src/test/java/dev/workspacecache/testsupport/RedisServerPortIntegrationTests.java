package dev.workspacecache.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link RedisServer.Builder#port(int)}: a server on a port the test chose
 * before it started.
 */
class RedisServerPortIntegrationTests {

	@Test
	void startsOnTheChosenPort() {
		int port = FreePorts.any();
		try (RedisServer server = RedisServer.builder().port(port).start()) {
			assertThat(server.port()).isEqualTo(port);
			assertThat(server.url()).isEqualTo("redis://127.0.0.1:" + port);
		}
	}

	@Test
	void failsRatherThanMovesWhenTheChosenPortIsTaken() throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(FreePorts.HOST))) {
			assertThatIllegalStateException()
				.isThrownBy(() -> RedisServer.builder().port(taken.getLocalPort()).start().close())
				.withMessageContaining(Integer.toString(taken.getLocalPort()));
		}
	}

	@Test
	void neverTakesTheStandardPort() {
		assertThatIllegalArgumentException().isThrownBy(() -> RedisServer.builder().port(6379))
			.withMessageContaining("6379");
	}

}
