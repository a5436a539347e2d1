package dev.workspacecache.sample.web;

import java.net.URI;
import java.util.UUID;

import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.sample.session.SessionService;
import dev.workspacecache.sample.session.Versioned;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Creates, reads and deletes sessions. The JSON of a session is its
 * {@link WorkspaceSnapshot}; its {@code ETag} is the session's version
 * ({@link SessionVersionTags}).
 */
@RestController
@RequestMapping("/sessions")
class SessionController {

	private final SessionService sessions;

	SessionController(SessionService sessions) {
		this.sessions = sessions;
	}

	@PostMapping
	ResponseEntity<WorkspaceSnapshot> create(@RequestBody CreateSessionRequest request,
			UriComponentsBuilder uriBuilder) {
		Versioned<WorkspaceSnapshot> snapshot = this.sessions.create(request.validate());
		URI location = uriBuilder.path("/sessions/{id}").buildAndExpand(snapshot.value().sessionId()).toUri();
		return ResponseEntity.created(location)
			.eTag(SessionVersionTags.etag(snapshot.version()))
			.body(snapshot.value());
	}

	@GetMapping("/{id}")
	ResponseEntity<WorkspaceSnapshot> get(@PathVariable UUID id) {
		Versioned<WorkspaceSnapshot> snapshot = this.sessions.snapshot(id);
		return ResponseEntity.ok().eTag(SessionVersionTags.etag(snapshot.version())).body(snapshot.value());
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable UUID id) {
		this.sessions.delete(id);
		return ResponseEntity.noContent().build();
	}

}
