package dev.workspacecache.valkey;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.DescribeAssertions;
import dev.workspacecache.WorkspaceDescription;
import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.testsupport.RedisConnections;
import dev.workspacecache.testsupport.RedisInspector;
import dev.workspacecache.testsupport.RedisServer;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link ValkeyCache#describe(UUID)} and {@link ValkeyCache#ping()} against a
 * real server: what a description counts, measured against the server's own answers, and
 * that describing reads no value and changes nothing.
 */
class ValkeyCacheDescribeIntegrationTests {

	private static final Duration TTL = Duration.ofMinutes(10);

	private RedisServer server;

	private LettuceConnectionFactory connectionFactory;

	private RedisInspector raw;

	private String prefix;

	private ValkeyCache cache;

	@BeforeEach
	void createCache() {
		this.server = RedisServer.shared();
		this.connectionFactory = RedisConnections.connectionFactory(this.server);
		this.raw = new RedisInspector(this.server);
		this.prefix = RedisConnections.randomKeyPrefix();
		this.cache = new ValkeyCache(this.connectionFactory, this.prefix, TTL, 1024 * 1024);
	}

	@AfterEach
	void close() {
		this.raw.close();
		this.connectionFactory.destroy();
	}

	@Test
	void describesEveryPartAndTheStoredSizeWithoutReadingAValue() {
		UUID id = UUID.randomUUID();
		this.cache.cacheAll(id,
				CachedWorkspace.of(WorkspaceFixtures.snapshot(id),
						Map.of("a.txt", WorkspaceFixtures.added("hello"), "dir/b.bin",
								WorkspaceFixtures.modified(WorkspaceFixtures.allByteValues()), "gone.txt",
								WorkspaceFixtures.deleted()),
						new byte[] { 1, 2, 3 }));
		String key = key(id);
		Map<String, Long> callsBefore = this.raw.dataCommandCalls();

		WorkspaceDescription description = this.cache.describe(id).orElseThrow();

		// One script, reading no value and writing nothing (the script's own HKEYS,
		// HSTRLEN and PTTL are counted apart).
		Map<String, Long> callsAfter = this.raw.dataCommandCalls();
		assertThat(callsAfter.getOrDefault("eval", 0L)).isEqualTo(callsBefore.getOrDefault("eval", 0L) + 1);
		for (String command : List.of("hget", "hgetall", "hmget", "hset", "hdel", "pexpire", "unlink", "del")) {
			assertThat(callsAfter.getOrDefault(command, 0L)).as(command)
				.isEqualTo(callsBefore.getOrDefault(command, 0L));
		}

		assertThat(description.snapshot()).isTrue();
		assertThat(description.graph()).isTrue();
		assertThat(description.files()).isEqualTo(3);
		long stored = 0;
		for (String field : this.raw.fields(key)) {
			// The version is the cache's bookkeeping, not a stored part.
			if (!field.equals("v")) {
				stored += this.raw.sync().hstrlen(utf8(key), utf8(field));
			}
		}
		assertThat(description.bytes()).isEqualTo(stored).isGreaterThan(256 + 5 + 3);
		assertThat(description.timeToLive()).isPositive().isLessThanOrEqualTo(TTL);
		assertThat(this.cache.recover(id)).isPresent();
	}

	@Test
	void describesPartsWrittenWithoutASnapshot() {
		UUID id = UUID.randomUUID();
		this.cache.cacheFile(id, "only.txt", WorkspaceFixtures.added("x"));
		WorkspaceDescription description = this.cache.describe(id).orElseThrow();
		assertThat(description.snapshot()).isFalse();
		assertThat(description.graph()).isFalse();
		assertThat(description.files()).isEqualTo(1);
	}

	@Test
	void describesNothingForAnAbsentOrEvictedWorkspace() {
		DescribeAssertions.assertNothingDescribedWhenAbsentOrEvicted(this.cache,
				(id) -> assertThat(this.raw.fields(key(id))).containsExactly("x"));
	}

	@Test
	void describesAKeyOfTheWrongTypeAsNothingAndCountsIt() {
		UUID id = UUID.randomUUID();
		this.raw.sync().set(utf8(key(id)), utf8("not a hash"));
		long unreadable = this.cache.getUnreadableValueCount();
		assertThat(this.cache.describe(id)).isEmpty();
		assertThat(this.cache.getUnreadableValueCount()).isEqualTo(unreadable + 1);
	}

	@Test
	void pingNamesTheServerItsVersionAndTopology() {
		ServerPing ping = this.cache.ping();
		assertThat(ping.server()).isEqualTo(this.server.flavour());
		assertThat(ping.version()).isEqualTo(this.server.version());
		assertThat(ping.topology()).isEqualTo(ServerPing.Topology.STANDALONE);
		assertThat(ping.latency()).isPositive();
		assertThat(this.cache.getCommandTimeout()).isEqualTo(RedisConnections.COMMAND_TIMEOUT);
	}

	private String key(UUID id) {
		return this.prefix + "{" + id + "}:workspace";
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
