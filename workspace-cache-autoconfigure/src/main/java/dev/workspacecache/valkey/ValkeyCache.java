package dev.workspacecache.valkey;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;

import dev.workspacecache.AbstractWorkspaceCache;
import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.ConditionalWriteResult;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceCacheOperation;
import dev.workspacecache.WorkspaceChangeNotifications;
import dev.workspacecache.WorkspaceDescription;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.WorkspaceWrite;
import dev.workspacecache.WriteOutcome;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.util.ClassUtils;

/**
 * A {@link WorkspaceCache} stored in Valkey or Redis, shared by every pod connected to
 * the same server. Runs over a Spring Data Redis {@link RedisConnectionFactory}, so
 * standalone, Sentinel and Cluster deployments all work.
 * <p>
 * A workspace is one HASH key, {@code <prefix>{<uuid>}:workspace}, whose fields are its
 * snapshot, its graph and one overlay entry per path ({@link WorkspaceKeys}). The server
 * stores, expires and evicts that key as one unit, so whatever its
 * {@code maxmemory-policy}, a workspace is whole or gone: {@link #recover} and
 * {@link #getWorkspace} never see a snapshot whose overlay or graph was dropped. Every
 * operation is one round trip on that one key, whatever the number of files: reads are
 * single commands ({@code HGET}, {@code HKEYS}, {@code HGETALL}); writes, {@link #touch},
 * {@link #cacheAll} and {@link #evict} are Lua scripts ({@link WorkspaceScripts}) that
 * check what the key holds and write in one atomic step, and restart the expiry of the
 * whole key with one {@code PEXPIRE}.
 * <p>
 * An evict replaces the key with a small marker that lives for the time-to-live and
 * refuses writes ({@link WriteOutcome#EVICTED}). The marker is a key like any other: a
 * server that evicts under memory pressure may drop it early, and a late write may then
 * store parts of the workspace again, though never its snapshot unless that write is a
 * {@link #cacheAll}.
 * <p>
 * Values are versioned CBOR written with Jackson ({@link OverlayEntryCodec},
 * {@link SnapshotCodec}, {@link GraphCodec}). A value that cannot be decoded, or a key of
 * the wrong type, reads as a miss, is logged at WARN with its key and is counted
 * ({@link #getUnreadableValueCount()}); {@link #recover} reads a workspace with any
 * unreadable part as a miss, never as a partial workspace. {@link #listFiles} reads paths
 * only, so it still lists a path whose value is unreadable; {@link #getFiles} leaves such
 * a path out.
 * <p>
 * Server failures throw {@link WorkspaceCacheException}. How long a caller can wait is
 * bounded by the connection's command timeout ({@code spring.data.redis.timeout}). With a
 * {@link ServerAvailability}, a cache whose server cannot be reached stops waiting: calls
 * throw {@link dev.workspacecache.WorkspaceCacheUnavailableException} at once until a
 * background probe reaches the server again. {@link ReactiveValkeyCache#of(ValkeyCache)}
 * gives the reactive side of this cache, which shares its server availability.
 */
public class ValkeyCache extends AbstractWorkspaceCache {

	private static final RedisSerializer<byte[]> BYTES = RedisSerializer.byteArray();

	/**
	 * A class of Lettuce, an optional dependency: looked up by name at runtime, so
	 * {@link ValkeyCacheRuntimeHints} registers it for a native image.
	 */
	static final String LETTUCE_CLIENT = "io.lettuce.core.RedisClient";

	private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent(LETTUCE_CLIENT,
			ValkeyCache.class.getClassLoader());

	private static final byte[] DESCRIBE_SCRIPT = WorkspaceScripts.DESCRIBE.getBytes(StandardCharsets.UTF_8);

	private final RedisTemplate<byte[], byte[]> redis;

	private final WorkspaceKeys keys;

	private final Duration ttl;

	private final byte[] ttlMillis;

	private final StoredWorkspaceDecoder decoder;

	private final @Nullable ServerAvailability availability;

	private final ContentCompression compression;

	private final OverlayEntryCodec overlayEntries;

	private volatile @Nullable String changeOrigin;

