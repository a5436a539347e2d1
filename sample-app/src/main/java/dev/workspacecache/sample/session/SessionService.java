package dev.workspacecache.sample.session;

import java.util.NavigableMap;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.ConditionalWriteResult;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.WorkspaceWrite;
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
 * <strong>Copies stay coherent across pods.</strong> A pod watches a session's change
 * notifications before it creates or recovers it ({@link LiveSessions#watch(UUID)}). When
 * another pod changes the session, {@link SessionChangeListener} marks the copy, and the
 * next access revalidates it: one {@code recover}, whose newer version replaces the copy.
 * After a resynchronize signal (notifications may have been missed) every copy is
 * revalidated the same way at its next access. A session evicted on another pod is
 * dropped as soon as its notification arrives.
 * <p>
 * <strong>Writes are conditional on the version this pod holds</strong>
 * ({@link dev.workspacecache.WorkspaceCache#writeIfVersion}), and the service acts on
 * what the cache found inside the session's change, so that no other change of the
 * session runs meanwhile:
 * <ul>
 * <li>applied: the copy takes the change and the version the cache reached;</li>
 * <li>a version conflict: another pod wrote first. The copy is revalidated and the change
 * is prepared again from it and re-applied (a file written over another pod's write
 * becomes {@code Modified}); unless the client made it conditional on a version
 * ({@code If-Match}), which is then no longer current: 409;</li>
 * <li>missing: the cache lost the session (a server restarted without persistence, a
 * flush, an eviction under memory pressure, a failover). This pod holds all of it, so it
 * writes it back whole with the change, conditional on its version, and other pods can
 * recover it again. The cache continues from that version, and refuses a copy older than
 * what it holds: a stale pod never re-seeds over a newer version;</li>
 * <li>{@link WriteOutcome#EVICTED EVICTED}: another pod deleted the session. This pod
 * drops its copy and answers as for a deleted session (404).</li>
 * </ul>
 * A failed cache call fails no request: the change is applied to the copy only, which is
 * marked as ahead of the cache, and the next call that reaches the cache writes it back
 * whole, conditionally too: if another pod wrote meanwhile, this pod's changes are
 * applied again on top of the revalidated copy before it is written.
 */
@Service
public class SessionService {

	private static final Log logger = LogFactory.getLog(SessionService.class);

	private static final String INITIAL_STATE = "active";

	/**
	 * How many times a change is tried against the cache before the request gives up with
	 * a conflict: each try after the first follows another pod's change.
	 */
	private static final int MAX_ATTEMPTS = 32;

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
	 * @return the new session's snapshot, at the version the cache gave it
	 */
	public Versioned<WorkspaceSnapshot> create(NewSession request) {
		WorkspaceSnapshot snapshot = new WorkspaceSnapshot(UUID.randomUUID(), request.repoId(), request.agentId(),
				"agent-" + this.agentNumbers.incrementAndGet(), UUID.randomUUID(), request.intent(),
				request.baseCommit(), INITIAL_STATE, request.mode());
		this.sessions.watch(snapshot.sessionId());
		LiveSession session = LiveSession.created(snapshot, System.nanoTime(), this.sessions.resynchronizations());
		this.sessions.add(session);
		// Whole rather than the snapshot alone, so that the cache holds a recoverable
		// workspace from the start; conditional on version 0, as it must not exist yet.
		// Should the write fail, the first call that reaches the cache writes it whole.
		session.change(() -> {
			if (writeWhole(session) != WholeWrite.WRITTEN) {
				session.markCacheBehind();
			}
		});
		return new Versioned<>(snapshot, session.version());
	}

	/**
	 * Return the snapshot of a session.
	 * @param id the session id
	 * @return the snapshot
	 */
	public Versioned<WorkspaceSnapshot> snapshot(UUID id) {
		LiveSession session = read(id);
		long version = session.version();
		return new Versioned<>(session.snapshot(), version);
	}

	/**
	 * Return the overlay of a session.
	 * @param id the session id
	 * @return the entries by path, in lexicographic order
	 */
	public Versioned<NavigableMap<String, CachedOverlayEntry>> files(UUID id) {
		LiveSession session = read(id);
		long version = session.version();
		return new Versioned<>(session.overlay(), version);
	}

	/**
	 * Return the entry of a file that the session has written.
	 * @param id the session id
	 * @param path the file path
	 * @return an {@link CachedOverlayEntry.Added Added} or
	 * {@link CachedOverlayEntry.Modified Modified} entry
	 * @throws FileNotInSessionException if the file was deleted or never written
	 */
	public Versioned<CachedOverlayEntry> file(UUID id, OverlayPath path) {
		LiveSession session = read(id);
		long version = session.version();
		CachedOverlayEntry entry = session.entry(path);
		if (entry == null || entry instanceof CachedOverlayEntry.Deleted) {
			throw new FileNotInSessionException(id, path, entry != null);
		}
		return new Versioned<>(entry, version);
	}

	/**
	 * Write a file, as {@link OverlayEntries#written described there}.
	 * @param id the session id
	 * @param path the file path
	 * @param content the new content
	 * @param expectedVersion the version the client made the change from
	 * ({@code If-Match}), or {@code null} to apply it to whatever the session is now
	 * @return the entry recorded
	 * @throws SessionVersionConflictException if the session is not at
	 * {@code expectedVersion}
	 */
	public Versioned<CachedOverlayEntry> writeFile(UUID id, OverlayPath path, byte[] content,
			@Nullable Long expectedVersion) {
		return fileChange(id, expectedVersion, (session) -> SessionChange.written(session, path, content));
	}

	/**
	 * Delete a file: record a {@link CachedOverlayEntry.Deleted Deleted} entry for it,
	 * whether or not the session had written it, since the base commit may have it.
	 * @param id the session id
	 * @param path the file path
	 * @param expectedVersion the version the client made the change from
	 * ({@code If-Match}), or {@code null}
	 * @return the entry recorded
	 * @throws SessionVersionConflictException if the session is not at
	 * {@code expectedVersion}
	 */
	public Versioned<CachedOverlayEntry> deleteFile(UUID id, OverlayPath path, @Nullable Long expectedVersion) {
		return fileChange(id, expectedVersion, (session) -> SessionChange.deleted(path));
	}

	/**
	 * Return the graph of a session.
	 * @param id the session id
	 * @return a copy of the graph bytes
	 * @throws GraphNotSetException if the session has no graph
	 */
	public Versioned<byte[]> graph(UUID id) {
		LiveSession session = read(id);
		long version = session.version();
		byte @Nullable [] graph = session.graph();
		if (graph == null) {
			throw new GraphNotSetException(id);
		}
		return new Versioned<>(graph, version);
	}

	/**
	 * Replace the graph of a session.
	 * @param id the session id
	 * @param graph the new graph bytes
	 * @param expectedVersion the version the client made the change from
	 * ({@code If-Match}), or {@code null}
	 * @return the version the session reached
	 * @throws SessionVersionConflictException if the session is not at
	 * {@code expectedVersion}
	 */
	public long replaceGraph(UUID id, byte[] graph, @Nullable Long expectedVersion) {
		byte[] replacement = graph.clone();
		return change(id, expectedVersion, (session) -> new SessionChange.Graph(replacement)).version();
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

	private Versioned<CachedOverlayEntry> fileChange(UUID id, @Nullable Long expectedVersion,
			Function<LiveSession, SessionChange.File> prepare) {
		Versioned<SessionChange.File> applied = change(id, expectedVersion, prepare);
		return new Versioned<>(applied.value().entry(), applied.version());
	}

	// Applies one change: prepared from the copy, written to the cache conditional on the
	// copy's version, applied to the copy once the cache took it; prepared again from the
	// revalidated copy when another pod wrote first.
	private <C extends SessionChange> Versioned<C> change(UUID id, @Nullable Long expectedVersion,
			Function<LiveSession, C> prepare) {
		LiveSession session = find(id);
		return session.changeAndGet(() -> {
			boolean revalidated = false;
			boolean lost = false;
			for (int attempt = 1;; attempt++) {
				if (expectedVersion != null && expectedVersion != session.version()) {
					// The client may have seen a version this copy has not caught up with
					// yet: only a copy checked against the cache can refuse it.
					if (revalidated) {
						throw versionMismatch(session, expectedVersion);
					}
					revalidated = true;
					lost = revalidate(session) == Revalidation.LOST;
					continue;
				}
				C change = prepare.apply(session);
				long resynchronizations = this.sessions.resynchronizations();
				boolean whole = lost || session.isCacheBehind();
				WorkspaceWrite write = whole ? WorkspaceWrite.all(session.wholeWith(change)) : change.write();
				ConditionalWriteResult result = this.writeThrough.writeIfVersion(id, session.version(), write);
				if (result == null) {
					// The change is applied here but not in the cache, and later part
					// writes would not carry it: the cache would hold a mix of old and
					// new
					// parts. The next call that reaches the cache writes the whole
					// session
					// back instead.
					session.appliedLocally(change);
					return new Versioned<>(change, session.version());
				}
				if (result.applied()) {
					session.applied(change, result.version(), resynchronizations);
					session.touched(System.nanoTime());
					if (whole) {
						wroteBack(session);
					}
					return new Versioned<>(change, result.version());
				}
				if (result.outcome() == WriteOutcome.EVICTED) {
					throw drop(session);
				}
				if (attempt == MAX_ATTEMPTS) {
					throw new SessionVersionConflictException(id, session.version(),
							"Session " + id + " kept changing on other pods; the change was not applied after "
									+ attempt + " attempts.");
				}
				if (!result.isConflict()) {
					// Lost: written whole with the change at the next attempt.
					lost = true;
					continue;
				}
				revalidated = true;
				backOff(attempt);
				Revalidation revalidation = revalidate(session);
				if (revalidation == Revalidation.FAILED) {
					// Another pod wrote first, and what it wrote cannot be read now: keep
					// the change here, to be applied on top of the other pod's once the
					// cache answers again.
					session.appliedLocally(change);
					return new Versioned<>(change, session.version());
				}
				lost = revalidation == Revalidation.LOST;
			}
		});
	}

	// Pods that keep writing one session at once would keep overtaking each other in
	// step: a short random pause after losing lets one of them through.
	private static void backOff(int attempt) {
		if (attempt > 1) {
			LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(attempt)));
		}
	}

	private SessionVersionConflictException versionMismatch(LiveSession session, long expectedVersion) {
		long current = session.version();
		return new SessionVersionConflictException(session.id(), current,
				"Session " + session.id() + " is at version " + current + ", not " + expectedVersion
						+ " (If-Match): it changed since the client read it. Read it again and re-apply the change.");
	}

	/**
	 * Find a session and, since this is an access, make sure the copy is current and keep
	 * it alive in the cache.
	 * @param id the session id
	 * @return the session
	 */
	private LiveSession read(UUID id) {
		LiveSession session = find(id);
		if (this.sessions.needsRevalidation(session)) {
			session.change(() -> {
				// Again inside the change: a concurrent request may have revalidated it
				// while this one waited.
				if (this.sessions.needsRevalidation(session) && revalidate(session) == Revalidation.LOST) {
					writeBack(session);
				}
			});
		}
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
	 * Act on what the cache found when it received a touch of a session. Runs inside the
	 * session's change.
	 * @param session the session
	 * @param outcome the outcome
	 * @throws UnknownSessionException if the session was deleted on another pod
	 */
	private void settle(LiveSession session, WriteOutcome outcome) {
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
	 * Check the copy of a session against the cache, inside its change: one
	 * {@code recover}. A different version in the cache replaces the copy (this pod's
	 * changes that did not reach the cache yet are applied again on top of it).
	 * @param session the session
	 * @return what the cache holds
	 */
	private Revalidation revalidate(LiveSession session) {
		long resynchronizations = this.sessions.resynchronizations();
		Optional<CachedWorkspace> current = this.writeThrough.recover(session.id());
		if (current == null) {
			return Revalidation.FAILED;
		}
		if (current.isEmpty()) {
			return Revalidation.LOST;
		}
		CachedWorkspace workspace = current.get();
		if (workspace.version() != session.version() || session.isCacheBehind()) {
			if (logger.isDebugEnabled()) {
				logger.debug(LogMessage.format(
						"Session %s: replacing this pod's copy at version %d with the cache's at " + "version %d",
						session.id(), session.version(), workspace.version()));
			}
			session.replaceWith(workspace, resynchronizations);
		}
		else {
			session.verified(resynchronizations);
		}
		return Revalidation.CURRENT;
	}

	/**
	 * Write back a session the cache lost, or one whose changes did not all reach it,
	 * conditional on the copy's version: the cache takes it when it holds that version,
	 * or when it lost the session at that version or an older one. When another pod wrote
	 * meanwhile, the copy is revalidated, and written again only if this pod has changes
	 * of its own to add (applied again on top of the other pod's).
	 * @param session the session, whose change is in progress
	 */
	private void writeBack(LiveSession session) {
		for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
			WholeWrite outcome = writeWhole(session);
			if (outcome == WholeWrite.WRITTEN) {
				wroteBack(session);
				return;
			}
			// A failed write-back does not count as a touch: the next write or touch
			// tries again.
			if (outcome == WholeWrite.NOT_WRITTEN || !session.isCacheBehind()) {
				return;
			}
		}
	}

	// Writes the whole copy conditional on its version; on a conflict, revalidates the
	// copy instead.
	private WholeWrite writeWhole(LiveSession session) {
		long resynchronizations = this.sessions.resynchronizations();
		ConditionalWriteResult result = this.writeThrough.writeIfVersion(session.id(), session.version(),
				WorkspaceWrite.all(session.whole()));
		if (result == null) {
			return WholeWrite.NOT_WRITTEN;
		}
		if (result.applied()) {
			session.writtenWhole(result.version(), resynchronizations);
			session.touched(System.nanoTime());
			return WholeWrite.WRITTEN;
		}
		if (result.outcome() == WriteOutcome.EVICTED) {
			// Deleted on another pod meanwhile.
			throw drop(session);
		}
		// Another pod wrote first; or the cache lost a newer version than this copy,
		// which this pod must not write over.
		return (revalidate(session) == Revalidation.CURRENT) ? WholeWrite.REVALIDATED : WholeWrite.NOT_WRITTEN;
	}

	// Reports a session written back whole.
	private void wroteBack(LiveSession session) {
		session.markCacheCurrent();
		this.rewrites.record(session.id(), session.overlay().size());
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

	// Finds the copy this pod holds, or recovers one, watching the session first.
	private LiveSession find(UUID id) {
		LiveSession session = this.sessions.find(id);
		if (session != null) {
			return session;
		}
		this.sessions.watch(id);
		long resynchronizations = this.sessions.resynchronizations();
		try {
			LiveSession recovered = this.recovery.recover(id);
			recovered.verified(resynchronizations);
			return this.sessions.adopt(recovered);
		}
		catch (RuntimeException ex) {
			this.sessions.unwatchUnlessHeld(id);
			throw ex;
		}
	}

	/**
	 * What revalidating a copy found.
	 */
	private enum Revalidation {

		/** The copy is the cache's version now. */
		CURRENT,

		/** The cache does not hold the session: lost, or evicted. */
		LOST,

		/** The cache could not be read: the copy is served as it is. */
		FAILED

	}

	/**
	 * What became of a whole write of a session.
	 */
	private enum WholeWrite {

		/** The cache took it. */
		WRITTEN,

		/** Another pod wrote first: the copy now is the cache's version. */
		REVALIDATED,

		/** The call failed, or the cache holds nothing this copy may be written over. */
		NOT_WRITTEN

	}

}
