package dev.workspacecache.webflux;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.ConditionalWriteResult;
import dev.workspacecache.ReactiveWorkspaceCache;
import dev.workspacecache.ReactiveWorkspaceChangeNotifications;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.WorkspaceWrite;
import dev.workspacecache.WriteOutcome;
import dev.workspacecache.webflux.HeldSessions.Held;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;

/**
 * The recovery flow the library promises, reactively: a session is served from this pod's
 * copy ({@link HeldSessions}) or rebuilt from the cache with one
 * {@link ReactiveWorkspaceCache#recover(UUID) recover}; every write goes through to the
 * cache conditional on the version of the copy it was made from
 * ({@link ReactiveWorkspaceCache#writeIfVersion(UUID, long, WorkspaceWrite)}), and what
 * the cache found decides what happens next:
 * <ul>
 * <li>applied: the copy takes the change at the cache's new version;</li>
 * <li>a version conflict: another pod (or another request of this one) wrote first. The
 * copy is replaced by what the cache holds and the change applied again to it, after a
 * short random pause, so that pods writing one session at once do not overtake each other
 * in step;</li>
 * <li>missing: the cache lost the session (a server restarted without persistence). This
 * pod writes all of it back, with the change, conditional on its version, so that other
 * pods can recover it again;</li>
 * <li>{@link WriteOutcome#EVICTED}: another pod deleted the session, and the cache
 * refuses the late write. This pod drops its copy and answers {@code 410 Gone}.</li>
 * </ul>
 * No call here waits: every cache call returns a {@link Mono} completed by the cache's
 * I/O threads, and {@link ReactiveWorkspaceChangeNotifications} waits for a watch to be
 * live off the event loops.
 */
@Service
class Sessions {

	/**
	 * How many times a write is retried after a version conflict before the request gives
	 * up with {@code 409}: each retry follows another writer's change.
	 */
	private static final int MAX_RETRIES = 16;

	private final ReactiveWorkspaceCache cache;

	private final ReactiveWorkspaceChangeNotifications notifications;

	private final HeldSessions held;

	/** Numbers the agent names this pod hands out ("agent-3"). */
	private final AtomicInteger agentNumbers = new AtomicInteger();

	Sessions(ReactiveWorkspaceCache cache, ReactiveWorkspaceChangeNotifications notifications, HeldSessions held) {
		this.cache = cache;
		this.notifications = notifications;
		this.held = held;
	}

	/**
	 * Create a session on this pod and write it to the cache whole, conditional on
	 * version {@code 0}: it must not exist yet.
	 * @param request what the client asked for
	 * @return the session at the version the cache gave it
	 */
	Mono<CachedWorkspace> create(SessionController.NewSession request) {
		return Mono.defer(() -> {
			UUID id = UUID.randomUUID();
			WorkspaceSnapshot snapshot = new WorkspaceSnapshot(id, request.repoId(), request.agentId(),
					"agent-" + this.agentNumbers.incrementAndGet(), UUID.randomUUID(), request.intent(),
					request.baseCommit(), "active", "ephemeral");
			Map<String, CachedOverlayEntry> files = new TreeMap<>();
			request.files()
				.forEach((path, content) -> files.put(path, new CachedOverlayEntry.Added(content, sha256(content))));
			CachedWorkspace workspace = CachedWorkspace.of(snapshot, files, request.graph());
			long resynchronizations = this.held.resynchronizations();
			return this.notifications.watch(id)
				.then(this.cache.writeIfVersion(id, 0, WorkspaceWrite.all(workspace)))
				.map((result) -> {
					if (!result.applied()) {
						throw new IllegalStateException("The cache refused to create session " + id + ": " + result);
					}
					return this.held.hold(workspace.withVersion(result.version()), resynchronizations).workspace();
				});
		});
	}

	/**
	 * Find a session to serve: this pod's copy when it is current, else the cache's.
	 * @param id the session id
	 * @return the session, and where it came from
	 * @throws UnknownSessionException (signalled) if neither this pod nor the cache has
	 * it
	 */
	Mono<Served> find(UUID id) {
		return Mono.defer(() -> {
			Held copy = this.held.get(id);
			if (copy != null && copy.isVerifiedThrough(this.held.resynchronizations()) && !changedElsewhere(id, copy)) {
				return Mono.just(new Served(copy.workspace(), false));
			}
			return recover(id, copy);
		});
	}

