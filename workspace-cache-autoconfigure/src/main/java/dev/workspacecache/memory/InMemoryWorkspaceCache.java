package dev.workspacecache.memory;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

import dev.workspacecache.AbstractWorkspaceCache;
import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.ConditionalWriteResult;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceChange;
import dev.workspacecache.WorkspaceDescription;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.WorkspaceWrite;
import dev.workspacecache.WriteOutcome;
import org.jspecify.annotations.Nullable;

/**
 * A {@link WorkspaceCache} held in this JVM's memory, with the semantics of
 * {@link dev.workspacecache.valkey.ValkeyCache}: every write and touch restarts the
 * time-to-live of the whole workspace, all its parts expire together, evict and batch
 * writes are atomic, {@link #recover(UUID)} reads a workspace whole, and an evict leaves
 * a marker that refuses writes for the time-to-live. Meant for tests and single-pod
 * services that want a real cache without a server; it is not shared between instances or
 * pods.
 * <p>
 * Expired workspaces are dropped when next accessed and by a sweep that writes trigger at
 * most once per time-to-live, so memory held by abandoned workspaces is bounded without a
 * background thread.
 */
public class InMemoryWorkspaceCache extends AbstractWorkspaceCache {

	private final ConcurrentHashMap<UUID, Workspace> workspaces = new ConcurrentHashMap<>();

	private final long ttlNanos;

	private final LongSupplier nanoClock;

	private final AtomicLong nextSweep;

	private volatile @Nullable InProcessWorkspaceChangeNotifications notifications;

	/**
	 * Create an in-memory cache.
	 * @param ttl the time-to-live of a workspace, restarted by every write and touch; at
	 * least one millisecond
	 * @param maxEntrySize the largest file content or graph accepted, in bytes
	 */
	public InMemoryWorkspaceCache(Duration ttl, long maxEntrySize) {
		this(ttl, maxEntrySize, System::nanoTime);
	}

	InMemoryWorkspaceCache(Duration ttl, long maxEntrySize, LongSupplier nanoClock) {
		super(maxEntrySize);
		Objects.requireNonNull(ttl, "ttl must not be null");
		if (ttl.toMillis() < 1) {
			throw new IllegalArgumentException("ttl must be at least 1ms but was " + ttl);
		}
		this.ttlNanos = ttl.toNanos();
		this.nanoClock = nanoClock;
		this.nextSweep = new AtomicLong(nanoClock.getAsLong() + this.ttlNanos);
	}

	/**
	 * Announce every change of this cache through the given notifications, from inside
	 * the change. Set it before the cache is used.
	 * @param notifications the notifications, or {@code null} to announce nothing
	 */
	public void setChangeNotifications(@Nullable InProcessWorkspaceChangeNotifications notifications) {
		this.notifications = notifications;
	}

	@Override
	protected WriteOutcome doCacheWorkspace(UUID id, WorkspaceSnapshot snapshot) {
		return write(id, WorkspaceChange.Kind.SNAPSHOT, List.of(), (workspace) -> workspace.snapshot = snapshot);
	}

	@Override
	protected Optional<WorkspaceSnapshot> doGetWorkspace(UUID id) {
		return Optional.ofNullable(read(id, (workspace) -> workspace.snapshot));
	}

	@Override
	protected WriteOutcome doCacheFile(UUID workspaceId, String path, CachedOverlayEntry entry) {
		return write(workspaceId, WorkspaceChange.Kind.FILES, List.of(path),
				(workspace) -> workspace.files.put(path, entry));
	}

	@Override
	protected Optional<CachedOverlayEntry> doGetFile(UUID workspaceId, String path) {
		return Optional.ofNullable(read(workspaceId, (workspace) -> workspace.files.get(path)));
	}

	@Override
	protected List<String> doListFiles(UUID workspaceId) {
		List<String> paths = read(workspaceId, (workspace) -> List.copyOf(workspace.files.keySet()));
		return (paths != null) ? paths : List.of();
	}

	@Override
	protected WriteOutcome doCacheGraph(UUID workspaceId, byte[] graphData) {
		byte[] copy = graphData.clone();
		return write(workspaceId, WorkspaceChange.Kind.GRAPH, List.of(), (workspace) -> workspace.graph = copy);
	}

	@Override
	protected Optional<byte[]> doGetGraph(UUID workspaceId) {
		byte[] graph = read(workspaceId, (workspace) -> workspace.graph);
		return Optional.ofNullable(graph).map(byte[]::clone);
	}

