package dev.workspacecache.valkey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

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
 * Unlike {@link ValkeyCache}, this cache neither fails fast through a
 * {@link ServerAvailability} nor records observations: a reactive caller bounds its wait
 * with {@link Mono#timeout(Duration)}, and the connection's command timeout applies.
 */
public class ReactiveValkeyCache extends AbstractReactiveWorkspaceCache {

	private static final RedisScript<List> DESCRIBE = RedisScript.of(WorkspaceScripts.DESCRIBE, List.class);

	private final Mono<ReactiveRedisConnection> connection;

	private final WorkspaceKeys keys;

	private final Duration ttl;

	private final byte[] ttlMillis;

	private final ContentCompression compression;

	private final OverlayEntryCodec overlayEntries;

	private final StoredWorkspaceDecoder decoder;

	private volatile @Nullable String changeOrigin;

	/**
	 * Create a cache over the given connection factory that stores file content as
	 * {@code compression} says; whatever the setting, it reads content stored raw and
	 * compressed.
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
		super(maxEntrySize);
		Objects.requireNonNull(connectionFactory, "connectionFactory must not be null");
		Objects.requireNonNull(keyPrefix, "keyPrefix must not be null");
		Objects.requireNonNull(ttl, "ttl must not be null");
		Objects.requireNonNull(compression, "compression must not be null");
		if (ttl.toMillis() < 1) {
			throw new IllegalArgumentException("ttl must be at least 1ms but was " + ttl);
		}
		this.keys = new WorkspaceKeys(keyPrefix);
		this.ttl = ttl;
		this.ttlMillis = Long.toString(ttl.toMillis()).getBytes(StandardCharsets.US_ASCII);
		this.compression = compression;
		this.overlayEntries = new OverlayEntryCodec(compression, maxEntrySize);
		this.decoder = new StoredWorkspaceDecoder(this.keys, this.overlayEntries);
		// One connection for the cache's life, obtained once, off the caller's thread: a
		// Lettuce factory that shares its native connection connects it synchronously on
		// first use, which would block a Reactor thread, and takes a lock on every later
		// one. Over the shared connection, commands are multiplexed and the client
		// reconnects by itself; a failure to connect is not kept, the next call tries
		// again.
		this.connection = Mono.fromSupplier(connectionFactory::getReactiveConnection)
			.subscribeOn(Schedulers.boundedElastic())
			.cacheInvalidateIf((connection) -> false);
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
	 * misses since this cache was created.
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

	@Override
	protected Mono<WriteOutcome> doCacheWorkspace(UUID id, WorkspaceSnapshot snapshot) {
		return write(WorkspaceCacheOperation.CACHE_WORKSPACE, id, ScriptedWrite.snapshot(snapshot));
	}

	@Override
	protected Mono<WorkspaceSnapshot> doGetWorkspace(UUID id) {
		byte[] key = this.keys.workspace(id);
		return read(WorkspaceCacheOperation.GET_WORKSPACE, id, key, hGet(key, WorkspaceKeys.SNAPSHOT_FIELD))
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
		return read(WorkspaceCacheOperation.GET_FILE, workspaceId, key, hGet(key, WorkspaceKeys.fileField(path)))
			.mapNotNull((value) -> this.decoder.entry(value, key, path));
	}

	@Override
	protected Mono<List<String>> doListFiles(UUID workspaceId) {
		byte[] key = this.keys.workspace(workspaceId);
		return read(WorkspaceCacheOperation.LIST_FILES, workspaceId, key, this.connection.flatMap(
				(redis) -> redis.hashCommands().hKeys(ByteBuffer.wrap(key)).map(ByteUtils::getBytes).collectList()))
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
		return read(WorkspaceCacheOperation.GET_GRAPH, workspaceId, key, hGet(key, WorkspaceKeys.GRAPH_FIELD))
			.mapNotNull((value) -> this.decoder.graph(value, key));
	}

	@Override
	protected Mono<Void> doEvict(UUID id) {
		// Once more, only while its slot migrates: the first run unlinked the workspace
		// on the migrating node and could not write the marker there; the second run
		// writes it on the importing node (as ValkeyCache does).
		Mono<Long> evict = run(id, ScriptedWrite.evict(), null);
		return evict.onErrorResume(ServerErrors::isNonLocalKey, (ex) -> run(id, ScriptedWrite.evict(), null))
			.onErrorMap((ex) -> !(ex instanceof WorkspaceCacheException),
					(ex) -> ServerErrors.failure(WorkspaceCacheOperation.EVICT, id, ex))
			.then();
	}

	@Override
	protected Mono<WriteOutcome> doTouch(UUID id) {
		return write(WorkspaceCacheOperation.TOUCH, id, ScriptedWrite.touch());
	}

	@Override
	protected Mono<Map<String, CachedOverlayEntry>> doGetFiles(UUID workspaceId) {
		byte[] key = this.keys.workspace(workspaceId);
		return read(WorkspaceCacheOperation.GET_FILES, workspaceId, key, entries(key))
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
		return read(WorkspaceCacheOperation.RECOVER, id, key, entries(key))
			.mapNotNull((stored) -> this.decoder.workspace(key, stored));
	}

	@Override
	protected Mono<WriteOutcome> doCacheAll(UUID id, CachedWorkspace workspace) {
		return write(WorkspaceCacheOperation.CACHE_ALL, id, ScriptedWrite.whole(workspace, this.overlayEntries));
	}

	@Override
	protected Mono<ConditionalWriteResult> doWriteIfVersion(UUID id, long expectedVersion, WorkspaceWrite write) {
		return this.<List<?>>run(id, ScriptedWrite.of(write, this.overlayEntries), expectedVersion)
			.map((reply) -> new ConditionalWriteResult(WorkspaceScripts.applied(reply), WorkspaceScripts.outcome(reply),
					WorkspaceScripts.version(reply)))
			.onErrorMap((ex) -> ServerErrors.failure(WorkspaceCacheOperation.WRITE_IF_VERSION, id, ex));
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

	private Mono<byte[]> hGet(byte[] key, byte[] field) {
		return this.connection.flatMap((redis) -> redis.hashCommands()
			.hGet(ByteBuffer.wrap(key), ByteBuffer.wrap(field))
			.map(ByteUtils::getBytes));
	}

	// Every field and value of the workspace's key, in one HGETALL.
	private Mono<Map<byte[], byte[]>> entries(byte[] key) {
		return this.connection.flatMap((redis) -> redis.hashCommands()
			.hGetAll(ByteBuffer.wrap(key))
			.collect(LinkedHashMap::new, (stored, field) -> stored.put(ByteUtils.getBytes(field.getKey()),
					ByteUtils.getBytes(field.getValue()))));
	}

	private Mono<WriteOutcome> write(WorkspaceCacheOperation operation, UUID id, ScriptedWrite write) {
		return this.<List<?>>run(id, write, null)
			.map(WorkspaceScripts::outcome)
			.onErrorMap((ex) -> ServerErrors.failure(operation, id, ex));
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

	// New buffers for every command: a buffer is consumed when it is written.
	private static ByteBuffer[] keyAndArguments(byte[] key, byte[][] args) {
		ByteBuffer[] buffers = new ByteBuffer[args.length + 1];
		buffers[0] = ByteBuffer.wrap(key);
		for (int i = 0; i < args.length; i++) {
			buffers[i + 1] = ByteBuffer.wrap(args[i]);
		}
		return buffers;
	}

	private <T> Mono<T> read(WorkspaceCacheOperation operation, UUID id, byte[] key, Mono<T> command) {
		return command.onErrorResume(ServerErrors::isWrongType, (ex) -> {
			this.decoder.unreadable(key, null, "the key holds the wrong Redis type");
			return Mono.empty();
		}).onErrorMap((ex) -> ServerErrors.failure(operation, id, ex));
	}

	@Override
	public String toString() {
		return "ReactiveValkeyCache[keyPrefix='" + this.keys.prefix() + "', ttl=" + this.ttl + "]";
	}

}
