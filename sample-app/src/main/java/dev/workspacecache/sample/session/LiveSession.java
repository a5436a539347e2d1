package dev.workspacecache.sample.session;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * A session as this pod holds it in memory (the L1 copy): its snapshot, its overlay of
 * changed files and its graph, and the {@link #version() version} of the cache they
 * correspond to.
 * <p>
 * Reads never block. Changes run one at a time per session inside
 * {@link #change(Runnable)}, together with their write-through to the cache, so that the
 * cache receives a session's writes in the order they were applied here: two concurrent
 * writes of one file cannot leave the cache with the older one. Deleting the session
 * closes it inside the same lock, so that no write can reach the cache after the evict
 * and resurrect part of the session there. For the same reason, the whole copy that is
 * written back when the cache has lost the session ({@link #whole()}) is taken inside
 * that lock: it is the session as one change left it, never half of a change.
 * <p>
 * The copy may fall behind what other pods wrote. It needs revalidating
 * ({@link #needsRevalidation(long)}) when a change notification announced a newer version
 * than it holds ({@link #changedElsewhere(long)}), or when notifications may have been
 * missed since it was last verified (a resynchronize signal, counted by
 * {@link LiveSessions}). Revalidating replaces it, inside a change, with what the cache
 * holds ({@link #replaceWith(CachedWorkspace, long)}): the overlay is swapped whole, so
 * that a read sees the old copy or the new one, and the version is set after the content,
 * so that a version read before the content is never newer than that content.
 */
public final class LiveSession {

	/** {@link #lastTouchNanos} of a session that has not been touched on this pod yet. */
	private static final long NEVER = Long.MIN_VALUE;

	private volatile WorkspaceSnapshot snapshot;

	/** Mutated inside changes; replaced whole when the copy is replaced. */
	private volatile ConcurrentSkipListMap<String, CachedOverlayEntry> overlay;

	private volatile byte @Nullable [] graph;

	/** The cache version this copy is at; {@code 0} before it first reached the cache. */
	private volatile long version;

	/** The newest version another pod announced for the session. */
	private final AtomicLong announcedVersion = new AtomicLong();

	/**
	 * How many resynchronize signals this pod had received when the copy was last known
	 * to match the cache (see {@link LiveSessions#resynchronizations()}).
	 */
	private volatile long verifiedThrough;

	private final ReentrantLock changeLock = new ReentrantLock();

	/** Set inside a change, or by a notification that the session was evicted. */
	private volatile boolean closed;

	/**
	 * Whether a change of this session failed to reach the cache, which then holds an
	 * older session than this pod. Guarded by {@link #changeLock}.
	 */
	private boolean cacheBehind;

	/**
	 * The file entries changed while the cache was behind, re-applied on top of what the
	 * cache holds if another pod wrote meanwhile. Guarded by {@link #changeLock}.
	 */
	private final Map<String, CachedOverlayEntry> unsentFiles = new LinkedHashMap<>();

	/**
	 * Whether the graph changed while the cache was behind. Guarded by
	 * {@link #changeLock}.
	 */
	private boolean unsentGraph;

	private final AtomicLong lastTouchNanos;

	private LiveSession(WorkspaceSnapshot snapshot, Map<String, CachedOverlayEntry> overlay, byte @Nullable [] graph,
			long version, long verifiedThrough, long lastTouchNanos) {
		this.snapshot = snapshot;
		this.overlay = new ConcurrentSkipListMap<>(overlay);
		this.graph = (graph != null) ? graph.clone() : null;
		this.version = version;
		this.verifiedThrough = verifiedThrough;
		this.lastTouchNanos = new AtomicLong(lastTouchNanos);
	}

	/**
	 * Create the live copy of a session just created on this pod. Its snapshot write
	 * started the cache's time-to-live, so it counts as touched.
	 * @param snapshot the session's snapshot
	 * @param nowNanos the current {@link System#nanoTime()}
	 * @return a session with an empty overlay and no graph, at version {@code 0}
	 */
	static LiveSession created(WorkspaceSnapshot snapshot, long nowNanos) {
		return created(snapshot, nowNanos, 0);
	}

	/**
	 * Create the live copy of a session just created on this pod.
	 * @param snapshot the session's snapshot
	 * @param nowNanos the current {@link System#nanoTime()}
	 * @param resynchronizations the resynchronize signals received so far: a new session
	 * has missed no change
	 * @return a session with an empty overlay and no graph, at version {@code 0}
	 */
	static LiveSession created(WorkspaceSnapshot snapshot, long nowNanos, long resynchronizations) {
		return new LiveSession(snapshot, Map.of(), null, 0, resynchronizations, nowNanos);
	}

	/**
	 * Create the live copy of a session rebuilt from the cache. Reading does not restart
	 * the cache's time-to-live, so its first access on this pod touches it; that touch is
	 * also how a pod learns that a session it recovered was deleted on another pod just
	 * after.
	 * @param workspace the workspace as the cache returned it
	 * @return the recovered session
	 */
	static LiveSession recovered(CachedWorkspace workspace) {
		return recovered(workspace, 0);
	}

	/**
	 * Create the live copy of a session rebuilt from the cache.
	 * @param workspace the workspace as the cache returned it, at its version
	 * @param resynchronizations the resynchronize signals received before it was read
	 * @return the recovered session
	 */
	static LiveSession recovered(CachedWorkspace workspace, long resynchronizations) {
		return new LiveSession(workspace.snapshot(), workspace.files(), workspace.graph().orElse(null),
				workspace.version(), resynchronizations, NEVER);
	}

	public UUID id() {
		return this.snapshot.sessionId();
	}

	public WorkspaceSnapshot snapshot() {
		return this.snapshot;
	}

	/**
	 * Return the version of the cache this copy is at: what its next write expects to
	 * find there. Read it before the content it describes: it is set after the content
	 * changes.
	 * @return the version, {@code 0} for a session that has not reached the cache yet
	 */
	public long version() {
		return this.version;
	}

	/**
	 * Return the overlay, by path in lexicographic order.
	 * @return an unmodifiable, live view
	 */
	public NavigableMap<String, CachedOverlayEntry> overlay() {
		return Collections.unmodifiableNavigableMap(this.overlay);
	}

	/**
	 * Return the overlay entry of a path.
	 * @param path the path
	 * @return the entry, or {@code null} if the session has none for that path
	 */
	public @Nullable CachedOverlayEntry entry(OverlayPath path) {
		return this.overlay.get(path.value());
	}

	/**
	 * Return a copy of the graph.
	 * @return the graph bytes, or {@code null} if none was set
	 */
	public byte @Nullable [] graph() {
		byte @Nullable [] graph = this.graph;
		return (graph != null) ? graph.clone() : null;
	}

	/**
	 * Return the whole session as the cache stores it, to write it back after the cache
	 * lost it. Only from inside a change, so that no other change is half applied to the
	 * copy.
	 * @return a copy of the snapshot, the overlay and the graph
	 */
	CachedWorkspace whole() {
		assertChanging();
		return CachedWorkspace.of(this.snapshot, this.overlay, this.graph);
	}

	/**
	 * Return the whole session as it will be once a change is applied, to write it in one
	 * conditional write when the cache must be given all of it.
	 * @param pending the change not applied yet
	 * @return a copy of the snapshot, the overlay and the graph, with the change
	 */
	CachedWorkspace wholeWith(SessionChange pending) {
		assertChanging();
		TreeMap<String, CachedOverlayEntry> files = new TreeMap<>(this.overlay);
		byte @Nullable [] graph = this.graph;
		if (pending instanceof SessionChange.File file) {
			files.put(file.path().value(), file.entry());
		}
		else if (pending instanceof SessionChange.Graph replaced) {
			graph = replaced.graph();
		}
		return CachedWorkspace.of(this.snapshot, files, graph);
	}

	/**
	 * Apply a change that the cache accepted at a version.
	 * @param applied the change
	 * @param newVersion the version the cache reached with it
	 * @param resynchronizations the resynchronize signals received before the write was
	 * sent: the cache held this copy's version then, so the copy was current
	 */
	void applied(SessionChange applied, long newVersion, long resynchronizations) {
		record(applied);
		this.version = newVersion;
		verified(resynchronizations);
	}

	/**
	 * Apply a change that did not reach the cache: the cache is behind this copy until
	 * the copy is written back whole.
	 * @param unsent the change
	 */
	void appliedLocally(SessionChange unsent) {
		record(unsent);
		if (unsent instanceof SessionChange.File file) {
			this.unsentFiles.put(file.path().value(), file.entry());
		}
		else {
			this.unsentGraph = true;
		}
		this.cacheBehind = true;
	}

	private void record(SessionChange change) {
		assertChanging();
		if (change instanceof SessionChange.File file) {
			this.overlay.put(file.path().value(), file.entry());
		}
		else if (change instanceof SessionChange.Graph replaced) {
			this.graph = replaced.graph().clone();
		}
	}

	/**
	 * Replace this copy with what the cache holds, because another pod changed the
	 * session. The changes of this pod that did not reach the cache yet are applied again
	 * on top, so that writing the copy back later loses neither theirs nor this pod's.
	 * @param workspace the session as the cache holds it, at its version
	 * @param resynchronizations the resynchronize signals received before it was read
	 */
	void replaceWith(CachedWorkspace workspace, long resynchronizations) {
		assertChanging();
		ConcurrentSkipListMap<String, CachedOverlayEntry> overlay = new ConcurrentSkipListMap<>(workspace.files());
		overlay.putAll(this.unsentFiles);
		byte @Nullable [] graph = this.unsentGraph ? this.graph : workspace.graph().orElse(null);
		this.snapshot = workspace.snapshot();
		this.overlay = overlay;
		this.graph = graph;
		// Last: a version read before the content is never newer than it.
		this.version = workspace.version();
		verified(resynchronizations);
	}

	/**
	 * Record that the cache holds this copy at a version: it was just written whole.
	 * @param newVersion the version the cache reached
	 * @param resynchronizations the resynchronize signals received before the write
	 */
	void writtenWhole(long newVersion, long resynchronizations) {
		assertChanging();
		this.version = newVersion;
		markCacheCurrent();
		verified(resynchronizations);
	}

	/**
	 * Record that the copy matches the cache as of a number of resynchronize signals.
	 * @param resynchronizations the resynchronize signals received before it was checked
	 */
	void verified(long resynchronizations) {
		if (resynchronizations > this.verifiedThrough) {
			this.verifiedThrough = resynchronizations;
		}
	}

	/**
	 * Record that the copy may have missed a change, whatever the resynchronize signals
	 * say: the next access revalidates it.
	 */
	void markUnverified() {
		this.verifiedThrough = -1;
	}

	/**
	 * Record that another pod changed the session, up to a version. Called by the
	 * notification listener, outside any change: it only marks the copy, which the next
	 * access revalidates.
	 * @param announced the version the other pod's change reached
	 */
	void changedElsewhere(long announced) {
		this.announcedVersion.accumulateAndGet(announced, Math::max);
	}

	/**
	 * Return whether this copy may be stale and must be checked against the cache before
	 * it is served: another pod announced a newer version, or notifications may have been
	 * missed since the copy was last verified.
	 * @param resynchronizations the resynchronize signals received so far
	 * @return whether to revalidate
	 */
	boolean needsRevalidation(long resynchronizations) {
		return this.announcedVersion.get() > this.version || this.verifiedThrough < resynchronizations;
	}

	/**
	 * Run a change of this session, alone among the changes of this session.
	 * @param <T> the result type
	 * @param change the change, which may call the {@code record*}, {@link #whole()} and
	 * {@link #close()} methods
	 * @return the change's result
	 * @throws UnknownSessionException if the session was deleted before the change could
	 * run
	 */
	<T> T changeAndGet(Supplier<T> change) {
		this.changeLock.lock();
		try {
			requireOpen();
			return change.get();
		}
		finally {
			this.changeLock.unlock();
		}
	}

	/**
	 * Run a change of this session, alone among the changes of this session.
	 * @param change the change, which may call the {@code record*}, {@link #whole()} and
	 * {@link #close()} methods
	 * @throws UnknownSessionException if the session was deleted before the change could
	 * run
	 */
	void change(Runnable change) {
		this.changeLock.lock();
		try {
			requireOpen();
			change.run();
		}
		finally {
			this.changeLock.unlock();
		}
	}

	private void requireOpen() {
		if (this.closed) {
			throw new UnknownSessionException(id(),
					"Session " + id() + " was deleted while this request was waiting to change it.");
		}
	}

	CachedOverlayEntry recordWrite(OverlayPath path, byte[] content) {
		SessionChange.File write = SessionChange.written(this, path, content);
		record(write);
		return write.entry();
	}

	CachedOverlayEntry recordDelete(OverlayPath path) {
		SessionChange.File delete = SessionChange.deleted(path);
		record(delete);
		return delete.entry();
	}

	void recordGraph(byte[] graph) {
		record(new SessionChange.Graph(graph));
	}

	/**
	 * Record that a change of this session did not reach the cache (the call failed), so
	 * the cache holds an older session until this pod writes it back whole.
	 */
	void markCacheBehind() {
		assertChanging();
		this.cacheBehind = true;
	}

	/**
	 * Record that the cache holds this session as this pod does: it was just written back
	 * whole.
	 */
	void markCacheCurrent() {
		assertChanging();
		this.cacheBehind = false;
		this.unsentFiles.clear();
		this.unsentGraph = false;
	}

	/**
	 * Return whether a change of this session failed to reach the cache since the session
	 * was last written back whole.
	 * @return whether the cache holds an older session than this pod
	 */
	boolean isCacheBehind() {
		assertChanging();
		return this.cacheBehind;
	}

	/**
	 * Refuse every later change.
	 */
	void close() {
		assertChanging();
		this.closed = true;
	}

	/**
	 * Refuse every later change because the session was evicted on another pod: called by
	 * the notification listener, outside any change, so that a change waiting for the
	 * session does not write to the cache for it.
	 */
	void closeEvicted() {
		this.closed = true;
	}

	/**
	 * Return whether the session was closed: deleted here or evicted elsewhere.
	 * @return whether no change may run any more
	 */
	boolean isClosed() {
		return this.closed;
	}

	private void assertChanging() {
		if (!this.changeLock.isHeldByCurrentThread()) {
			throw new IllegalStateException("Session changes must run inside change(...) or changeAndGet(...)");
		}
	}

	/**
	 * Claim the next touch of this session: succeeds at most once per
	 * {@code intervalNanos}, and always for a session never touched on this pod.
	 * @param nowNanos the current {@link System#nanoTime()}
	 * @param intervalNanos the minimum time between two touches
	 * @return whether the caller should touch the session in the cache now
	 */
	boolean claimTouch(long nowNanos, long intervalNanos) {
		long last = this.lastTouchNanos.get();
		if (last != NEVER && nowNanos - last < intervalNanos) {
			return false;
		}
		// Of several concurrent accesses, only the one that moves the clock touches.
		return this.lastTouchNanos.compareAndSet(last, nowNanos);
	}

	/**
	 * Record that the session's time-to-live in the cache was just restarted, by a touch
	 * or by a write (every cache write restarts it).
	 * @param nowNanos the current {@link System#nanoTime()}
	 */
	void touched(long nowNanos) {
		this.lastTouchNanos.set(nowNanos);
	}

	@Override
	public String toString() {
		return "LiveSession[id=" + id() + ", version=" + this.version + ", files=" + this.overlay.size() + "]";
	}

}
