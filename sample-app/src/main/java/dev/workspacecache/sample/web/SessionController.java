package dev.workspacecache.sample.web;

import java.net.URI;
import java.util.UUID;

import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.sample.session.SessionService;

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
 * {@link WorkspaceSnapshot}.
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
		WorkspaceSnapshot snapshot = this.sessions.create(request.validate());
		URI location = uriBuilder.path("/sessions/{id}").buildAndExpand(snapshot.sessionId()).toUri();
		return ResponseEntity.created(location).body(snapshot);
	}

	@GetMapping("/{id}")
	WorkspaceSnapshot get(@PathVariable UUID id) {
		return this.sessions.snapshot(id);
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable UUID id) {
		this.sessions.delete(id);
		return ResponseEntity.noContent().build();
	}

}
