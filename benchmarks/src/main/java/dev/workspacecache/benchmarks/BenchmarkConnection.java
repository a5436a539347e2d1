package dev.workspacecache.benchmarks;

import java.nio.file.Path;
import java.time.Duration;

import dev.workspacecache.testsupport.RedisServer;
import dev.workspacecache.valkey.ValkeyCache;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Everything a benchmark talks to the server through, built from ONE Lettuce
 * configuration so that our cache and its baselines run over the same client settings:
 * <ul>
 * <li>{@link #cache()}: a {@link ValkeyCache} over a Spring Data Redis
 * {@link LettuceConnectionFactory} with its default, shared native connection (as in an
 * application);</li>
 * <li>{@link #raw()}: raw Lettuce commands on that very same shared native connection
 * (same socket, same codec, same options), the baseline of single-command
 * operations;</li>
 * <li>{@link #dedicated()}: a second connection from the same {@link RedisClient}
 * (identical options), for the original design's pipelines, which switch off auto-flush
 * and so must not share a connection with anything else;</li>
 * <li>{@link #factory()}: the factory itself, for the Spring Session baseline, whose
 * {@code RedisTemplate} then runs over the same shared native connection as our
 * cache.</li>
 * </ul>
 * The server address comes from the {@value #HOST_PROPERTY} and {@value #PORT_PROPERTY}
 * system properties that {@link BenchmarkSuite} passes to the JMH forks.
 */
public final class BenchmarkConnection implements AutoCloseable {

	/** System property naming the server host. */
	public static final String HOST_PROPERTY = "workspace.cache.benchmark.host";

	/** System property naming the server port. */
	public static final String PORT_PROPERTY = "workspace.cache.benchmark.port";

	/** Key prefix of the {@link ValkeyCache} under test. */
	public static final String KEY_PREFIX = "bench:";

	/** Time-to-live of every workspace written, ours and the baselines'. */
	public static final Duration TTL = Duration.ofHours(1);

	/**
	 * Largest entry accepted by the cache under test: above the largest benchmarked
	 * entry.
	 */
	public static final long MAX_ENTRY_SIZE = 16L * 1024 * 1024;

	/**
	 * Generous, so that a loaded machine slows a benchmark down rather than failing it.
	 */
	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private final LettuceConnectionFactory factory;

	private final ValkeyCache cache;

	private final StatefulRedisConnection<byte[], byte[]> shared;

	private final StatefulRedisConnection<byte[], byte[]> dedicated;

	private BenchmarkConnection(String host, int port) {
		LettuceClientConfiguration clientConfiguration = LettuceClientConfiguration.builder()
			.commandTimeout(COMMAND_TIMEOUT)
			.build();
		this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port), clientConfiguration);
		this.factory.afterPropertiesSet();
		// Spring Data Redis 4 factories are SmartLifecycle beans; outside a context,
		// start it by hand.
		this.factory.start();
		this.cache = new ValkeyCache(this.factory, KEY_PREFIX, TTL, MAX_ENTRY_SIZE);
		this.shared = sharedNativeConnection(this.factory);
		this.dedicated = ((RedisClient) this.factory.getRequiredNativeClient()).connect(ByteArrayCodec.INSTANCE);
	}

	/**
	 * Connect to the server named by the system properties.
	 * @return the connections; the caller must close them
	 */
	public static BenchmarkConnection open() {
		String host = System.getProperty(HOST_PROPERTY, "127.0.0.1");
		String port = System.getProperty(PORT_PROPERTY);
		if (port == null) {
			throw new IllegalStateException("System property " + PORT_PROPERTY
					+ " is not set: run the benchmarks through scripts/benchmark (BenchmarkSuite), which starts a server");
		}
		return open(host, Integer.parseInt(port));
	}

	/**
	 * Start a server of its own for a probe run outside the suite: the binary named by
	 * the first command-line argument, else the one the tests would use.
	 * @param args the probe's command-line arguments
	 * @return the running server; the caller must close it
	 */
	public static RedisServer startServer(String[] args) {
		RedisServer.Builder builder = RedisServer.builder();
		if (args.length > 0) {
			builder.binary(Path.of(args[0]));
		}
		return builder.start();
	}

	/**
	 * Connect to the given server.
	 * @param host the server host
	 * @param port the server port
	 * @return the connections; the caller must close them
	 */
	public static BenchmarkConnection open(String host, int port) {
		return new BenchmarkConnection(host, port);
	}

	@SuppressWarnings("unchecked")
	private static StatefulRedisConnection<byte[], byte[]> sharedNativeConnection(LettuceConnectionFactory factory) {
		try (RedisConnection connection = factory.getConnection()) {
			// With a shared native connection (the default) this is that connection's
			// async API.
			var commands = (RedisAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
			return commands.getStatefulConnection();
		}
	}

	/**
	 * Return the cache under test.
	 * @return a {@link ValkeyCache} with prefix {@value #KEY_PREFIX}
	 */
	public ValkeyCache cache() {
		return this.cache;
	}

	/**
	 * Return the connection factory the cache runs over, for other Spring Data Redis
	 * users of the same connection (the Spring Session baseline).
	 * @return the factory
	 */
	public LettuceConnectionFactory factory() {
		return this.factory;
	}

	/**
	 * Return synchronous raw Lettuce commands on the cache's own shared connection.
	 * @return the commands, safe to use from many threads
	 */
	public RedisCommands<byte[], byte[]> raw() {
		return this.shared.sync();
	}

	/**
	 * Return the shared native connection the cache runs over.
	 * @return the connection
	 */
	public StatefulRedisConnection<byte[], byte[]> shared() {
		return this.shared;
	}

	/**
	 * Return a connection of its own, from the same client and options, for
	 * single-threaded pipelines.
	 * @return the dedicated connection
	 */
	public StatefulRedisConnection<byte[], byte[]> dedicated() {
		return this.dedicated;
	}

	@Override
	public void close() {
		this.dedicated.close();
		this.factory.stop();
		this.factory.destroy();
	}

}
