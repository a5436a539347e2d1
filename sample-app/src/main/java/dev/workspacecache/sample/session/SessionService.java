package dev.workspacecache.sample.session;

import java.util.NavigableMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.WriteOutcome;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogMessage;
import org.springframework.stereotype.Service;

/**
 * The operations of the API on live sessions. Each one finds the session in this pod's
 * memory (L1) or, failing that, asks the {@link SessionRecovery} of the current cache
 * mode; applies the change to the live copy; and writes it through to the cache
 * ({@link SessionWriteThrough}).
 * <p>
 * Reads restart the session's time-to-live in the cache with a {@code touch}, at most
 * once per {@code sample.sessions.touch-interval}; writes restart it themselves.
 * <p>
 * Every write and touch tells what the cache found ({@link WriteOutcome}), and the
 * service acts on it inside the session's change, so that no other change of the session
 * runs meanwhile:
 * <ul>
 * <li>{@link WriteOutcome#MISSING MISSING}: the cache lost the session (a server
 * restarted without persistence, a flush, an eviction under memory pressure, a failover).
 * This pod holds all of it, so it writes it back whole, and other pods can recover it
 * again.</li>
 * <li>{@link WriteOutcome#EVICTED EVICTED}: another pod deleted the session. This pod
 * drops its copy and answers as for a deleted session (404), even though the change that
 * found out was already applied to that copy: no later request of this pod may serve
 * it.</li>
 * </ul>
 */
@Service
public class SessionService {

	private static final Log logger = LogFactory.getLog(SessionService.class);

	private static final String INITIAL_STATE = "active";

	private final LiveSessions sessions;

	private final SessionRecovery recovery;

	private final SessionWriteThrough writeThrough;

	private final CacheRewrites rewrites;

	private final long touchIntervalNanos;

	/**
	 * Numbers the agent names this pod hands out, as the original engine does
	 * ("agent-3").
	 */
	private final AtomicInteger agentNumbers = new AtomicInteger();

	public SessionService(LiveSessions sessions, SessionRecovery recovery, SessionWriteThrough writeThrough,
			CacheRewrites rewrites, SessionProperties properties) {
		this.sessions = sessions;
		this.recovery = recovery;
		this.writeThrough = writeThrough;
		this.rewrites = rewrites;
		this.touchIntervalNanos = properties.touchInterval().toNanos();
	}

