package dev.workspacecache.valkey;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.testsupport.RedisConnections;
import dev.workspacecache.testsupport.RedisInspector;
import dev.workspacecache.testsupport.RedisServer;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * What the tests of {@link ValkeyCache} against real servers start from: before each
 * test, a cache with a key prefix of its own on the {@link RedisServer#shared() shared
 * server}, a workspace id and a raw connection to see what the cache stored; after each
 * test, every connection factory and server the test {@link #track tracked} closed, last
 * first. Keys and fields are as documented (README's "Key layout"), not as the code under
 * test builds them. Tests that need a server of their own (FLUSHALL, a kill, a pause,
 * credentials) start and track it themselves.
 */
abstract class AbstractValkeyCacheIntegrationTests {

	protected static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);

	/**
	 * Hang guard for a failing call: its command timeout plus slack for a loaded machine.
	 */
	protected static final Duration FAILURE_DEADLINE = COMMAND_TIMEOUT.plusSeconds(3);

	protected static final Duration TTL = Duration.ofMinutes(10);

	protected static final long MAX_ENTRY_SIZE = 2 * 1024 * 1024;

	/** The field of the snapshot in a workspace's hash. */
	protected static final byte[] SNAPSHOT = bytes("m");

	/** The field of the graph in a workspace's hash. */
	protected static final byte[] GRAPH = bytes("g");

	protected static RedisServer shared;

	private final List<AutoCloseable> resources = new ArrayList<>();

	protected RedisInspector raw;

	protected String prefix;

	protected ValkeyCache cache;

	protected UUID id;

	@BeforeAll
	static void startSharedServer() {
		shared = RedisServer.shared();
	}

	@BeforeEach
	void setUp() {
		this.raw = track(new RedisInspector(shared));
		this.prefix = "valkey-cache-test:" + UUID.randomUUID() + ":";
		this.cache = new ValkeyCache(factory(shared, COMMAND_TIMEOUT), this.prefix, TTL, MAX_ENTRY_SIZE);
		this.id = UUID.randomUUID();
	}

	@AfterEach
	void closeResources() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
		this.resources.clear();
	}

	/**
	 * Return a started connection factory, destroyed after the test.
	 * @param server the server to connect to
	 * @param commandTimeout the command timeout
	 * @return the factory
	 */
	protected LettuceConnectionFactory factory(RedisServer server, Duration commandTimeout) {
		return factory(server, commandTimeout, (configuration) -> {
		});
	}

	/**
	 * Return a started connection factory, destroyed after the test.
	 * @param server the server to connect to
	 * @param commandTimeout the command timeout
	 * @param customizer customizes the configuration, for example with credentials
	 * @return the factory
	 */
	protected LettuceConnectionFactory factory(RedisServer server, Duration commandTimeout,
			Consumer<RedisStandaloneConfiguration> customizer) {
		LettuceConnectionFactory factory = RedisConnections.connectionFactory(server, commandTimeout, customizer);
		track(factory::destroy);
		return factory;
	}

	/**
	 * Close a resource after the test, before those tracked earlier.
	 * @param <T> the type of the resource
	 * @param resource a server, a connection...
	 * @return the resource
	 */
	protected <T extends AutoCloseable> T track(T resource) {
		this.resources.add(resource);
		return resource;
	}

	/**
	 * Return the key of the test's workspace, as documented rather than as the code under
	 * test builds it.
	 * @return {@code <prefix>{<id>}:workspace}
	 */
	protected String key() {
		return this.prefix + "{" + this.id + "}:workspace";
	}

	/**
	 * Return the field of an overlay entry: the tag {@code f}, then the path in UTF-8.
	 * @param path the path of the entry
	 * @return the field name
	 */
	protected static byte[] field(String path) {
		return bytes("f" + path);
	}

	protected static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Return a workspace with every kind of entry and a graph.
	 * @param id the id of the workspace
	 * @param intent the intent of its snapshot, which its contents and graph repeat
	 * @return the workspace
	 */
	protected static CachedWorkspace whole(UUID id, String intent) {
		Map<String, CachedOverlayEntry> files = new LinkedHashMap<>();
		files.put("src/a.txt", WorkspaceFixtures.modified(intent));
		files.put("src/b.txt", WorkspaceFixtures.added(intent));
		files.put("src/c.txt", WorkspaceFixtures.deleted());
		return CachedWorkspace.of(WorkspaceFixtures.snapshot(id, intent), files,
				WorkspaceFixtures.utf8("graph " + intent));
	}

}
