package dev.workspacecache.sample.session;

import java.util.NavigableMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.WorkspaceSnapshot;

import org.springframework.stereotype.Service;

/**
 * The operations of the API on live sessions. Each one finds the session in this pod's memory
 * (L1) or, failing that, asks the {@link SessionRecovery} of the current cache mode; applies the
 * change to the live copy; and writes it through to the cache ({@link SessionWriteThrough}).
 * <p>
 * Reads restart the session's time-to-live in the cache with a {@code touch}, at most once per
 * {@code sample.sessions.touch-interval}; writes restart it themselves.
 */
@Service
public class SessionService {

	private static final String INITIAL_STATE = "active";

	private final LiveSessions sessions;

	private final SessionRecovery recovery;

	private final SessionWriteThrough writeThrough;

	private final long touchIntervalNanos;

	/** Numbers the agent names this pod hands out, as the original engine does ("agent-3"). */
	private final AtomicInteger agentNumbers = new AtomicInteger();

	public SessionService(LiveSessions sessions, SessionRecovery recovery, SessionWriteThrough writeThrough,
			SessionProperties properties) {
		this.sessions = sessions;
		this.recovery = recovery;
		this.writeThrough = writeThrough;
		this.touchIntervalNanos = properties.touchInterval().toNanos();
	}

	/**
	 * Create a session on this pod and write its snapshot through to the cache.
	 * @param request what the client asked for
	 * @return the new session's snapshot
	 */
	public WorkspaceSnapshot create(NewSession request) {
		WorkspaceSnapshot snapshot = new WorkspaceSnapshot(UUID.randomUUID(), request.repoId(), request.agentId(),
				"agent-" + this.agentNumbers.incrementAndGet(), UUID.randomUUID(), request.intent(),
				request.baseCommit(), INITIAL_STATE, request.mode());
		LiveSession session = LiveSession.created(snapshot, System.nanoTime());
		this.sessions.add(session);
		this.writeThrough.snapshot(snapshot);
		return snapshot;
	}

	/**
	 * Return the snapshot of a session.
	 * @param id the session id
	 * @return the snapshot
	 */
	public WorkspaceSnapshot snapshot(UUID id) {
		return read(id).snapshot();
	}

	/**
	 * Return the overlay of a session.
	 * @param id the session id
	 * @return the entries by path, in lexicographic order
	 */
	public NavigableMap<String, CachedOverlayEntry> files(UUID id) {
		return read(id).overlay();
	}

	/**
	 * Return the entry of a file that the session has written.
	 * @param id the session id
	 * @param path the file path
	 * @return an {@link CachedOverlayEntry.Added Added} or {@link CachedOverlayEntry.Modified
	 * Modified} entry
	 * @throws FileNotInSessionException if the file was deleted or never written
	 */
	public CachedOverlayEntry file(UUID id, OverlayPath path) {
		CachedOverlayEntry entry = read(id).entry(path);
		if (entry == null || entry instanceof CachedOverlayEntry.Deleted) {
			throw new FileNotInSessionException(id, path, entry != null);
		}
		return entry;
	}

	/**
	 * Write a file, as {@link OverlayEntries#written described there}.
	 * @param id the session id
	 * @param path the file path
	 * @param content the new content
	 * @return the entry recorded
	 */
	public CachedOverlayEntry writeFile(UUID id, OverlayPath path, byte[] content) {
		LiveSession session = find(id);
		return session.changeAndGet(() -> {
			CachedOverlayEntry entry = session.recordWrite(path, content);
			if (this.writeThrough.file(id, path, entry)) {
				session.touched(System.nanoTime());
			}
			return entry;
		});
	}

	/**
	 * Delete a file: record a {@link CachedOverlayEntry.Deleted Deleted} entry for it, whether
	 * or not the session had written it, since the base commit may have it.
	 * @param id the session id
	 * @param path the file path
	 * @return the entry recorded
	 */
	public CachedOverlayEntry deleteFile(UUID id, OverlayPath path) {
		LiveSession session = find(id);
		return session.changeAndGet(() -> {
			CachedOverlayEntry entry = session.recordDelete(path);
			if (this.writeThrough.file(id, path, entry)) {
				session.touched(System.nanoTime());
			}
			return entry;
		});
	}

	/**
	 * Return the graph of a session.
	 * @param id the session id
	 * @return a copy of the graph bytes
	 * @throws GraphNotSetException if the session has no graph
	 */
	public byte[] graph(UUID id) {
		byte @Nullable [] graph = read(id).graph();
		if (graph == null) {
			throw new GraphNotSetException(id);
		}
		return graph;
	}

	/**
	 * Replace the graph of a session.
	 * @param id the session id
	 * @param graph the new graph bytes
	 */
	public void replaceGraph(UUID id, byte[] graph) {
		LiveSession session = find(id);
		session.change(() -> {
			session.recordGraph(graph);
			if (this.writeThrough.graph(id, graph)) {
				session.touched(System.nanoTime());
			}
		});
	}

	/**
	 * Delete a session: drop it from this pod and evict it from the cache. A session this pod
	 * does not hold is found as any other request would find it first, so that deleting a
	 * session no pod can reach answers 404 rather than pretending to succeed.
	 * @param id the session id
	 */
	public void delete(UUID id) {
		LiveSession session = find(id);
		session.change(() -> {
			session.close();
			// Evict before letting go: a request of this pod that misses L1 from now on finds
			// nothing in the cache to recover either.
			this.writeThrough.evict(id);
			this.sessions.remove(session);
		});
	}

	/**
	 * Find a session and, since this is an access, keep it alive in the cache.
	 */
	private LiveSession read(UUID id) {
		LiveSession session = find(id);
		if (session.claimTouch(System.nanoTime(), this.touchIntervalNanos)) {
			// A failed touch still counts: retrying on every request would only add a failing
			// round trip to each of them while the cache is down.
			this.writeThrough.touch(id);
		}
		return session;
	}

	private LiveSession find(UUID id) {
		LiveSession session = this.sessions.find(id);
		if (session != null) {
			return session;
		}
		return this.sessions.adopt(this.recovery.recover(id));
	}

}
