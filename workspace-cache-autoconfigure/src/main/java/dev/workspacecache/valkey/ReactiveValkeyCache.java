package dev.workspacecache.valkey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import dev.workspacecache.AbstractReactiveWorkspaceCache;
import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.ConditionalWriteResult;
import dev.workspacecache.ReactiveWorkspaceCache;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceCacheOperation;
import dev.workspacecache.WorkspaceChangeNotifications;
import dev.workspacecache.WorkspaceDescription;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.WorkspaceWrite;
import dev.workspacecache.WriteOutcome;
import dev.workspacecache.observation.WorkspaceCacheObservationContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.util.ByteUtils;

/**
 * A {@link ReactiveWorkspaceCache} stored in Valkey or Redis, over a Spring Data Redis
 * {@link ReactiveRedisConnectionFactory} (Lettuce). It stores workspaces exactly as
 * {@link ValkeyCache} does: the same key per workspace ({@link WorkspaceKeys}), the same
 * scripts ({@link WorkspaceScripts}), values, versions and change announcements. A
 * reactive pod and a blocking pod with the same key prefix therefore share workspaces,
 * and each hears of the other's changes.
 * <p>
 * Every operation is the one round trip of its blocking counterpart, sent without
 * waiting: the returned {@link Mono} completes on the client's I/O thread when the server
 * replies, where the reply is also decoded. Decoding is CPU work only (CBOR, and
 * decompression bounded by the maximum entry size), so no thread is ever blocked. A value
 * that cannot be decoded reads as a miss, is logged at WARN and counted, as in
 * {@link ValkeyCache}; a server failure is an error signal of a
 * {@link WorkspaceCacheException}.
 * <p>
 * Made of a {@link ValkeyCache} ({@link #of(ValkeyCache)}, as the auto-configuration
 * does), it is that cache's reactive side: the same connection factory, settings and
 * unreadable-value count, and the same {@link ServerAvailability}, so that it fails fast
 * as the blocking cache does, with one circuit for both. While the circuit is open a call
 * signals {@link dev.workspacecache.WorkspaceCacheUnavailableException} at subscription,
 * without a command; otherwise its end is counted in the circuit as a blocking call's
 * return is (a cancelled call is not counted), and the blocking cache's background probe
 * closes the circuit again. Without a {@link ServerAvailability} a caller bounds its wait
 * with {@link Mono#timeout(Duration)}, and the connection's command timeout applies.
 * <p>
 * Calls are observed as {@link AbstractReactiveWorkspaceCache} says, with the mode
 * {@code valkey} and the bytes of the encoded values the server returned or was sent, as
 * {@link ValkeyCache} measures them.
 * <p>
 * {@link #close()} (called by Spring when the cache is a bean) releases what this cache
 * opened; from then on every call signals a {@link WorkspaceCacheException} saying that
 * the cache is closed. A connection factory that shares one native connection (Lettuce's
 * default) keeps that connection, its own, until the factory is destroyed.
 */
