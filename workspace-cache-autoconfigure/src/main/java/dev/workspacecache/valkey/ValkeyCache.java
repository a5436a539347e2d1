package dev.workspacecache.valkey;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.workspacecache.AbstractWorkspaceCache;
import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceSnapshot;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * A {@link WorkspaceCache} stored in Valkey or Redis, shared by every pod connected to the same
 * server. Runs over a Spring Data Redis {@link RedisConnectionFactory}, so standalone, Sentinel
 * and Cluster deployments all work.
 * <p>
 * Key layout (see {@link WorkspaceKeys}), for prefix {@code <prefix>} and workspace
 * {@code <uuid>}:
 * <pre>
 * &lt;prefix&gt;{&lt;uuid&gt;}:meta    STRING  snapshot
 * &lt;prefix&gt;{&lt;uuid&gt;}:graph   STRING  session graph
 * &lt;prefix&gt;{&lt;uuid&gt;}:files   HASH    path -&gt; overlay entry
 * </pre>
 * Every operation is one round trip to the server on at most three keys of one hash slot,
 * whatever the number of files: reads are single commands ({@code GET}, {@code HGET},
 * {@code HKEYS}, {@code HGETALL}); {@link #evict} is one {@code UNLINK} of the three keys; writes
 * and {@link #touch} are one Lua script that writes and re-expires all three keys atomically
 * ({@link WorkspaceScripts}). So a workspace is never seen half-evicted or half-expired, and a
 * file written concurrently with an evict is either gone with it or fully present with an expiry.
 * <p>
 * Values are versioned CBOR written with Jackson ({@link OverlayEntryCodec},
 * {@link SnapshotCodec}, {@link GraphCodec}). A value that cannot be decoded, or a key of the
 * wrong type, reads as a miss, is logged at WARN with its key and is counted
 * ({@link #getUnreadableValueCount()}). {@link #listFiles} reads paths only, so it still lists a
 * path whose value is unreadable; {@link #getFiles} leaves such a path out.
 * <p>
 * Server failures throw {@link WorkspaceCacheException}. How long a caller can wait is bounded
 * by the connection's command timeout ({@code spring.data.redis.timeout}); only a write, touch or
 * evict that meets a Redis Cluster slot migration retries, for at most
 * 2 s more.
 * <p>
 * A file or graph written after its workspace was evicted (by a pod that still held the session)
 * is stored like any other write, with the workspace's expiry: the contract lets parts exist
 * without a snapshot, as in the original engine.
 */
public class ValkeyCache extends AbstractWorkspaceCache {

	private static final Log logger = LogFactory.getLog(ValkeyCache.class);

	private static final RedisSerializer<byte[]> BYTES = RedisSerializer.byteArray();

	/**
	 * How long a write, touch or evict keeps retrying while Redis Cluster migrates the
	 * workspace's hash slot and answers {@code TRYAGAIN}.
	 */
	static final Duration SLOT_MIGRATION_RETRY_TIME = Duration.ofSeconds(2);

	private final RedisTemplate<byte[], byte[]> redis;

	private final WorkspaceKeys keys;

	private final Duration ttl;

	private final byte[] ttlMillis;

	private final LongAdder unreadableValues = new LongAdder();

	/**
	 * Create a cache over the given connection factory.
	 * @param connectionFactory the connection to Valkey or Redis
	 * @param keyPrefix the prefix of every key, for example {@code "workspace-cache:"}; may be
	 * empty, must not contain braces
	 * @param ttl the time-to-live of a workspace, restarted by every write and touch; at least one
	 * millisecond
	 * @param maxEntrySize the largest file content or graph accepted, in bytes
	 */
	public ValkeyCache(RedisConnectionFactory connectionFactory, String keyPrefix, Duration ttl, long maxEntrySize) {
		super(maxEntrySize);
		Objects.requireNonNull(connectionFactory, "connectionFactory must not be null");
		Objects.requireNonNull(keyPrefix, "keyPrefix must not be null");
		Objects.requireNonNull(ttl, "ttl must not be null");
		if (ttl.toMillis() < 1) {
			throw new IllegalArgumentException("ttl must be at least 1ms but was " + ttl);
		}
		this.keys = new WorkspaceKeys(keyPrefix);
		this.ttl = ttl;
		this.ttlMillis = Long.toString(ttl.toMillis()).getBytes(StandardCharsets.US_ASCII);
		this.redis = createTemplate(connectionFactory);
	}

	private static RedisTemplate<byte[], byte[]> createTemplate(RedisConnectionFactory connectionFactory) {
		RedisTemplate<byte[], byte[]> template = new RedisTemplate<>();
		template.setConnectionFactory(connectionFactory);
		// Set explicitly: the template would otherwise fall back to Java serialization.
		template.setDefaultSerializer(BYTES);
		template.setKeySerializer(BYTES);
		template.setValueSerializer(BYTES);
		template.setHashKeySerializer(BYTES);
		template.setHashValueSerializer(BYTES);
		// Hand callbacks the connection itself: by default the template wraps it in a new JDK proxy
		// on every call, only to stop callbacks closing it, which ours never do.
		template.setExposeConnection(true);
		template.afterPropertiesSet();
		return template;
	}

	/**
	 * Return the number of stored values that could not be decoded (corrupt, unknown format
	 * version, or wrong Redis type) and were read as misses since this cache was created.
	 * @return the count of unreadable values met
	 */
	public long getUnreadableValueCount() {
		return this.unreadableValues.sum();
	}

	/**
	 * Return the prefix of every key this cache writes.
	 * @return the key prefix
	 */
	public String getKeyPrefix() {
		return this.keys.prefix();
	}

	/**
	 * Return the time-to-live of a workspace.
	 * @return the time-to-live
	 */
	public Duration getTtl() {
		return this.ttl;
	}

	@Override
	protected void doCacheWorkspace(UUID id, WorkspaceSnapshot snapshot) {
		write("cacheWorkspace", id, WorkspaceScripts.META, List.of(SnapshotCodec.encode(snapshot)));
	}

	@Override
	protected Optional<WorkspaceSnapshot> doGetWorkspace(UUID id) {
		byte[] key = this.keys.snapshot(id);
		byte[] value = read("getWorkspace", id, key, (connection) -> connection.stringCommands().get(key));
		return Optional.ofNullable(decode(value, key, null, SnapshotCodec::decode));
	}

	@Override
	protected void doCacheFile(UUID workspaceId, String path, CachedOverlayEntry entry) {
		write("cacheFile", workspaceId, WorkspaceScripts.FILES,
				List.of(path.getBytes(StandardCharsets.UTF_8), OverlayEntryCodec.encode(entry)));
	}

	@Override
	protected Optional<CachedOverlayEntry> doGetFile(UUID workspaceId, String path) {
		byte[] key = this.keys.overlay(workspaceId);
		byte[] field = path.getBytes(StandardCharsets.UTF_8);
		byte[] value = read("getFile", workspaceId, key, (connection) -> connection.hashCommands().hGet(key, field));
		return Optional.ofNullable(decode(value, key, path, OverlayEntryCodec::decode));
	}

	@Override
	protected List<String> doListFiles(UUID workspaceId) {
		byte[] key = this.keys.overlay(workspaceId);
		var fields = read("listFiles", workspaceId, key, (connection) -> connection.hashCommands().hKeys(key));
		if (fields == null || fields.isEmpty()) {
			return List.of();
		}
		List<String> paths = new ArrayList<>(fields.size());
		for (byte[] field : fields) {
			paths.add(new String(field, StandardCharsets.UTF_8));
		}
		Collections.sort(paths);
		return Collections.unmodifiableList(paths);
	}

	@Override
	protected void doCacheGraph(UUID workspaceId, byte[] graphData) {
		write("cacheGraph", workspaceId, WorkspaceScripts.GRAPH, List.of(GraphCodec.encode(graphData)));
	}

	@Override
	protected Optional<byte[]> doGetGraph(UUID workspaceId) {
		byte[] key = this.keys.graph(workspaceId);
		byte[] value = read("getGraph", workspaceId, key, (connection) -> connection.stringCommands().get(key));
		return Optional.ofNullable(decode(value, key, null, GraphCodec::decode));
	}

	@Override
	protected void doEvict(UUID id) {
		byte[][] all = this.keys.all(id);
		// UNLINK frees a large overlay in the background instead of blocking the server.
		execute("evict", id, (connection) -> connection.keyCommands().unlink(all));
	}

	@Override
	protected void doTouch(UUID id) {
		write("touch", id, WorkspaceScripts.TOUCH, List.of());
	}

	@Override
	protected Map<String, CachedOverlayEntry> doGetFiles(UUID workspaceId) {
		byte[] key = this.keys.overlay(workspaceId);
		Map<byte[], byte[]> stored = read("getFiles", workspaceId, key,
				(connection) -> connection.hashCommands().hGetAll(key));
		if (stored == null || stored.isEmpty()) {
			return Map.of();
		}
		TreeMap<String, CachedOverlayEntry> files = new TreeMap<>();
		stored.forEach((field, value) -> {
			String path = new String(field, StandardCharsets.UTF_8);
			CachedOverlayEntry entry = decode(value, key, path, OverlayEntryCodec::decode);
			if (entry != null) {
				files.put(path, entry);
			}
		});
		return Collections.unmodifiableMap(files);
	}

	@Override
	protected void doCacheFiles(UUID workspaceId, Map<String, CachedOverlayEntry> entries) {
		List<byte[]> pairs = new ArrayList<>(entries.size() * 2);
		entries.forEach((path, entry) -> {
			pairs.add(path.getBytes(StandardCharsets.UTF_8));
			pairs.add(OverlayEntryCodec.encode(entry));
		});
		write("cacheFiles", workspaceId, WorkspaceScripts.FILES, pairs);
	}

	private void write(String operation, UUID id, String part, List<byte[]> values) {
		byte[][] args = new byte[values.size() + 2][];
		args[0] = this.ttlMillis;
		args[1] = part.getBytes(StandardCharsets.US_ASCII);
		for (int i = 0; i < values.size(); i++) {
			args[i + 2] = values.get(i);
		}
		List<byte[]> scriptKeys = Arrays.asList(this.keys.all(id));
		try {
			retryWhileSlotMigrates(
					() -> this.redis.execute(WorkspaceScripts.WRITE_AND_EXPIRE, BYTES, null, scriptKeys, (Object[]) args));
		}
		catch (RuntimeException ex) {
			throw failure(operation, id, ex);
		}
	}

	private <T> @Nullable T read(String operation, UUID id, byte[] key, RedisCallback<T> command) {
		try {
			return this.redis.execute(command);
		}
		catch (RuntimeException ex) {
			if (isWrongType(ex)) {
				unreadable(key, null, "the key holds the wrong Redis type");
				return null;
			}
			throw failure(operation, id, ex);
		}
	}

	private void execute(String operation, UUID id, RedisCallback<?> command) {
		try {
			retryWhileSlotMigrates(() -> this.redis.execute(command));
		}
		catch (RuntimeException ex) {
			throw failure(operation, id, ex);
		}
	}

	/**
	 * Run a command on several keys of a workspace, retrying it while Redis Cluster answers
	 * {@code TRYAGAIN}: while the workspace's slot migrates to another master (resharding), a
	 * multi-key command whose keys are not all present on one side is refused with
	 * {@code TRYAGAIN} (Lettuce follows {@code MOVED} and {@code ASK}, not this). The retries
	 * stop after {@link #SLOT_MIGRATION_RETRY_TIME}; single-key commands never get
	 * {@code TRYAGAIN}.
	 */
	private static <T> @Nullable T retryWhileSlotMigrates(Supplier<T> command) {
		long deadline = System.nanoTime() + SLOT_MIGRATION_RETRY_TIME.toNanos();
		long pauseMillis = 2;
		while (true) {
			try {
				return command.get();
			}
			catch (RuntimeException ex) {
				if (!hasErrorCode(ex, "TRYAGAIN") || System.nanoTime() + pauseMillis * 1_000_000 - deadline > 0) {
					throw ex;
				}
			}
			try {
				Thread.sleep(pauseMillis);
			}
			catch (InterruptedException interrupted) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while the workspace's hash slot was migrating", interrupted);
			}
			pauseMillis = Math.min(pauseMillis * 2, 100);
		}
	}

	private <T> @Nullable T decode(byte @Nullable [] value, byte[] key, @Nullable String path,
			Function<byte[], T> decoder) {
		if (value == null) {
			return null;
		}
		try {
			return decoder.apply(value);
		}
		catch (RuntimeException ex) {
			unreadable(key, path, ex.getMessage());
			return null;
		}
	}

	private void unreadable(byte[] key, @Nullable String path, @Nullable String reason) {
		this.unreadableValues.increment();
		if (logger.isWarnEnabled()) {
			String where = (path != null) ? "field '" + path + "' of key '" + this.keys.describe(key) + "'"
					: "key '" + this.keys.describe(key) + "'";
			logger.warn("Ignoring unreadable workspace cache value at " + where + " (read as a miss): " + reason);
		}
	}

	private static boolean isWrongType(Throwable ex) {
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			String message = candidate.getMessage();
			if (message != null && message.startsWith("WRONGTYPE")) {
				return true;
			}
		}
		return false;
	}

	private static boolean hasErrorCode(Throwable ex, String code) {
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			String message = candidate.getMessage();
			if (message != null && message.startsWith(code + " ")) {
				return true;
			}
		}
		return false;
	}

	private static WorkspaceCacheException failure(String operation, UUID id, RuntimeException ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
		return new WorkspaceCacheException(operation, id, CredentialMasking.mask(message), ex);
	}

	@Override
	public String toString() {
		return "ValkeyCache[keyPrefix='" + this.keys.prefix() + "', ttl=" + this.ttl + "]";
	}

}