	/**
	 * Create a cache over the given connection factory.
	 * @param connectionFactory the connection to Valkey or Redis
	 * @param keyPrefix the prefix of every key, for example {@code "workspace-cache:"};
	 * may be empty, must not contain braces
	 * @param ttl the time-to-live of a workspace, restarted by every write and touch; at
	 * least one millisecond
	 * @param maxEntrySize the largest file content or graph accepted, in bytes
	 */
	public ValkeyCache(RedisConnectionFactory connectionFactory, String keyPrefix, Duration ttl, long maxEntrySize) {
		this(connectionFactory, keyPrefix, ttl, maxEntrySize, null);
	}

	/**
	 * Create a cache over the given connection factory that fails fast while its server
	 * is unavailable.
	 * @param connectionFactory the connection to Valkey or Redis
	 * @param keyPrefix the prefix of every key, for example {@code "workspace-cache:"};
	 * may be empty, must not contain braces
	 * @param ttl the time-to-live of a workspace, restarted by every write and touch; at
	 * least one millisecond
	 * @param maxEntrySize the largest file content or graph accepted, in bytes
	 * @param availability decides when calls fail fast, and probes the server over this
	 * cache's connection while they do; {@code null} to let every call wait for the
	 * server
	 */
	public ValkeyCache(RedisConnectionFactory connectionFactory, String keyPrefix, Duration ttl, long maxEntrySize,
			@Nullable ServerAvailability availability) {
		this(connectionFactory, keyPrefix, ttl, maxEntrySize, availability, ContentCompression.none());
	}

	/**
	 * Create a cache over the given connection factory that stores file content as
	 * {@code compression} says. Whatever the setting, the cache reads content stored raw
	 * and compressed.
	 * @param connectionFactory the connection to Valkey or Redis
	 * @param keyPrefix the prefix of every key, for example {@code "workspace-cache:"};
	 * may be empty, must not contain braces
	 * @param ttl the time-to-live of a workspace, restarted by every write and touch; at
	 * least one millisecond
	 * @param maxEntrySize the largest file content or graph accepted, in bytes; also the
	 * largest a compressed value may decompress to
	 * @param availability decides when calls fail fast, and probes the server over this
	 * cache's connection while they do; {@code null} to let every call wait for the
	 * server
	 * @param compression how file content is stored
	 */
	public ValkeyCache(RedisConnectionFactory connectionFactory, String keyPrefix, Duration ttl, long maxEntrySize,
			@Nullable ServerAvailability availability, ContentCompression compression) {
		super(maxEntrySize);
		Objects.requireNonNull(compression, "compression must not be null");
		this.compression = compression;
		this.overlayEntries = new OverlayEntryCodec(compression, maxEntrySize);
		Objects.requireNonNull(connectionFactory, "connectionFactory must not be null");
		Objects.requireNonNull(keyPrefix, "keyPrefix must not be null");
		Objects.requireNonNull(ttl, "ttl must not be null");
		if (ttl.toMillis() < 1) {
			throw new IllegalArgumentException("ttl must be at least 1ms but was " + ttl);
		}
		this.keys = new WorkspaceKeys(keyPrefix);
		this.decoder = new StoredWorkspaceDecoder(this.keys, this.overlayEntries);
		this.ttl = ttl;
		this.ttlMillis = Long.toString(ttl.toMillis()).getBytes(StandardCharsets.US_ASCII);
		this.redis = createTemplate(connectionFactory);
		this.availability = availability;
		if (availability != null) {
			// The health check's ping: it bypasses the circuit, as a probe must.
			availability.probeWith(this::ping);
		}
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
		// Hand callbacks the connection itself: by default the template wraps it in a new
		// JDK proxy on every call, only to stop callbacks closing it, which ours never
		// do.
		template.setExposeConnection(true);
		template.afterPropertiesSet();
		return template;
	}

	/**
	 * Return the number of stored values that could not be decoded (corrupt, unknown
	 * format version, or wrong Redis type) and were read as misses since this cache was
	 * created, by this cache and by the {@link ReactiveValkeyCache} made of it
	 * ({@link ReactiveValkeyCache#of(ValkeyCache)}): the values are the same.
	 * @return the count of unreadable values met
	 */
	public long getUnreadableValueCount() {
		return this.decoder.unreadableValueCount();
	}

	// What a ReactiveValkeyCache made of this cache shares with it.
	StoredWorkspaceDecoder decoder() {
		return this.decoder;
	}

	@Nullable String changeOrigin() {
		return this.changeOrigin;
	}

	/**
	 * Return the connection factory this cache runs over.
	 * @return the connection factory
	 */
	public RedisConnectionFactory getConnectionFactory() {
		return this.redis.getRequiredConnectionFactory();
	}

