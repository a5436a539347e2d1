package dev.workspacecache.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheOperation;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.testsupport.RedisConnections;
import dev.workspacecache.testsupport.RedisServer;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static dev.workspacecache.WorkspaceFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole contract as an ACL user that may run only {@link AclRules#COMMANDS} on keys
 * under the cache's prefix; and, command by command, that a user lacking any one of them
 * gets a {@link WorkspaceCacheException} naming the operation, with the password in no
 * message and no log line.
 */
@ExtendWith(OutputCaptureExtension.class)
class AclContractIntegrationTests extends AutoConfiguredContractTests {

	private static final String USER = "workspace-cache";

	/** Refused inside a script, where Redis 7.0 does not name the command. */
	private static final List<String> SCRIPT_BODY_COMMANDS = List.of("hexists", "hset", "hincrby", "hdel", "pexpire",
			"unlink", "spublish");

	private static final String PASSWORD = "acl-secret-" + UUID.randomUUID();

	private static RedisServer server;

	private static LettuceConnectionFactory admin;

	private static RedisClient adminClient;

	private static StatefulRedisConnection<String, String> adminConnection;

	private static BootRedisApplication application;

	@BeforeAll
	static void startServerWithUser() {
		server = RedisServer.builder().start();
		admin = RedisConnections.connectionFactory(server);
		adminClient = RedisClient.create();
		adminConnection = adminClient.connect(RedisURI.create(server.host(), server.port()));
		AclRules.setUser(adminConnection.sync(), USER, AclRules.tokens(PASSWORD, AclRules.COMMANDS));
		System.out.println("ACL minimal rule: " + AclRules.rule(USER, "<password>"));
		application = BootRedisApplication.run(properties(USER, PASSWORD));
	}

	@AfterAll
	static void stopServer() {
		if (application != null) {
			application.close();
		}
		if (adminConnection != null) {
			adminConnection.close();
			adminClient.shutdown();
		}
		if (admin != null) {
			admin.destroy();
		}
		if (server != null) {
			server.close();
		}
	}

	private static Map<String, String> properties(String user, String password) {
		return Map.of("spring.data.redis.host", server.host(), "spring.data.redis.port",
				Integer.toString(server.port()), "spring.data.redis.username", user, "spring.data.redis.password",
				password, "spring.data.redis.timeout", "2s");
	}

	@Override
	protected BootRedisApplication application() {
		return application;
	}

	@Override
	protected RedisConnectionFactory adminConnectionFactory() {
		// The cache's user may not read expiries: the test does it as the default user.
		return admin;
	}

	@Test
	void theApplicationConnectsAsTheRestrictedUser() {
		WorkspaceCache cache = application.workspaceCache();
		UUID id = UUID.randomUUID();
		cache.cacheWorkspace(id, snapshot(id));
		assertThat(cache.getWorkspace(id)).isPresent();
		assertThat(adminConnection.sync().clientList()).contains("user=" + USER);
		cache.evict(id);
	}

	static Stream<String> neededCommands() {
		return AclRules.COMMANDS.stream();
	}

	@ParameterizedTest(name = "without {0}")
	@MethodSource("neededCommands")
	void aUserLackingOneNeededCommandGetsAnExceptionNamingTheOperation(String command, CapturedOutput output) {
		String user = "lacks-" + command;
		String password = "pw-" + command + "-" + UUID.randomUUID();
		List<String> commands = new ArrayList<>(AclRules.COMMANDS);
		commands.remove(command);
		AclRules.setUser(adminConnection.sync(), user, AclRules.tokens(password, commands));
		List<WorkspaceCacheException> failures = new ArrayList<>();
		try (BootRedisApplication lacking = BootRedisApplication.run(properties(user, password))) {
			WorkspaceCache cache = lacking.workspaceCache();
			UUID id = UUID.randomUUID();
			// 'eval' is only needed when the server does not have the script yet.
			adminConnection.sync().scriptFlush();
			everyOperation(id).forEach((operation, call) -> {
				try {
					call.accept(cache);
				}
				catch (WorkspaceCacheException ex) {
					assertThat(ex.getOperation().methodName()).isEqualTo(operation);
					assertThat(ex.getMessage()).startsWith("Workspace cache operation '" + operation + "' failed")
						.contains(id.toString())
						// Redis 7.0 words a refusal inside a script differently.
						.containsAnyOf("NOPERM", "no permissions", "user executing the script can't run this command");
					failures.add(ex);
				}
			});
		}
		assertThat(failures).as("operations refused to a user without '%s'", command).isNotEmpty();
		if (!SCRIPT_BODY_COMMANDS.contains(command)) {
			assertThat(failures)
				.anySatisfy((failure) -> assertThat(failure.getMessage()).contains("'" + command + "'"));
		}
		failures.forEach((failure) -> assertNoSecret(failure, password));
		assertThat(output.toString()).doesNotContain(password).doesNotContain(PASSWORD);
	}

	@Test
	void aWrongPasswordFailsWithoutShowingIt(CapturedOutput output) {
		String wrong = "wrong-" + UUID.randomUUID();
		Map<String, String> properties = new HashMap<>(properties(USER, wrong));
		// Even the client libraries' debug logs must not show it.
		properties.put("logging.level.io.lettuce.core", "DEBUG");
		properties.put("logging.level.org.springframework.data.redis", "DEBUG");
		try (BootRedisApplication wrongPassword = BootRedisApplication.run(properties)) {
			WorkspaceCache cache = wrongPassword.workspaceCache();
			UUID id = UUID.randomUUID();
			try {
				cache.getWorkspace(id);
				throw new AssertionError("A wrong password was accepted");
			}
			catch (WorkspaceCacheException ex) {
				assertThat(ex.getOperation()).isEqualTo(WorkspaceCacheOperation.GET_WORKSPACE);
				assertNoSecret(ex, wrong);
			}
		}
		finally {
			// Logging outlives the application in this JVM: leave no debug logging to
			// later tests.
			LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
			logging.setLogLevel("io.lettuce.core", null);
			logging.setLogLevel("org.springframework.data.redis", null);
		}
		assertThat(output.toString()).doesNotContain(wrong).doesNotContain(PASSWORD);
	}

	@Test
	void keysOutsideTheUsersPatternAreRefused() {
		WorkspaceCache outside = application.createCache(Map.of("workspace.cache.key-prefix", "other-prefix:"));
		UUID id = UUID.randomUUID();
		try {
			outside.cacheFile(id, "a.txt", modified("a"));
			throw new AssertionError("A key outside the user's pattern was written");
		}
		catch (WorkspaceCacheException ex) {
			assertThat(ex.getOperation()).isEqualTo(WorkspaceCacheOperation.CACHE_FILE);
			assertThat(ex.getMessage()).contains("NOPERM");
		}
	}

	private static Map<String, Consumer<WorkspaceCache>> everyOperation(UUID id) {
		Map<String, Consumer<WorkspaceCache>> operations = new LinkedHashMap<>();
		operations.put("cacheWorkspace", (c) -> c.cacheWorkspace(id, snapshot(id)));
		operations.put("getWorkspace", (c) -> c.getWorkspace(id));
		operations.put("cacheFile", (c) -> c.cacheFile(id, "a.txt", modified("a")));
		operations.put("getFile", (c) -> c.getFile(id, "a.txt"));
		operations.put("listFiles", (c) -> c.listFiles(id));
		operations.put("cacheFiles", (c) -> c.cacheFiles(id, Map.of("b.txt", added("b"))));
		operations.put("getFiles", (c) -> c.getFiles(id));
		operations.put("cacheGraph", (c) -> c.cacheGraph(id, utf8("graph")));
		operations.put("getGraph", (c) -> c.getGraph(id));
		operations.put("touch", (c) -> c.touch(id));
		operations.put("recover", (c) -> c.recover(id));
		operations.put("cacheAll",
				(c) -> c.cacheAll(id, CachedWorkspace.of(snapshot(id), Map.of("c.txt", added("c")), utf8("graph"))));
		operations.put("evict", (c) -> c.evict(id));
		return operations;
	}

	private static void assertNoSecret(Throwable failure, String password) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			assertThat(String.valueOf(cause.getMessage())).doesNotContain(password).doesNotContain(PASSWORD);
			assertThat(cause.toString()).doesNotContain(password);
			if (cause.getCause() == cause) {
				break;
			}
		}
	}

}
