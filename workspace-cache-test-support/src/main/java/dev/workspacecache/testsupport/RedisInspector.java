package dev.workspacecache.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.jspecify.annotations.Nullable;

/**
 * A raw Lettuce connection to a {@link RedisServer}, beside the cache under test, to see
 * what the cache really stored: keys, types, fields, expiry, and how often each command
 * ran. Keys and fields are bytes on the wire, UTF-8 text here.
 */
public final class RedisInspector implements AutoCloseable {

	private static final String COMMAND_STATS_PREFIX = "cmdstat_";

	private final RedisClient client;

	private final StatefulRedisConnection<byte[], byte[]> connection;

	/**
	 * Connect to a server that needs no credentials.
	 * @param server the server
	 */
	public RedisInspector(RedisServer server) {
		this(server, null, null);
	}

	/**
	 * Connect to a server with credentials.
	 * @param server the server
	 * @param username the ACL user, or {@code null} for the default user
	 * @param password the password, or {@code null} for none
	 */
	public RedisInspector(RedisServer server, @Nullable String username, @Nullable String password) {
		RedisURI.Builder uri = RedisURI.builder().withHost(server.host()).withPort(server.port());
		if (password != null) {
			uri = (username != null) ? uri.withAuthentication(username, password.toCharArray())
					: uri.withPassword(password.toCharArray());
		}
		this.client = RedisClient.create(uri.build());
		this.connection = this.client.connect(ByteArrayCodec.INSTANCE);
	}

	/**
	 * Return the synchronous commands of the connection, for anything else.
	 * @return the commands
	 */
	public RedisCommands<byte[], byte[]> sync() {
		return this.connection.sync();
	}

	/**
	 * Return whether a key exists.
	 * @param key the key
	 * @return whether it exists
	 */
	public boolean exists(String key) {
		return sync().exists(bytes(key)) == 1;
	}

	/**
	 * Return the type of a key.
	 * @param key the key
	 * @return for example {@code "hash"}, or {@code "none"}
	 */
	public String type(String key) {
		return sync().type(bytes(key));
	}

	/**
	 * Return the remaining time-to-live of a key in milliseconds.
	 * @param key the key
	 * @return the milliseconds, {@code -1} without expiry, {@code -2} when absent
	 */
	public long pttl(String key) {
		return sync().pttl(bytes(key));
	}

	/**
	 * Return the field names of a hash.
	 * @param key the key of the hash
	 * @return the field names
	 */
	public List<String> fields(String key) {
		return sync().hkeys(bytes(key)).stream().map(RedisInspector::string).toList();
	}

	/**
	 * Return every key that matches a pattern, with a complete {@code SCAN}.
	 * @param pattern the {@code MATCH} pattern, for example {@code "test:*"}
	 * @return the keys
	 * @throws IllegalStateException if the scan does not finish
	 */
	public List<String> keys(String pattern) {
		List<String> keys = new ArrayList<>();
		ScanArgs args = ScanArgs.Builder.matches(pattern).limit(1000);
		KeyScanCursor<byte[]> cursor = sync().scan(args);
		cursor.getKeys().forEach((key) -> keys.add(string(key)));
		for (int i = 0; i < 10_000 && !cursor.isFinished(); i++) {
			cursor = sync().scan(cursor, args);
			cursor.getKeys().forEach((key) -> keys.add(string(key)));
		}
		if (!cursor.isFinished()) {
			throw new IllegalStateException("SCAN of " + pattern + " did not finish");
		}
		return keys;
	}

	/**
	 * Return the calls per command since the server started or the last
	 * {@code CONFIG RESETSTAT}, leaving out the commands of this inspection connection
	 * ({@code INFO}, {@code CONFIG}).
	 * @return the calls per command, for example {@code evalsha -> 3}
	 */
	public Map<String, Long> dataCommandCalls() {
		Map<String, Long> calls = new LinkedHashMap<>();
		for (String line : sync().info("commandstats").split("\r?\n")) {
			if (!line.startsWith(COMMAND_STATS_PREFIX)) {
				continue;
			}
			String command = line.substring(COMMAND_STATS_PREFIX.length(), line.indexOf(':'));
			if (command.equals("info") || command.startsWith("config")) {
				continue;
			}
			String count = line.substring(line.indexOf("calls=") + "calls=".length(), line.indexOf(','));
			calls.put(command, Long.parseLong(count));
		}
		return calls;
	}

	/**
	 * Return the calls of one command; see {@link #dataCommandCalls()}.
	 * @param command the command, lower case
	 * @return the calls
	 */
	public long calls(String command) {
		return dataCommandCalls().getOrDefault(command, 0L);
	}

	/**
	 * Return the calls of Lua scripts, by digest or by source.
	 * @return the {@code EVALSHA} and {@code EVAL} calls
	 */
	public long scriptCalls() {
		return calls("evalsha") + calls("eval");
	}

	/**
	 * Return how many bytes the server uses for a key, every element counted
	 * ({@code MEMORY USAGE key SAMPLES 0}).
	 * @param key the key
	 * @return the bytes
	 * @throws IllegalStateException if the key does not exist
	 */
	public long memoryUsage(String key) {
		return memoryUsage(sync(), bytes(key));
	}

	/**
	 * Return how many bytes the server uses for a key, every element counted
	 * ({@code MEMORY USAGE key SAMPLES 0}), over any connection.
	 * @param commands the connection's commands
	 * @param key the key
	 * @return the bytes
	 * @throws IllegalStateException if the key does not exist
	 */
	public static long memoryUsage(RedisCommands<byte[], byte[]> commands, byte[] key) {
		CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).add("USAGE")
			.addKey(key)
			.add("SAMPLES")
			.add(0);
		Long usage = commands.dispatch(CommandType.MEMORY, new IntegerOutput<>(ByteArrayCodec.INSTANCE), args);
		if (usage == null) {
			throw new IllegalStateException("MEMORY USAGE of a missing key " + string(key));
		}
		return usage;
	}

	@Override
	public void close() {
		this.connection.close();
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String string(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