	/**
	 * Create a session on this pod and write it through to the cache, whole.
	 * @param request what the client asked for
	 * @return the new session's snapshot
	 */
	public WorkspaceSnapshot create(NewSession request) {
		WorkspaceSnapshot snapshot = new WorkspaceSnapshot(UUID.randomUUID(), request.repoId(), request.agentId(),
				"agent-" + this.agentNumbers.incrementAndGet(), UUID.randomUUID(), request.intent(),
				request.baseCommit(), INITIAL_STATE, request.mode());
		LiveSession session = LiveSession.created(snapshot, System.nanoTime());
		this.sessions.add(session);
		// Whole rather than the snapshot alone, so that the cache holds a recoverable
		// workspace from the start. MISSING is what a new session finds, so the outcome
		// needs no action; should the write fail, the first write or touch that finds
		// the session MISSING heals it.
		session.change(() -> this.writeThrough.whole(session));
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
	 * @return an {@link CachedOverlayEntry.Added Added} or
	 * {@link CachedOverlayEntry.Modified Modified} entry
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
			settleWrite(session, this.writeThrough.file(id, path, entry));
			return entry;
		});
	}

	/**
	 * Delete a file: record a {@link CachedOverlayEntry.Deleted Deleted} entry for it,
	 * whether or not the session had written it, since the base commit may have it.
	 * @param id the session id
	 * @param path the file path
	 * @return the entry recorded
	 */
	public CachedOverlayEntry deleteFile(UUID id, OverlayPath path) {
		LiveSession session = find(id);
		return session.changeAndGet(() -> {
			CachedOverlayEntry entry = session.recordDelete(path);
			settleWrite(session, this.writeThrough.file(id, path, entry));
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
			settleWrite(session, this.writeThrough.graph(id, graph));
		});
	}

	/**
	 * Delete a session: drop it from this pod and evict it from the cache. A session this
	 * pod does not hold is found as any other request would find it first, so that
	 * deleting a session no pod can reach answers 404 rather than pretending to succeed.
	 * @param id the session id
	 */
	public void delete(UUID id) {
		LiveSession session = find(id);
		session.change(() -> {
			session.close();
			// Evict before letting go: a request of this pod that misses L1 from now on
			// finds nothing in the cache to recover either.
			this.writeThrough.evict(id);
			this.sessions.remove(session);
		});
	}

	/**
	 * Find a session and, since this is an access, keep it alive in the cache.
	 * @param id the session id
	 * @return the session
	 */
	private LiveSession read(UUID id) {
		LiveSession session = find(id);
		if (session.claimTouch(System.nanoTime(), this.touchIntervalNanos)) {
			// A failed touch still counts: retrying on every request would only add a
			// failing round trip to each of them while the cache is down.
			WriteOutcome outcome = this.writeThrough.touch(id);
			if (outcome != null && outcome != WriteOutcome.DISCARDED) {
				// Writing the session back or dropping it needs the whole session to
				// stand still; so does finding out whether the cache fell behind.
				session.change(() -> settle(session, outcome));
			}
		}
		return session;
	}

	/**
	 * Act on what the cache found when it received a write of a session. Runs inside the
	 * session's change.
	 * @param session the session
	 * @param outcome the outcome, or {@code null} if the call failed (already reported)
	 * @throws UnknownSessionException if the session was deleted on another pod
	 */
	private void settleWrite(LiveSession session, @Nullable WriteOutcome outcome) {
		if (outcome == null) {
			// The change is applied here but not in the cache, and later part writes
			// would not carry it: the cache would hold a mix of old and new parts. The
			// next call that reaches the cache writes the whole session back instead.
			session.markCacheBehind();
			return;
		}
		settle(session, outcome);
	}

	/**
	 * Act on what the cache found when it received a write or touch of a session. Runs
	 * inside the session's change.
	 * @param session the session
	 * @param outcome the outcome, or {@code null} if the call failed (already reported)
	 * @throws UnknownSessionException if the session was deleted on another pod
	 */
	private void settle(LiveSession session, @Nullable WriteOutcome outcome) {
		if (outcome == null) {
			return;
		}
		switch (outcome) {
			case PRESENT -> {
				if (session.isCacheBehind()) {
					writeBack(session);
				}
				else {
					session.touched(System.nanoTime());
				}
			}
			case DISCARDED -> session.touched(System.nanoTime());
			case MISSING -> writeBack(session);
			case EVICTED -> throw drop(session);
		}
	}

	/**
	 * Write back a session the cache lost, or one whose changes did not all reach it: the
	 * write that found it missing was applied to what the cache still holds, which no
	 * other pod can recover without the snapshot; a change that failed to reach it would
	 * be missing from what other pods recover.
	 * @param session the session, whose change is in progress
	 */
	private void writeBack(LiveSession session) {
		WriteOutcome outcome = this.writeThrough.whole(session);
		if (outcome == WriteOutcome.EVICTED) {
			// Deleted on another pod between the write and the write-back.
			throw drop(session);
		}
		// A failed write-back does not count as a touch. The next write finds the
		// session still missing and tries again, and so does the next touch, due one
		// interval after the last.
		if (outcome != null) {
			session.markCacheCurrent();
			session.touched(System.nanoTime());
			this.rewrites.record(session.id(), session.overlay().size());
		}
	}

	/**
	 * Stop holding a session that another pod deleted. Closing it inside the change
	 * refuses every change still waiting for it, and removing it sends later requests to
	 * the cache, where an evicted session is not found.
	 * @param session the session, whose change is in progress
	 * @return the exception that answers the request
	 */
	private UnknownSessionException drop(LiveSession session) {
		session.close();
		this.sessions.remove(session);
		logger.info(LogMessage.format("Session %s was deleted on another pod; dropped this pod's copy", session.id()));
		return new UnknownSessionException(session.id(),
				"Session " + session.id() + " was deleted on another pod; this pod has dropped its copy.");
	}

	private LiveSession find(UUID id) {
		LiveSession session = this.sessions.find(id);
		if (session != null) {
			return session;
		}
		return this.sessions.adopt(this.recovery.recover(id));
	}

}