	/**
	 * Write a file of a session, through to the cache.
	 * @param id the session id
	 * @param path the file path
	 * @param content the content
	 * @return what was written
	 */
	Mono<SessionController.FileWritten> writeFile(UUID id, String path, byte[] content) {
		return Mono.defer(() -> {
			AtomicInteger attempts = new AtomicInteger();
			return Mono.defer(() -> {
				attempts.incrementAndGet();
				return copyToWriteFrom(id).flatMap((copy) -> writeFile(copy, path, content));
			})
				.retryWhen(Retry.backoff(MAX_RETRIES, Duration.ofMillis(1))
					.maxBackoff(Duration.ofMillis(50))
					.filter(StaleCopyException.class::isInstance)
					.onRetryExhaustedThrow((spec, signal) -> new ResponseStatusException(HttpStatus.CONFLICT,
							"Session " + id + " kept changing on other pods; the write was not applied after "
									+ signal.totalRetries() + " retries")))
				.map((written) -> written.withAttempts(attempts.get()));
		});
	}

	/**
	 * Delete a session: evict it from the cache, for good, then drop this pod's copy.
	 * Evicted first, so that a request of this pod that misses its copy from then on
	 * finds nothing in the cache to recover either.
	 * @param id the session id
	 * @return completes once the session is evicted
	 */
	Mono<Void> delete(UUID id) {
		return this.cache.evict(id).then(drop(id));
	}

	// Reads the session from the cache, watching it first so that no change can fall
	// between the read and the subscription.
	private Mono<Served> recover(UUID id, @Nullable Held copy) {
		long resynchronizations = this.held.resynchronizations();
		return this.notifications.watch(id)
			.then(this.cache.recover(id))
			.map((workspace) -> new Served(this.held.hold(workspace, resynchronizations).workspace(), true))
			.switchIfEmpty(Mono.defer(() -> missing(id, copy)));
	}

	// The cache does not have a session this pod was asked for.
	private Mono<Served> missing(UUID id, @Nullable Held copy) {
		if (copy != null && !changedElsewhere(id, copy)) {
			// Notifications may have been missed, and the cache lost the session (a
			// restart without persistence): this pod's copy is all that is left of it.
			// It is served, and written back whole by its next write.
			return Mono.just(new Served(copy.workspace(), false));
		}
		// Unknown, or another pod changed it and it is gone since: evicted, or expired.
		return drop(id).then(Mono.error(new UnknownSessionException(id)));
	}

	private boolean changedElsewhere(UUID id, Held copy) {
		return this.notifications.getAnnouncedVersion(id) > copy.workspace().version();
	}

	// A write needs a copy to make the change from, but not a current one: the cache
	// checks its version.
	private Mono<CachedWorkspace> copyToWriteFrom(UUID id) {
		Held copy = this.held.get(id);
		return (copy != null) ? Mono.just(copy.workspace()) : recover(id, null).map(Served::workspace);
	}

	private Mono<SessionController.FileWritten> writeFile(CachedWorkspace copy, String path, byte[] content) {
		UUID id = copy.snapshot().sessionId();
		CachedOverlayEntry.WithContent entry = entry(copy, path, content);
		long resynchronizations = this.held.resynchronizations();
		return this.cache.writeIfVersion(id, copy.version(), WorkspaceWrite.file(path, entry)).flatMap((result) -> {
			if (result.applied()) {
				return written(copy, path, entry, result, false, resynchronizations);
			}
			if (result.outcome() != WriteOutcome.EVICTED && !result.isConflict()) {
				return writeBack(copy, path, entry, resynchronizations);
			}
			return refused(copy, result);
		});
	}

