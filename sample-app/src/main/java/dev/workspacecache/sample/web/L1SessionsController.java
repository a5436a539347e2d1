package dev.workspacecache.sample.web;

import java.util.UUID;

import dev.workspacecache.sample.session.LiveSessions;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A demo aid: makes this pod forget its in-memory (L1) copy of a session, as a restart or
 * a move of the session to another pod would, without touching the cache. The next
 * request for the session on this pod then shows what the cache mode does: recovery in
 * {@code valkey} mode, 404 otherwise. Not something a production service would expose.
 */
@RestController
@RequestMapping("/l1/sessions")
class L1SessionsController {

	private final LiveSessions sessions;

	L1SessionsController(LiveSessions sessions) {
		this.sessions = sessions;
	}

	@DeleteMapping("/{id}")
	ResponseEntity<?> drop(@PathVariable UUID id) {
		if (this.sessions.drop(id)) {
			return ResponseEntity.noContent().build();
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"This pod holds no in-memory copy of session " + id + ".");
		problem.setTitle("Session not held by this pod");
		problem.setProperty("sessionId", id);
		return ResponseEntity.of(problem).build();
	}

}
