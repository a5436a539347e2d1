package dev.workspacecache.valkey;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.Test;

import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.testsupport.RedisInspector;
import dev.workspacecache.testsupport.RedisServer;

import org.springframework.data.redis.connection.RedisPassword;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ValkeyCache} on a server that refuses its credentials or its user's key
 * permissions: every operation fails, and no failure reveals a password.
 */
class CredentialsIntegrationTests extends AbstractValkeyCacheIntegrationTests {

	@Test
	void wrongPasswordFailsWithoutRevealingAnyPassword() {
		RedisServer server = track(RedisServer.builder().arg("--requirepass", "s3cr3t-pa55").start());
		ValkeyCache wrong = new ValkeyCache(
				factory(server, COMMAND_TIMEOUT, (c) -> c.setPassword(RedisPassword.of("wr0ng-pa55w0rd"))), this.prefix,
				TTL, MAX_ENTRY_SIZE);
		List<String> printed = new ArrayList<>();
		for (NamedOperation operation : NamedOperation.all()) {
			printed.add(everythingPrinted(operation.assertFailsWithin(FAILURE_DEADLINE, wrong)));
		}
		assertThat(printed)
			.allSatisfy((text) -> assertThat(text).doesNotContain("wr0ng-pa55w0rd").doesNotContain("s3cr3t-pa55"));
		// Under load Lettuce may report a failed handshake without the server's reply
		// (for example "RedisHandshakeHandler not registered"), so not every failure
		// names WRONGPASS; one must.
		assertThat(printed).anySatisfy((text) -> assertThat(text).contains("WRONGPASS"));
	}

	@Test
	void userWithoutKeyPermissionsFailsWithoutRevealingAnyPassword() {
		RedisServer server = track(RedisServer.builder().arg("--requirepass", "s3cr3t-pa55").start());
		RedisInspector admin = track(new RedisInspector(server, null, "s3cr3t-pa55"));
		assertThat(admin.sync()
			.dispatch(CommandType.ACL, new StatusOutput<>(ByteArrayCodec.INSTANCE),
					new CommandArgs<>(ByteArrayCodec.INSTANCE).add("SETUSER")
						.add("limited")
						.add("on")
						.add(">limited-pa55")
						.add("~nothing:*")
						.add("+@all")))
			.isEqualTo("OK");
		ValkeyCache limited = new ValkeyCache(factory(server, COMMAND_TIMEOUT, (c) -> {
			c.setUsername("limited");
			c.setPassword(RedisPassword.of("limited-pa55"));
		}), this.prefix, TTL, MAX_ENTRY_SIZE);
		for (NamedOperation operation : NamedOperation.all()) {
			WorkspaceCacheException failure = operation.assertFailsWithin(FAILURE_DEADLINE, limited);
			assertThat(failure.getMessage()).contains("NOPERM");
			assertThat(everythingPrinted(failure)).doesNotContain("limited-pa55").doesNotContain("s3cr3t-pa55");
		}
	}

	private static String everythingPrinted(Throwable failure) {
		StringWriter printed = new StringWriter();
		failure.printStackTrace(new PrintWriter(printed));
		StringBuilder all = new StringBuilder(printed.toString());
		for (Throwable t = failure; t != null; t = t.getCause()) {
			all.append('\n').append(t).append('\n').append(t.getLocalizedMessage());
		}
		return all.toString();
	}

}
