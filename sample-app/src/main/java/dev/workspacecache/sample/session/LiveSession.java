package dev.workspacecache.sample.session;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
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
 * changed files and its graph.
 * <p>
 * Reads never block. Changes run one at a time per session inside
 * {@link #change(Runnable)}, together with their write-through to the cache, so that the
 * cache receives a session's writes in the order they were applied here: two concurrent
 * writes of one file cannot leave the cache with the older one. Deleting the session
 * closes it inside the same lock, so that no write can reach the cache after the evict
 * and resurrect part of the session there. For the same reason, the whole copy that is
 * written back when the cache has lost the session ({@link #whole()}) is taken inside
 * that lock: it is the session as one change left it, never half of a change.
 */
public final class LiveSession {

	/** {@link #lastTouchNanos} of a session that has not been touched on this pod yet. */
	private static final long NEVER = Long.MIN_VALUE;

	private final WorkspaceSnapshot snapshot;

	private final ConcurrentSkipListMap<String, CachedOverlayEntry> overlay;

	private volatile byte @Nullable [] graph;

	private final ReentrantLock changeLock = new ReentrantLock();

	private boolean closed;

	/**
	 * Whether a change of this session failed to reach the cache, which then holds an
	 * older session than this pod. Guarded by {@link #changeLock}.
	 */
	private boolean cacheBehind;

	private final AtomicLong lastTouchNanos;

	private LiveSession(WorkspaceSnapshot snapshot, Map<String, CachedOverlayEntry> overlay, byte @Nullable [] graph,
			long lastTouchNanos) {
		this.snapshot = snapshot;
		this.overlay = new ConcurrentSkipListMap<>(overlay);
		this.graph = (graph != null) ? graph.clone() : null;
		this.lastTouchNanos = new AtomicLong(lastTouchNanos);
	}

	/**
	 * Create the live copy of a session just created on this pod. Its snapshot write
	 * started the cache's time-to-live, so it counts as touched.
	 * @param snapshot the session's snapshot
	 * @param nowNanos the current {@link System#nanoTime()}
	 * @return a session with an empty overlay and no graph
	 */
	static LiveSession created(WorkspaceSnapshot snapshot, long nowNanos) {
		return new LiveSession(snapshot, Map.of(), null, nowNanos);
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
		return new LiveSession(workspace.snapshot(), workspace.files(), workspace.graph().orElse(null), NEVER);
	}

	public UUID id() {
		return this.snapshot.sessionId();
	}

	public WorkspaceSnapshot snapshot() {
		return this.snapshot;
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
		assertChanging();
		CachedOverlayEntry entry = OverlayEntries.written(this.overlay.get(path.value()), content);
		this.overlay.put(path.value(), entry);
		return entry;
	}

	CachedOverlayEntry recordDelete(OverlayPath path) {
		assertChanging();
		CachedOverlayEntry entry = new CachedOverlayEntry.Deleted();
		this.overlay.put(path.value(), entry);
		return entry;
	}

	void recordGraph(byte[] graph) {
		assertChanging();
		this.graph = graph.clone();
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
		return "LiveSession[id=" + id() + ", files=" + this.overlay.size() + "]";
	}

}