public class ReactiveValkeyCache extends AbstractReactiveWorkspaceCache implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ReactiveValkeyCache.class);

	private static final RedisScript<List> DESCRIBE = ConstantScript.of(WorkspaceScripts.DESCRIBE, List.class);

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	private final Mono<ReactiveRedisConnection> connection;

	/** The connection taken from the factory, once taken: closed with the cache. */
	private final AtomicReference<@Nullable ReactiveRedisConnection> taken = new AtomicReference<>();

	private final WorkspaceKeys keys;

	private final Duration ttl;

	private final byte[] ttlMillis;

	private final ContentCompression compression;

	private final OverlayEntryCodec overlayEntries;

	private final StoredWorkspaceDecoder decoder;

	private final @Nullable ServerAvailability availability;

	private volatile @Nullable String changeOrigin;

	private volatile boolean closed;

	/**
	 * Create a cache over the given connection factory that stores file content as
	 * {@code compression} says; whatever the setting, it reads content stored raw and
	 * compressed. It does not fail fast: see {@link #of(ValkeyCache)} for one that does.
	 * @param connectionFactory the reactive connection to Valkey or Redis
	 * @param keyPrefix the prefix of every key; may be empty, must not contain braces
	 * @param ttl the time-to-live of a workspace, restarted by every write and touch; at
	 * least one millisecond
	 * @param maxEntrySize the largest file content or graph accepted, in bytes; also the
	 * largest a compressed value may decompress to
	 * @param compression how file content is stored
	 */
	public ReactiveValkeyCache(ReactiveRedisConnectionFactory connectionFactory, String keyPrefix, Duration ttl,
			long maxEntrySize, ContentCompression compression) {
		this(connectionFactory, ttl, maxEntrySize, compression,
				decoder(keyPrefix, maxEntrySize, Objects.requireNonNull(compression, "compression must not be null")),
				null);
	}

	/**
	 * Create a cache over the given connection factory that stores content raw.
	 * @param connectionFactory the reactive connection to Valkey or Redis
	 * @param keyPrefix the prefix of every key; may be empty, must not contain braces
	 * @param ttl the time-to-live of a workspace; at least one millisecond
	 * @param maxEntrySize the largest file content or graph accepted, in bytes
	 */
	public ReactiveValkeyCache(ReactiveRedisConnectionFactory connectionFactory, String keyPrefix, Duration ttl,
			long maxEntrySize) {
		this(connectionFactory, keyPrefix, ttl, maxEntrySize, ContentCompression.none());
	}

	private ReactiveValkeyCache(ReactiveRedisConnectionFactory connectionFactory, Duration ttl, long maxEntrySize,
			ContentCompression compression, StoredWorkspaceDecoder decoder, @Nullable ServerAvailability availability) {
		super(maxEntrySize);
		Objects.requireNonNull(connectionFactory, "connectionFactory must not be null");
		Objects.requireNonNull(ttl, "ttl must not be null");
		if (ttl.toMillis() < 1) {
			throw new IllegalArgumentException("ttl must be at least 1ms but was " + ttl);
		}
		this.keys = decoder.keys();
		this.ttl = ttl;
		this.ttlMillis = Long.toString(ttl.toMillis()).getBytes(StandardCharsets.US_ASCII);
		this.compression = compression;
		this.overlayEntries = decoder.overlayEntries();
		this.decoder = decoder;
		this.availability = availability;
		// One connection for the cache's life, obtained once, off the caller's thread: a
		// Lettuce factory that shares its native connection connects it synchronously on
		// first use, which would block a Reactor thread, and takes a lock on every later
		// one. Over the shared connection, commands are multiplexed and the client
		// reconnects by itself; a failure to connect is not kept, the next call tries
		// again.
		this.connection = Mono.fromSupplier(() -> take(connectionFactory))
			.subscribeOn(Schedulers.boundedElastic())
			.cacheInvalidateIf((connection) -> false);
	}

	private static StoredWorkspaceDecoder decoder(String keyPrefix, long maxEntrySize, ContentCompression compression) {
		Objects.requireNonNull(keyPrefix, "keyPrefix must not be null");
		return new StoredWorkspaceDecoder(new WorkspaceKeys(keyPrefix),
				new OverlayEntryCodec(compression, maxEntrySize));
	}

	/**
	 * Return the reactive side of a {@link ValkeyCache}: a cache over the same connection
	 * factory, with its key prefix, time-to-live, maximum entry size, compression and
	 * change announcements, counting unreadable values in the same count, and failing
	 * fast with the same {@link ServerAvailability} when it has one. Failing fast needs
	 * Resilience4j's Reactor module ({@code io.github.resilience4j:resilience4j-reactor},
	 * which the starter brings); without it reactive calls wait for the server, and a
	 * warning says so. The observation registry is not taken: set it on each cache.
	 * @param cache the blocking cache, whose connection factory must be reactive
	 * (Lettuce's is)
	 * @return the reactive cache
	 * @throws IllegalArgumentException if the cache's connection factory is not a
	 * {@link ReactiveRedisConnectionFactory}
	 */
	public static ReactiveValkeyCache of(ValkeyCache cache) {
		return of(cache, ReactiveValkeyCache.class.getClassLoader());
	}

	/**
	 * Return the reactive side of a {@link ValkeyCache}, looking for Resilience4j's
	 * Reactor module in the given class loader: see {@link #of(ValkeyCache)}.
	 * @param cache the blocking cache
	 * @param classLoader where to look for Resilience4j's Reactor module
	 * @return the reactive cache
	 */
	static ReactiveValkeyCache of(ValkeyCache cache, @Nullable ClassLoader classLoader) {
		Objects.requireNonNull(cache, "cache must not be null");
		if (!(cache.getConnectionFactory() instanceof ReactiveRedisConnectionFactory connectionFactory)) {
			throw new IllegalArgumentException("The cache's connection factory, a "
					+ cache.getConnectionFactory().getClass().getName() + ", is not a ReactiveRedisConnectionFactory");
		}
		ServerAvailability availability = cache.getServerAvailability().orElse(null);
		if (availability != null && !ReactiveServerAvailability.isSupported(classLoader)) {
			logger.warn("Reactive workspace cache calls do not fail fast: "
					+ "io.github.resilience4j:resilience4j-reactor is not on the classpath");
			availability = null;
		}
		ReactiveValkeyCache reactive = new ReactiveValkeyCache(connectionFactory, cache.getTtl(),
				cache.getMaxEntrySize(), cache.getContentCompression(), cache.decoder(), availability);
		reactive.changeOrigin = cache.changeOrigin();
		return reactive;
	}

	/**
	 * Announce every change this cache makes on the workspace's change channel, as made
	 * by the given notifications' instance, like
	 * {@link ValkeyCache#setChangeNotifications}. Set it before the cache is used.
	 * @param notifications the notifications of this instance, or {@code null} to
	 * announce nothing
	 */
	public void setChangeNotifications(@Nullable WorkspaceChangeNotifications notifications) {
		this.changeOrigin = (notifications != null) ? notifications.getInstanceId() : null;
	}

	/**
	 * Return the number of stored values that could not be decoded and were read as
	 * misses since this cache was created; for a cache made of a {@link ValkeyCache}, the
	 * count the two share.
	 * @return the count of unreadable values met
	 */
	public long getUnreadableValueCount() {
		return this.decoder.unreadableValueCount();
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
	 * Return how this cache stores file content.
	 * @return the compression setting
	 */
	public ContentCompression getContentCompression() {
		return this.compression;
	}

	/**
	 * Return what decides when this cache fails fast.
	 * @return the server availability it shares with the {@link ValkeyCache} it was made
	 * of, or empty when every call waits for the server
	 */
	public Optional<ServerAvailability> getServerAvailability() {
		return Optional.ofNullable(this.availability);
	}

	@Override
	protected String getObservationMode() {
		return "valkey";
	}

	@Override
	protected Mono<WriteOutcome> doCacheWorkspace(UUID id, WorkspaceSnapshot snapshot) {
		return write(WorkspaceCacheOperation.CACHE_WORKSPACE, id, ScriptedWrite.snapshot(snapshot));
	}

	@Override
	protected Mono<WorkspaceSnapshot> doGetWorkspace(UUID id) {
		byte[] key = this.keys.workspace(id);
		return value(WorkspaceCacheOperation.GET_WORKSPACE, id, key, WorkspaceKeys.SNAPSHOT_FIELD)
			.mapNotNull((value) -> this.decoder.snapshot(value, key));
	}

	@Override
	protected Mono<WriteOutcome> doCacheFile(UUID workspaceId, String path, CachedOverlayEntry entry) {
		return write(WorkspaceCacheOperation.CACHE_FILE, workspaceId,
				ScriptedWrite.file(path, entry, this.overlayEntries));
	}

	@Override
	protected Mono<CachedOverlayEntry> doGetFile(UUID workspaceId, String path) {
		byte[] key = this.keys.workspace(workspaceId);
		return value(WorkspaceCacheOperation.GET_FILE, workspaceId, key, WorkspaceKeys.fileField(path))
			.mapNotNull((value) -> this.decoder.entry(value, key, path));
	}

	@Override
	protected Mono<List<String>> doListFiles(UUID workspaceId) {
		byte[] key = this.keys.workspace(workspaceId);
		return read(WorkspaceCacheOperation.LIST_FILES, workspaceId, key,
				this.connection.flatMap((redis) -> redis.hashCommands()
					.hKeys(ByteBuffer.wrap(key))
					.map(ReactiveValkeyCache::bytes)
					.collectList()))
			.map(this.decoder::paths)
			.defaultIfEmpty(List.of());
	}

	@Override
	protected Mono<WriteOutcome> doCacheGraph(UUID workspaceId, byte[] graphData) {
		return write(WorkspaceCacheOperation.CACHE_GRAPH, workspaceId, ScriptedWrite.graph(graphData));
	}

	@Override
	protected Mono<byte[]> doGetGraph(UUID workspaceId) {
		byte[] key = this.keys.workspace(workspaceId);
		return value(WorkspaceCacheOperation.GET_GRAPH, workspaceId, key, WorkspaceKeys.GRAPH_FIELD)
			.mapNotNull((value) -> this.decoder.graph(value, key));
	}

	@Override
	protected Mono<Void> doEvict(UUID id) {
		// Once more, only while its slot migrates: the first run unlinked the workspace
		// on the migrating node and could not write the marker there; the second run
		// writes it on the importing node (as ValkeyCache does).
		Mono<Long> evict = run(id, ScriptedWrite.evict(), null);
		return guarded(WorkspaceCacheOperation.EVICT, id,
				evict.onErrorResume(ServerErrors::isNonLocalKey, (ex) -> run(id, ScriptedWrite.evict(), null))
					.onErrorMap((ex) -> !(ex instanceof WorkspaceCacheException),
							(ex) -> ServerErrors.failure(WorkspaceCacheOperation.EVICT, id, ex)))
			.then();
	}

	@Override
	protected Mono<WriteOutcome> doTouch(UUID id) {
		return write(WorkspaceCacheOperation.TOUCH, id, ScriptedWrite.touch());
	}

	@Override
	protected Mono<Map<String, CachedOverlayEntry>> doGetFiles(UUID workspaceId) {
		byte[] key = this.keys.workspace(workspaceId);
		return entries(WorkspaceCacheOperation.GET_FILES, workspaceId, key)
			.map((stored) -> this.decoder.files(key, stored))
			.defaultIfEmpty(Map.of());
	}

	@Override
	protected Mono<WriteOutcome> doCacheFiles(UUID workspaceId, Map<String, CachedOverlayEntry> entries) {
		return write(WorkspaceCacheOperation.CACHE_FILES, workspaceId,
				ScriptedWrite.files(entries, this.overlayEntries));
	}

	@Override
	protected Mono<CachedWorkspace> doRecover(UUID id) {
		byte[] key = this.keys.workspace(id);
		return entries(WorkspaceCacheOperation.RECOVER, id, key)
			.mapNotNull((stored) -> this.decoder.workspace(key, stored));
	}

	@Override
	protected Mono<WriteOutcome> doCacheAll(UUID id, CachedWorkspace workspace) {
		return write(WorkspaceCacheOperation.CACHE_ALL, id, ScriptedWrite.whole(workspace, this.overlayEntries));
	}

	@Override
	protected Mono<ConditionalWriteResult> doWriteIfVersion(UUID id, long expectedVersion, WorkspaceWrite write) {
		ScriptedWrite scripted = ScriptedWrite.of(write, this.overlayEntries);
		Mono<ConditionalWriteResult> result = this.<List<?>>run(id, scripted, expectedVersion)
			.map((reply) -> new ConditionalWriteResult(WorkspaceScripts.applied(reply), WorkspaceScripts.outcome(reply),
					WorkspaceScripts.version(reply)))
			.onErrorMap((ex) -> ServerErrors.failure(WorkspaceCacheOperation.WRITE_IF_VERSION, id, ex));
		// A refused write sent its values for nothing: only an applied one wrote them.
		return withBytesWritten(guarded(WorkspaceCacheOperation.WRITE_IF_VERSION, id, result),
				(written) -> written.applied() ? scripted.valueBytes() : WorkspaceCacheObservationContext.NOT_MEASURED);
	}

	/**
	 * Describe a workspace in one round trip on its key, reading no value, as
	 * {@link ValkeyCache#describe(UUID)} does.
	 * @param id the workspace id
	 * @return the description; empty when the key is absent or holds the evict marker
	 */
	@Override
	protected Mono<WorkspaceDescription> doDescribe(UUID id) {
		byte[] key = this.keys.workspace(id);
		return read(WorkspaceCacheOperation.DESCRIBE, id, key, eval(DESCRIBE, key, new byte[0][]))
			.mapNotNull(StoredWorkspaceDecoder::description);
	}

	/**
	 * Release what this cache opened: the connection it took from its factory, when the
	 * factory gave it one of its own (a factory that shares one native connection keeps
	 * that connection until it is destroyed). Calls made afterwards signal a
	 * {@link WorkspaceCacheException} saying that the cache is closed; calls under way
	 * end as the connection ends them. Waits at most 5 seconds, so call it from a thread
	 * that may block, as Spring does when it destroys the bean. Closing again does
	 * nothing.
	 */
	@Override
	public void close() {
		this.closed = true;
		release();
	}

	// The connection of this cache, kept to be closed with it: one taken while the cache
	// closed is closed at once.
	private ReactiveRedisConnection take(ReactiveRedisConnectionFactory connectionFactory) {
		ReactiveRedisConnection connection = connectionFactory.getReactiveConnection();
		this.taken.set(connection);
		if (this.closed) {
			release();
			throw new IllegalStateException("The cache is closed");
		}
		return connection;
	}

	private void release() {
		ReactiveRedisConnection connection = this.taken.getAndSet(null);
		if (connection != null) {
			connection.closeLater().block(CLOSE_TIMEOUT);
		}
	}

	// One value of the workspace's key (HGET), and the bytes it read: none on a miss.
	private Mono<byte[]> value(WorkspaceCacheOperation operation, UUID id, byte[] key, byte[] field) {
		Mono<byte[]> value = this.connection.flatMap((redis) -> redis.hashCommands()
			.hGet(ByteBuffer.wrap(key), ByteBuffer.wrap(field))
			.map(ReactiveValkeyCache::bytes));
		return withBytesRead(read(operation, id, key, value), (read) -> read.length);
	}

	// Every field and value of the workspace's key, in one HGETALL, and the bytes of the
	// values.
	private Mono<Map<byte[], byte[]>> entries(WorkspaceCacheOperation operation, UUID id, byte[] key) {
		Mono<Map<byte[], byte[]>> entries = this.connection.flatMap((redis) -> redis.hashCommands()
			.hGetAll(ByteBuffer.wrap(key))
			.collect(LinkedHashMap::new,
					(stored, field) -> stored.put(bytes(field.getKey()), bytes(field.getValue()))));
		return withBytesRead(read(operation, id, key, entries), StoredWorkspaceDecoder::valueBytes);
	}

	private Mono<WriteOutcome> write(WorkspaceCacheOperation operation, UUID id, ScriptedWrite write) {
		Mono<WriteOutcome> outcome = guarded(operation, id,
				this.<List<?>>run(id, write, null)
					.map(WorkspaceScripts::outcome)
					.onErrorMap((ex) -> ServerErrors.failure(operation, id, ex)));
		return write.hasFields() ? withBytesWritten(outcome, (written) -> write.valueBytes()) : outcome;
	}

	// KEYS: the workspace alone; ARGV: see ScriptedWrite.
	private <T> Mono<T> run(UUID id, ScriptedWrite write, @Nullable Long expectedVersion) {
		return eval(write.<T>script(), this.keys.workspace(id),
				write.arguments(this.ttlMillis, expectedVersion, this.changeOrigin, this.keys, id));
	}

	// EVALSHA, and EVAL when the server does not know the script yet, as Spring Data
	// Redis's script executor does. The reply is one element, an array reply a List.
	private <T> Mono<T> eval(RedisScript<T> script, byte[] key, byte[][] args) {
		ReturnType returnType = ReturnType.fromJavaType(script.getResultType());
		return this.connection.flatMap((redis) -> redis.scriptingCommands()
			.<T>evalSha(script.getSha1(), returnType, 1, keyAndArguments(key, args))
			.onErrorResume(ServerErrors::isNoScript,
					(ex) -> redis.scriptingCommands()
						.eval(ByteBuffer.wrap(script.getScriptAsString().getBytes(StandardCharsets.UTF_8)), returnType,
								1, keyAndArguments(key, args)))
			.next());
	}

	// The bytes of a buffer the connection decoded. Spring Data Redis's reactive codec
	// copies every reply out of Netty's buffers into a heap buffer of its own, which
	// nothing else holds: its array is taken as it is rather than copied again (every
	// file's content, at every recover).
	private static byte[] bytes(ByteBuffer decoded) {
		if (decoded.hasArray() && decoded.arrayOffset() == 0 && decoded.position() == 0
				&& decoded.remaining() == decoded.array().length) {
			return decoded.array();
		}
		return ByteUtils.getBytes(decoded);
	}

	// New buffers for every command: a buffer is consumed when it is written.
	private static ByteBuffer[] keyAndArguments(byte[] key, byte[][] args) {
		ByteBuffer[] buffers = new ByteBuffer[args.length + 1];
		buffers[0] = ByteBuffer.wrap(key);
		for (int i = 0; i < args.length; i++) {
			buffers[i + 1] = ByteBuffer.wrap(args[i]);
		}
		return buffers;
	}

	// A wrong type reads as a miss (counted as unreadable), as in ValkeyCache.
	private <T> Mono<T> read(WorkspaceCacheOperation operation, UUID id, byte[] key, Mono<T> command) {
		return guarded(operation, id, command.onErrorResume(ServerErrors::isWrongType, (ex) -> {
			this.decoder.unreadable(key, null, "the key holds the wrong Redis type");
			return Mono.empty();
		}).onErrorMap((ex) -> ServerErrors.failure(operation, id, ex)));
	}

	// Every call: refused once the cache is closed; with a ServerAvailability, refused
	// while the circuit is open and otherwise counted in it, as ValkeyCache's calls are
	// (a wrong type and other errors the server answered with count as successes).
	private <T> Mono<T> guarded(WorkspaceCacheOperation operation, UUID id, Mono<T> call) {
		ServerAvailability availability = this.availability;
		Mono<T> counted = (availability != null) ? ReactiveServerAvailability.guard(availability, operation, id, call)
				: call;
		return Mono.defer(() -> this.closed
				? Mono.error(new WorkspaceCacheException(operation, id, "the cache is closed", null)) : counted);
	}

	@Override
	public String toString() {
		return "ReactiveValkeyCache[keyPrefix='" + this.keys.prefix() + "', ttl=" + this.ttl + "]";
	}

}