	/**
	 * Return what decides when this cache fails fast.
	 * @return the server availability, or empty when every call waits for the server
	 */
	public Optional<ServerAvailability> getServerAvailability() {
		return Optional.ofNullable(this.availability);
	}

	/**
	 * Return how this cache stores file content.
	 * @return the compression setting
	 */
	public ContentCompression getContentCompression() {
		return this.compression;
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

	/**
	 * Announce every change this cache makes on the workspace's change channel, as made
	 * by the given notifications' instance, so that every instance that watches the
	 * workspace hears of it ({@link ValkeyWorkspaceChangeNotifications}). Set it before
	 * the cache is used.
	 * @param notifications the notifications of this instance, or {@code null} to
	 * announce nothing
	 */
	public void setChangeNotifications(@Nullable WorkspaceChangeNotifications notifications) {
		this.changeOrigin = (notifications != null) ? notifications.getInstanceId() : null;
	}

	@Override
	protected WriteOutcome doCacheWorkspace(UUID id, WorkspaceSnapshot snapshot) {
		return write(WorkspaceCacheOperation.CACHE_WORKSPACE, id, ScriptedWrite.snapshot(snapshot));
	}

	@Override
	protected Optional<WorkspaceSnapshot> doGetWorkspace(UUID id) {
		byte[] key = this.keys.workspace(id);
		byte[] value = read(WorkspaceCacheOperation.GET_WORKSPACE, id, key,
				(connection) -> connection.hashCommands().hGet(key, WorkspaceKeys.SNAPSHOT_FIELD));
		recordBytesRead(length(value));
		return Optional.ofNullable(this.decoder.snapshot(value, key));
	}

	@Override
	protected WriteOutcome doCacheFile(UUID workspaceId, String path, CachedOverlayEntry entry) {
		return write(WorkspaceCacheOperation.CACHE_FILE, workspaceId,
				ScriptedWrite.file(path, entry, this.overlayEntries));
	}

	@Override
	protected Optional<CachedOverlayEntry> doGetFile(UUID workspaceId, String path) {
		byte[] key = this.keys.workspace(workspaceId);
		byte[] field = WorkspaceKeys.fileField(path);
		byte[] value = read(WorkspaceCacheOperation.GET_FILE, workspaceId, key,
				(connection) -> connection.hashCommands().hGet(key, field));
		recordBytesRead(length(value));
		return Optional.ofNullable(this.decoder.entry(value, key, path));
	}

	@Override
	protected List<String> doListFiles(UUID workspaceId) {
		byte[] key = this.keys.workspace(workspaceId);
		return this.decoder.paths(read(WorkspaceCacheOperation.LIST_FILES, workspaceId, key,
				(connection) -> connection.hashCommands().hKeys(key)));
	}

	@Override
	protected WriteOutcome doCacheGraph(UUID workspaceId, byte[] graphData) {
		return write(WorkspaceCacheOperation.CACHE_GRAPH, workspaceId, ScriptedWrite.graph(graphData));
	}

	@Override
	protected Optional<byte[]> doGetGraph(UUID workspaceId) {
		byte[] key = this.keys.workspace(workspaceId);
		byte[] value = read(WorkspaceCacheOperation.GET_GRAPH, workspaceId, key,
				(connection) -> connection.hashCommands().hGet(key, WorkspaceKeys.GRAPH_FIELD));
		recordBytesRead(length(value));
		return Optional.ofNullable(this.decoder.graph(value, key));
	}

	@Override
	protected void doEvict(UUID id) {
		run(WorkspaceCacheOperation.EVICT, id, ScriptedWrite.evict(), null);
	}

	@Override
	protected WriteOutcome doTouch(UUID id) {
		return write(WorkspaceCacheOperation.TOUCH, id, ScriptedWrite.touch());
	}

	@Override
	protected Map<String, CachedOverlayEntry> doGetFiles(UUID workspaceId) {
		byte[] key = this.keys.workspace(workspaceId);
		Map<byte[], byte[]> stored = read(WorkspaceCacheOperation.GET_FILES, workspaceId, key,
				(connection) -> connection.hashCommands().hGetAll(key));
		recordBytesRead(StoredWorkspaceDecoder.valueBytes(stored));
		return this.decoder.files(key, stored);
	}

	@Override
	protected WriteOutcome doCacheFiles(UUID workspaceId, Map<String, CachedOverlayEntry> entries) {
		return write(WorkspaceCacheOperation.CACHE_FILES, workspaceId,
				ScriptedWrite.files(entries, this.overlayEntries));
	}

	@Override
	protected Optional<CachedWorkspace> doRecover(UUID id) {
		byte[] key = this.keys.workspace(id);
		StoredFields stored = read(WorkspaceCacheOperation.RECOVER, id, key,
				(connection) -> storedFields(connection, key));
		if (stored == null) {
			return Optional.empty();
		}
		recordBytesRead(stored.valueBytes());
		return Optional.ofNullable(this.decoder.workspace(key, stored));
	}

	// With Lettuce, WorkspaceHashOutput reads the entries out of the reply's buffers,
	// saving a copy of every file's content; any other client replies with a map.
	private static StoredFields storedFields(RedisConnection connection, byte[] key) {
		if (LETTUCE_PRESENT && connection instanceof LettuceConnection lettuce) {
			return (StoredFields) Objects.requireNonNull(lettuce.execute("HGETALL", new WorkspaceHashOutput(), key));
		}
		return StoredFields.of(connection.hashCommands().hGetAll(key));
	}

	@Override
	protected WriteOutcome doCacheAll(UUID id, CachedWorkspace workspace) {
		return write(WorkspaceCacheOperation.CACHE_ALL, id, ScriptedWrite.whole(workspace, this.overlayEntries));
	}

	/**
	 * Apply a write if the workspace is at the expected version: the same scripts as the
	 * unconditional writes, given the expected version, check it on the server in the
	 * same atomic step as the write.
	 * @param id the workspace id
	 * @param expectedVersion the expected version
	 * @param write the write
	 * @return whether it was applied, what the key held and the version
	 */
	@Override
	protected ConditionalWriteResult doWriteIfVersion(UUID id, long expectedVersion, WorkspaceWrite write) {
		ScriptedWrite scripted = ScriptedWrite.of(write, this.overlayEntries);
		List<?> reply = run(WorkspaceCacheOperation.WRITE_IF_VERSION, id, scripted, expectedVersion);
		boolean applied = WorkspaceScripts.applied(reply);
		if (applied) {
			recordBytesWritten(scripted.valueBytes());
		}
		return new ConditionalWriteResult(applied, WorkspaceScripts.outcome(reply), WorkspaceScripts.version(reply));
	}

	/**
	 * Describe a workspace in one round trip on its key, reading no value: a read-only
	 * script sums the sizes of the stored values ({@code HSTRLEN}) and reads the time
	 * left ({@code PTTL}), see {@link WorkspaceScripts#DESCRIBE}. The workspace is not
	 * touched. A key of the wrong Redis type is counted as unreadable and described as
	 * nothing, as reads treat it.
	 * @param id the workspace id
	 * @return the description; empty when the key is absent or holds the evict marker
	 * @throws WorkspaceCacheException if the server fails
	 */
	@Override
	protected Optional<WorkspaceDescription> doDescribe(UUID id) {
		byte[] key = this.keys.workspace(id);
		// EVAL rather than EVALSHA: an operator's occasional call, not worth a NOSCRIPT
		// retry.
		List<Object> reply = read(WorkspaceCacheOperation.DESCRIBE, id, key,
				(connection) -> connection.scriptingCommands().eval(DESCRIBE_SCRIPT, ReturnType.MULTI, 1, key));
		return Optional.ofNullable(StoredWorkspaceDecoder.description(reply));
	}

	/**
	 * Check the server over this cache's own connection: a {@code PING}, timed, then
	 * {@code INFO server} for the server's name and version, each command bounded by the
	 * connection's command timeout ({@link #getCommandTimeout()}). Meant for health
	 * checks: it deliberately bypasses any protection the cache's operations have against
	 * a failing server, so that it reports the server as it is.
	 * @return what the server said and how long the {@code PING} took
	 * @throws WorkspaceCacheException if the server cannot be reached or fails
	 */
	public ServerPing ping() {
		RedisConnectionFactory connectionFactory = getConnectionFactory();
		ServerPing ping;
		try {
			ping = this.redis.execute((RedisCallback<ServerPing>) (connection) -> {
				long start = System.nanoTime();
				connection.ping();
				Duration latency = Duration.ofNanos(System.nanoTime() - start);
				Properties info = connection.serverCommands().info("server");
				return ServerPing.of((info != null) ? info : new Properties(), topology(connectionFactory, connection),
						latency);
			});
		}
		catch (RuntimeException ex) {
			throw ServerErrors.failure(WorkspaceCacheOperation.PING, null, ex);
		}
		if (ping == null) {
			throw new WorkspaceCacheException(WorkspaceCacheOperation.PING, null, "no reply", null);
		}
		return ping;
	}

	/**
	 * Return how long one command of this cache may take, as its connection is configured
	 * ({@code spring.data.redis.timeout} for Spring Boot's connection): the bound of
	 * every call, {@link #ping()} included.
	 * @return the command timeout, or {@code null} when the connection factory does not
	 * tell (one that is not Lettuce's)
	 */
	public @Nullable Duration getCommandTimeout() {
		RedisConnectionFactory connectionFactory = getConnectionFactory();
		if (LETTUCE_PRESENT && connectionFactory instanceof LettuceConnectionFactory lettuce) {
			return Duration.ofMillis(lettuce.getTimeout());
		}
		return null;
	}

	private static ServerPing.Topology topology(RedisConnectionFactory connectionFactory, RedisConnection connection) {
		if (connection instanceof RedisClusterConnection) {
			return ServerPing.Topology.CLUSTER;
		}
		// Lettuce, which the starter brings, is optional: a Jedis application is reported
		// as standalone.
		if (LETTUCE_PRESENT && connectionFactory instanceof LettuceConnectionFactory lettuce
				&& lettuce.isRedisSentinelAware()) {
			return ServerPing.Topology.SENTINEL;
		}
		return ServerPing.Topology.STANDALONE;
	}

	private WriteOutcome write(WorkspaceCacheOperation operation, UUID id, ScriptedWrite write) {
		WriteOutcome outcome = WorkspaceScripts.outcome(run(operation, id, write, null));
		if (write.hasFields()) {
			recordBytesWritten(write.valueBytes());
		}
		return outcome;
	}

	// KEYS: the workspace alone; ARGV: see ScriptedWrite.
	private <T> @Nullable T run(WorkspaceCacheOperation operation, UUID id, ScriptedWrite write,
			@Nullable Long expectedVersion) {
		byte[][] args = write.arguments(this.ttlMillis, expectedVersion, this.changeOrigin, this.keys, id);
		RedisScript<T> script = write.script();
		List<byte[]> scriptKeys = List.of(this.keys.workspace(id));
		return guarded(operation, id, () -> {
			for (boolean retried = false;; retried = true) {
				try {
					return this.redis.execute(script, BYTES, null, scriptKeys, (Object[]) args);
				}
				catch (RuntimeException ex) {
					// An evict runs once more, only while its slot migrates: the first
					// run unlinked the workspace on the migrating node and could not
					// write the marker there; the second run writes it on the importing
					// node.
					if (retried || operation != WorkspaceCacheOperation.EVICT || !ServerErrors.isNonLocalKey(ex)) {
						throw ServerErrors.failure(operation, id, ex);
					}
				}
			}
		});
	}

	private <T> @Nullable T read(WorkspaceCacheOperation operation, UUID id, byte[] key, RedisCallback<T> command) {
		return guarded(operation, id, () -> {
			try {
				// The connection itself rather than a proxy that keeps callbacks from
				// closing it (which none does): recover needs Lettuce's own API.
				return this.redis.execute(command, true);
			}
			catch (RuntimeException ex) {
				if (ServerErrors.isWrongType(ex)) {
					this.decoder.unreadable(key, null, "the key holds the wrong Redis type");
					return null;
				}
				throw ServerErrors.failure(operation, id, ex);
			}
		});
	}

	private <T> @Nullable T guarded(WorkspaceCacheOperation operation, UUID id, Supplier<@Nullable T> call) {
		ServerAvailability availability = this.availability;
		return (availability != null) ? availability.call(operation, id, call) : call.get();
	}

	// What the metrics count as bytes moved: the encoded values sent or received (see
	// ScriptedWrite.valueBytes and StoredWorkspaceDecoder.valueBytes).

	private static long length(byte @Nullable [] value) {
		return (value != null) ? value.length : 0;
	}

	@Override
	protected String getObservationMode() {
		return "valkey";
	}

	@Override
	public String toString() {
		return "ValkeyCache[keyPrefix='" + this.keys.prefix() + "', ttl=" + this.ttl + "]";
	}

}
