package dev.workspacecache.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.testsupport.RedisConnections;
import dev.workspacecache.testsupport.RedisServer;
import dev.workspacecache.valkey.ValkeyCache;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static dev.workspacecache.WorkspaceFixtures.randomBytes;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Measures what the cache costs in server memory, for README's sizing rule: the bytes one
 * file entry takes beyond its path, content and hash, and the fixed cost of a workspace,
 * all of it in the one hash key of a workspace. Prints {@code MEMORY ...} lines and
 * checks the numbers README gives stay true.
 */
class MemoryFootprintIntegrationTests {

	/** A typical repository path: 48 bytes. */
	private static final String PATH_FORMAT = "src/main/java/com/example/module%02d/File%04d.java";

	/** A SHA-256 in hex: 64 bytes. */
	private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

	private static RedisServer server;

	private static LettuceConnectionFactory connectionFactory;

	private static RedisClient client;

	private static StatefulRedisConnection<String, String> admin;

	@BeforeAll
	static void startServer() {
		server = RedisServer.builder().start();
		connectionFactory = RedisConnections.connectionFactory(server);
		client = RedisClient.create();
		admin = client.connect(RedisURI.create(server.host(), server.port()));
	}

	@AfterAll
	static void stopServer() {
		if (admin != null) {
			admin.close();
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
		if (connectionFactory != null) {
			connectionFactory.destroy();
		}
		if (server != null) {
			server.close();
		}
	}

	@ParameterizedTest(name = "content of {0} bytes")
	@ValueSource(ints = { 100, 1024, 10 * 1024 })
	void bytesPerFileEntry(int contentSize) {
		ValkeyCache cache = new ValkeyCache(connectionFactory, AclRules.KEY_PREFIX, Duration.ofHours(1), 1 << 20);
		UUID id = UUID.randomUUID();
		int files = 1000;
		Map<String, CachedOverlayEntry> entries = new LinkedHashMap<>();
		long payload = 0;
		for (int i = 0; i < files; i++) {
			String path = PATH_FORMAT.formatted(i % 100, i);
			entries.put(path, new CachedOverlayEntry.Modified(randomBytes(contentSize, i), HASH));
			payload += path.getBytes(StandardCharsets.UTF_8).length + contentSize + HASH.length();
		}
		cache.cacheFiles(id, entries);
		String key = AclRules.KEY_PREFIX + "{" + id + "}:workspace";
		// Stored bytes of every entry: its field (a one-byte tag and the path) and its
		// value.
		assertThat(admin.sync().hlen(key)).as("the entries and the version").isEqualTo(files + 1);
		entries.forEach((path, entry) -> {
			String field = "f" + path;
			long stored = field.getBytes(StandardCharsets.UTF_8).length + admin.sync().hstrlen(key, field);
			assertThat(stored).as("stored bytes of %s", path)
				.isLessThanOrEqualTo(path.getBytes(StandardCharsets.UTF_8).length + contentSize + HASH.length() + 64L);
		});
		long usage = memoryUsage(key);
		double perEntry = (double) usage / files;
		double overhead = (double) (usage - payload) / files;
		System.out
			.printf(Locale.ROOT,
					"MEMORY per file entry on %s %s: %.0f bytes for path 48 + content %d + hash 64 bytes, "
							+ "overhead %.0f bytes%n",
					server.flavour(), server.version(), perEntry, contentSize, overhead);
		// README: about 80 bytes per entry, plus the allocator's rounding of the stored
		// value (content, hash and a few bytes of encoding) up to its size class: at most
		// a quarter of it.
		assertThat(overhead).isLessThan(100 + (contentSize + HASH.length() + 32) * 0.25);
		cache.evict(id);
	}

	@Test
	void bytesPerWorkspace() {
		ValkeyCache cache = new ValkeyCache(connectionFactory, AclRules.KEY_PREFIX, Duration.ofHours(1), 1 << 20);
		int workspaces = 1000;
		byte[] graph = randomBytes(1024, 1);
		String path = PATH_FORMAT.formatted(1, 1);
		CachedOverlayEntry file = new CachedOverlayEntry.Modified(randomBytes(1024, 2), HASH);
		// An evict frees a large workspace in a background thread (UNLINK): memory freed
		// during the loop below would be subtracted from what the workspaces cost.
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> memoryInfo("lazyfree_pending_objects") == 0);
		long before = usedMemory();
		long firstKey = 0;
		for (int i = 0; i < workspaces; i++) {
			UUID id = UUID.randomUUID();
			cache.cacheWorkspace(id, snapshot(id));
			cache.cacheGraph(id, graph);
			cache.cacheFile(id, path, file);
			if (i == 0) {
				firstKey = memoryUsage(AclRules.KEY_PREFIX + "{" + id + "}:workspace");
			}
		}
		long perWorkspace = (usedMemory() - before) / workspaces;
		long payload = graph.length + path.length() + 1024 + HASH.length();
		System.out.printf(Locale.ROOT,
				"MEMORY per workspace on %s %s: %d bytes with a snapshot, a 1 KiB graph and one 1 KiB file; fixed cost "
						+ "%d bytes beyond graph and file data (its one key: %d bytes)%n",
				server.flavour(), server.version(), perWorkspace, perWorkspace - payload, firstKey);
		// README: about 1 KiB per workspace besides its graph and files.
		assertThat(perWorkspace - payload).isPositive().isLessThan(1536);
		admin.sync().flushall();
	}

	private static long memoryUsage(String key) {
		// SAMPLES 0: count every field of a hash, not an estimate from five of them.
		Long usage = admin.sync()
			.dispatch(CommandType.MEMORY, new IntegerOutput<>(StringCodec.UTF8),
					new CommandArgs<>(StringCodec.UTF8).add("USAGE").addKey(key).add("SAMPLES").add(0));
		return usage;
	}

	private static long usedMemory() {
		return memoryInfo("used_memory");
	}

	private static long memoryInfo(String field) {
		return admin.sync()
			.info("memory")
			.lines()
			.filter((line) -> line.startsWith(field + ":"))
			.mapToLong((line) -> Long.parseLong(line.substring(field.length() + 1).trim()))
			.findFirst()
			.orElseThrow();
	}

}