	// The cache lost the session: a part written alone would leave it partial, so the
	// whole session goes back, with the change. The cache takes it at the copy's
	// version, and refuses it if it lost a newer one.
	private Mono<SessionController.FileWritten> writeBack(CachedWorkspace copy, String path,
			CachedOverlayEntry.WithContent entry, long resynchronizations) {
		UUID id = copy.snapshot().sessionId();
		CachedWorkspace whole = CachedWorkspace.of(copy.snapshot(), withFile(copy, path, entry),
				copy.graph().orElse(null));
		return this.cache.writeIfVersion(id, copy.version(), WorkspaceWrite.all(whole))
			.flatMap((result) -> result.applied() ? written(copy, path, entry, result, true, resynchronizations)
					: refused(copy, result));
	}

	private Mono<SessionController.FileWritten> written(CachedWorkspace copy, String path,
			CachedOverlayEntry.WithContent entry, ConditionalWriteResult result, boolean wholeSession,
			long resynchronizations) {
		CachedWorkspace changed = CachedWorkspace
			.of(copy.snapshot(), withFile(copy, path, entry), copy.graph().orElse(null))
			.withVersion(result.version());
		this.held.holdWritten(changed, resynchronizations);
		return Mono.just(new SessionController.FileWritten(path, SessionController.kind(entry), entry.hash(),
				result.version(), wholeSession, 1));
	}

	// A write the cache refused: the session was evicted, or the copy was stale.
	private <T> Mono<T> refused(CachedWorkspace copy, ConditionalWriteResult result) {
		UUID id = copy.snapshot().sessionId();
		if (result.outcome() == WriteOutcome.EVICTED) {
			return drop(id).then(Mono.error(new SessionEvictedException(id)));
		}
		long resynchronizations = this.held.resynchronizations();
		return this.cache.recover(id).switchIfEmpty(Mono.defer(() -> {
			// Evicted or expired between the write and the read.
			return drop(id).then(Mono.error(new UnknownSessionException(id)));
		})).flatMap((current) -> {
			this.held.replaceStale(current, copy.version(), resynchronizations);
			return Mono.error(new StaleCopyException());
		});
	}

	private Mono<Void> drop(UUID id) {
		return Mono.fromRunnable(() -> this.held.drop(id)).then(this.notifications.unwatch(id));
	}

	// This app has no base tree to compare with: a path new to the overlay is taken as
	// added, one it holds keeps its kind.
	private static CachedOverlayEntry.WithContent entry(CachedWorkspace copy, String path, byte[] content) {
		String hash = sha256(content);
		return (copy.files().get(path) instanceof CachedOverlayEntry.Modified)
				? new CachedOverlayEntry.Modified(content, hash) : new CachedOverlayEntry.Added(content, hash);
	}

	private static Map<String, CachedOverlayEntry> withFile(CachedWorkspace copy, String path,
			CachedOverlayEntry entry) {
		Map<String, CachedOverlayEntry> files = new TreeMap<>(copy.files());
		files.put(path, entry);
		return files;
	}

	static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JVM has SHA-256", ex);
		}
	}

	/**
	 * A session as a request found it.
	 *
	 * @param workspace the session at its version
	 * @param recovered whether it was read from the cache for this request, rather than
	 * served from this pod's copy
	 */
	record Served(CachedWorkspace workspace, boolean recovered) {

	}

	/**
	 * Neither this pod nor the cache holds the session: {@code 404}.
	 */
	static class UnknownSessionException extends ResponseStatusException {

		UnknownSessionException(UUID id) {
			super(HttpStatus.NOT_FOUND, "Session " + id + " is not held by this pod and not in the cache: it was "
					+ "deleted, expired, or never existed");
		}

	}

	/**
	 * The session this pod held was deleted on another pod, and this pod dropped its
	 * copy: {@code 410}.
	 */
	static class SessionEvictedException extends ResponseStatusException {

		SessionEvictedException(UUID id) {
			super(HttpStatus.GONE, "Session " + id
					+ " was deleted on another pod: the cache refused this write, and this pod " + "dropped its copy");
		}

	}

	/**
	 * The copy a write was made from is no longer the cache's version; it has been
	 * replaced, and the write is to be made again from the new copy.
	 */
	private static class StaleCopyException extends RuntimeException {

		StaleCopyException() {
			super("stale copy", null, false, false);
		}

	}

}