	@Override
	protected void doEvict(UUID id) {
		// The marker remembers the evict for the time-to-live, as the Valkey backend's
		// does.
		long now = this.nanoClock.getAsLong();
		this.workspaces.compute(id, (key, workspace) -> {
			Workspace marker = new Workspace(true);
			marker.version = ((workspace == null || workspace.isExpired(now)) ? 0 : workspace.version) + 1;
			marker.expiresAt = now + this.ttlNanos;
			announce(id, WorkspaceChange.Kind.EVICTED, List.of(), marker.version);
			return marker;
		});
		sweepIfDue(now);
	}

	@Override
	protected WriteOutcome doTouch(UUID id) {
		long now = this.nanoClock.getAsLong();
		WriteOutcome[] outcome = { WriteOutcome.MISSING };
		this.workspaces.computeIfPresent(id, (key, workspace) -> {
			if (workspace.isExpired(now)) {
				return null;
			}
			outcome[0] = workspace.outcome();
			if (!workspace.evicted) {
				workspace.expiresAt = now + this.ttlNanos;
			}
			return workspace;
		});
		return outcome[0];
	}

	@Override
	protected Map<String, CachedOverlayEntry> doGetFiles(UUID workspaceId) {
		Map<String, CachedOverlayEntry> files = read(workspaceId,
				(workspace) -> Collections.unmodifiableMap(new LinkedHashMap<>(workspace.files)));
		return (files != null) ? files : Map.of();
	}

	@Override
	protected WriteOutcome doCacheFiles(UUID workspaceId, Map<String, CachedOverlayEntry> entries) {
		return write(workspaceId, WorkspaceChange.Kind.FILES, List.copyOf(entries.keySet()),
				(workspace) -> workspace.files.putAll(entries));
	}

	@Override
	protected Optional<CachedWorkspace> doRecover(UUID id) {
		// Built inside the map's compute, so a concurrent write or evict is seen wholly
		// or not at all.
		return Optional.ofNullable(read(id,
				(workspace) -> (workspace.snapshot != null)
						? CachedWorkspace.of(workspace.snapshot, workspace.files, workspace.graph)
							.withVersion(workspace.version)
						: null));
	}

	@Override
	protected WriteOutcome doCacheAll(UUID id, CachedWorkspace whole) {
		return write(id, WorkspaceChange.Kind.WORKSPACE, List.of(), replaceWith(whole));
	}

	@Override
	protected ConditionalWriteResult doWriteIfVersion(UUID id, long expectedVersion, WorkspaceWrite write) {
		long now = this.nanoClock.getAsLong();
		Consumer<Workspace> change = change(write);
		List<String> paths = (write instanceof WorkspaceWrite.Files files) ? List.copyOf(files.entries().keySet())
				: List.of();
		ConditionalWriteResult[] result = new ConditionalWriteResult[1];
		this.workspaces.compute(id, (key, workspace) -> {
			Workspace target = (workspace == null || workspace.isExpired(now)) ? new Workspace(false) : workspace;
			WriteOutcome found = target.outcome();
			// The rules of WorkspaceCache.writeIfVersion, as the Valkey backend's script
			// applies them.
			boolean reseed = write instanceof WorkspaceWrite.Whole && found == WriteOutcome.MISSING
					&& target.version <= expectedVersion;
			if (target.evicted || (target.version != expectedVersion && !reseed)) {
				result[0] = new ConditionalWriteResult(false, found, target.version);
				return (workspace == target) ? target : null;
			}
			change.accept(target);
			target.version = Math.max(target.version, expectedVersion) + 1;
			target.expiresAt = now + this.ttlNanos;
			announce(id, write.kind(), paths, target.version);
			result[0] = new ConditionalWriteResult(true, found, target.version);
			return target;
		});
		sweepIfDue(now);
		return result[0];
	}

	// What a write does to a workspace, for conditional writes.
	private static Consumer<Workspace> change(WorkspaceWrite write) {
		if (write instanceof WorkspaceWrite.Snapshot snapshot) {
			return (workspace) -> workspace.snapshot = snapshot.snapshot();
		}
		if (write instanceof WorkspaceWrite.Files files) {
			return (workspace) -> workspace.files.putAll(files.entries());
		}
		if (write instanceof WorkspaceWrite.Graph graph) {
			byte[] copy = graph.graphData();
			return (workspace) -> workspace.graph = copy;
		}
		return replaceWith(((WorkspaceWrite.Whole) write).workspace());
	}

	private static Consumer<Workspace> replaceWith(CachedWorkspace whole) {
		byte[] graph = whole.graph().orElse(null);
		return (workspace) -> {
			workspace.snapshot = whole.snapshot();
			workspace.files.clear();
			workspace.files.putAll(whole.files());
			workspace.graph = graph;
		};
	}

	/**
	 * Return the time-to-live of a workspace.
	 * @return the time-to-live, restarted by every write and touch
	 */
	public Duration getTtl() {
		return Duration.ofNanos(this.ttlNanos);
	}

