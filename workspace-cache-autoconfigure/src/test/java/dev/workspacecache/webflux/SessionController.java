package dev.workspacecache.webflux;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.webflux.Sessions.Served;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP API of the sessions ({@link Sessions}): create one, read it or one of its
 * files, write a file, delete it. Every answer that comes from a session says where this
 * pod found it ({@value #SERVED_FROM}): {@code held} for its own copy, {@code recovered}
 * for one read from the cache for this request.
 */
@RestController
@RequestMapping("/sessions")
class SessionController {

	/** The header that says where the session was found. */
	static final String SERVED_FROM = "X-Served-From";

	/** The header that carries a file's content hash. */
	static final String CONTENT_HASH = "X-Content-Hash";

	private final Sessions sessions;

	SessionController(Sessions sessions) {
		this.sessions = sessions;
	}

	@PostMapping
	Mono<ResponseEntity<SessionView>> create(@RequestBody NewSession request) {
		return this.sessions.create(request).map((created) -> {
			UUID id = created.snapshot().sessionId();
			return ResponseEntity.created(URI.create("/sessions/" + id)).body(SessionView.of(created));
		});
	}

	@GetMapping("/{id}")
	Mono<ResponseEntity<SessionView>> session(@PathVariable UUID id) {
		return this.sessions.find(id)
			.map((served) -> ResponseEntity.ok()
				.header(SERVED_FROM, servedFrom(served))
				.body(SessionView.of(served.workspace())));
	}

	@GetMapping("/{id}/files/{*path}")
	Mono<ResponseEntity<byte[]>> file(@PathVariable UUID id, @PathVariable String path) {
		String filePath = relative(path);
		return this.sessions.find(id).map((served) -> {
			if (!(served.workspace().files().get(filePath) instanceof CachedOverlayEntry.WithContent file)) {
				return ResponseEntity.notFound().header(SERVED_FROM, servedFrom(served)).build();
			}
			return ResponseEntity.ok()
				.contentType(MediaType.APPLICATION_OCTET_STREAM)
				.header(SERVED_FROM, servedFrom(served))
				.header(CONTENT_HASH, file.hash())
				.body(file.content());
		});
	}

	@PutMapping("/{id}/files/{*path}")
	Mono<FileWritten> writeFile(@PathVariable UUID id, @PathVariable String path, @RequestBody byte[] content) {
		return this.sessions.writeFile(id, relative(path), content);
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	Mono<Void> delete(@PathVariable UUID id) {
		return this.sessions.delete(id);
	}

	// The cache could not be reached: no copy of this pod changed, so the client
	// may try again.
	@ExceptionHandler
	ErrorResponse cacheFailed(WorkspaceCacheException ex) {
		return ErrorResponse.create(ex, HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
	}

	// A path the cache does not accept (empty, too long, an unpaired surrogate).
	@ExceptionHandler
	ErrorResponse rejected(IllegalArgumentException ex) {
		return ErrorResponse.create(ex, HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	private static String servedFrom(Served served) {
		return served.recovered() ? "recovered" : "held";
	}

	// {*path} captures the rest of the path with its leading slash.
	private static String relative(String path) {
		return path.startsWith("/") ? path.substring(1) : path;
	}

	static String kind(CachedOverlayEntry entry) {
		return entry.getClass().getSimpleName();
	}

	/**
	 * What a client sends to create a session.
	 *
	 * @param repoId the repository the session works on
	 * @param agentId the agent that asks
	 * @param intent what the session is for
	 * @param baseCommit the commit the session reads from
	 * @param files the files the session starts with, by path
	 * @param graph the session graph, or {@code null}
	 */
	record NewSession(UUID repoId, String agentId, String intent, String baseCommit, Map<String, byte[]> files,
			byte @Nullable [] graph) {

		NewSession {
			files = (files != null) ? files : Map.of();
		}

	}

	/**
	 * A whole session, as any pod serves it.
	 *
	 * @param snapshot the snapshot
	 * @param version the cache version the session is at
	 * @param files the overlay, in path order
	 * @param graph the session graph, or {@code null}
	 */
	record SessionView(WorkspaceSnapshot snapshot, long version, List<FileView> files, byte @Nullable [] graph) {

		static SessionView of(CachedWorkspace workspace) {
			List<FileView> files = workspace.files()
				.entrySet()
				.stream()
				.map((file) -> FileView.of(file.getKey(), file.getValue()))
				.toList();
			return new SessionView(workspace.snapshot(), workspace.version(), files, workspace.graph().orElse(null));
		}

	}

	/**
	 * One file of a session's overlay.
	 *
	 * @param path the path
	 * @param kind {@code Added}, {@code Modified} or {@code Deleted}
	 * @param hash the content hash, or {@code null} for a deleted file
	 * @param content the content, or {@code null} for a deleted file
	 */
	record FileView(String path, String kind, @Nullable String hash, byte @Nullable [] content) {

		static FileView of(String path, CachedOverlayEntry entry) {
			return (entry instanceof CachedOverlayEntry.WithContent file)
					? new FileView(path, SessionController.kind(entry), file.hash(), file.content())
					: new FileView(path, SessionController.kind(entry), null, null);
		}

	}

	/**
	 * What a file write did.
	 *
	 * @param path the path
	 * @param kind {@code Added} or {@code Modified}
	 * @param hash the content hash
	 * @param version the cache version the session reached
	 * @param wroteWholeSession whether the cache had lost the session, so that the write
	 * carried all of it
	 * @param attempts how many times the write was sent: each after the first followed a
	 * version conflict
	 */
	record FileWritten(String path, String kind, String hash, long version, boolean wroteWholeSession, int attempts) {

		FileWritten withAttempts(int attempts) {
			return new FileWritten(this.path, this.kind, this.hash, this.version, this.wroteWholeSession, attempts);
		}

	}

}