	/**
	 * Describe a workspace without copying its content, in one atomic read under the
	 * workspace's lock. Its {@link WorkspaceDescription#bytes() bytes} are its file
	 * contents and graph: the snapshot is held as an object.
	 * @param id the workspace id
	 * @return the description; empty when the workspace is absent, expired or evicted
	 */
	@Override
	protected Optional<WorkspaceDescription> doDescribe(UUID id) {
		long now = this.nanoClock.getAsLong();
		return Optional.ofNullable(read(id, (workspace) -> workspace.evicted ? null : workspace.describe(now)));
	}

	/**
	 * Return how long the workspace has left to live.
	 * @param id the workspace id
	 * @return the time left; empty when the workspace is absent or evicted
	 */
	Optional<Duration> remainingTtl(UUID id) {
		long now = this.nanoClock.getAsLong();
		Long left = read(id, (workspace) -> workspace.evicted ? null : workspace.expiresAt - now);
		return Optional.ofNullable(left).map(Duration::ofNanos);
	}

	// Reads and writes go through the map's per-key compute so that a workspace is only
	// ever seen before or after a write, an evict or an expiry, never in between.

	private WriteOutcome write(UUID id, WorkspaceChange.Kind kind, List<String> paths, Consumer<Workspace> change) {
		long now = this.nanoClock.getAsLong();
		WriteOutcome[] outcome = new WriteOutcome[1];
		this.workspaces.compute(id, (key, workspace) -> {
			Workspace target = (workspace == null || workspace.isExpired(now)) ? new Workspace(false) : workspace;
			outcome[0] = target.outcome();
			if (target.evicted) {
				return target;
			}
			change.accept(target);
			target.version++;
			target.expiresAt = now + this.ttlNanos;
			announce(id, kind, paths, target.version);
			return target;
		});
		sweepIfDue(now);
		return outcome[0];
	}

	// Called inside the map's compute, so that a change is announced if and only if it
	// happened, and in the order of the workspace's versions.
	private void announce(UUID id, WorkspaceChange.Kind kind, List<String> paths, long version) {
		InProcessWorkspaceChangeNotifications notifications = this.notifications;
		if (notifications != null) {
			notifications.announce(id, kind, paths, version);
		}
	}

	private <T> @Nullable T read(UUID id, Function<Workspace, @Nullable T> query) {
		long now = this.nanoClock.getAsLong();
		Object[] result = new Object[1];
		this.workspaces.computeIfPresent(id, (key, workspace) -> {
			if (workspace.isExpired(now)) {
				return null;
			}
			result[0] = query.apply(workspace);
			return workspace;
		});
		@SuppressWarnings("unchecked")
		T value = (T) result[0];
		return value;
	}

	private void sweepIfDue(long now) {
		long due = this.nextSweep.get();
		if (now - due < 0 || !this.nextSweep.compareAndSet(due, now + this.ttlNanos)) {
			return;
		}
		for (UUID id : this.workspaces.keySet()) {
			this.workspaces.computeIfPresent(id, (key, workspace) -> workspace.isExpired(now) ? null : workspace);
		}
	}

	@Override
	protected String getObservationMode() {
		return "memory";
	}

	@Override
	public String toString() {
		return "InMemoryWorkspaceCache[ttl=" + Duration.ofNanos(this.ttlNanos) + ", workspaces="
				+ this.workspaces.size() + "]";
	}

	/**
	 * The state of one workspace, or the marker of an evicted one; only touched inside
	 * the map's compute functions.
	 */
	private static final class Workspace {

		/**
		 * Whether this is the marker of an evict: it holds no data and refuses writes.
		 */
		final boolean evicted;

		@Nullable WorkspaceSnapshot snapshot;

		byte @Nullable [] graph;

		final TreeMap<String, CachedOverlayEntry> files = new TreeMap<>();

		long version;

		long expiresAt;

		Workspace(boolean evicted) {
			this.evicted = evicted;
		}

		WriteOutcome outcome() {
			return this.evicted ? WriteOutcome.EVICTED
					: (this.snapshot != null) ? WriteOutcome.PRESENT : WriteOutcome.MISSING;
		}

		boolean isExpired(long now) {
			return now - this.expiresAt >= 0;
		}

		WorkspaceDescription describe(long now) {
			long bytes = (this.graph != null) ? this.graph.length : 0;
			for (CachedOverlayEntry entry : this.files.values()) {
				if (entry instanceof CachedOverlayEntry.WithContent withContent) {
					bytes += withContent.size();
				}
			}
			return new WorkspaceDescription(this.snapshot != null, this.graph != null, this.files.size(), bytes,
					Duration.ofNanos(this.expiresAt - now));
		}

	}

}
