package dev.workspacecache.sample.web;

import java.io.IOException;
import java.util.UUID;

import dev.workspacecache.sample.session.OverlayEntries;
import dev.workspacecache.sample.session.SessionService;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The serialised graph of a session: an opaque blob, stored and returned as raw bytes.
 */
@RestController
@RequestMapping("/sessions/{id}/graph")
class SessionGraphController {

	private final SessionService sessions;

	private final RequestBodyReader bodyReader;

	SessionGraphController(SessionService sessions, RequestBodyReader bodyReader) {
		this.sessions = sessions;
		this.bodyReader = bodyReader;
	}

	@PutMapping
	GraphView replace(@PathVariable UUID id, HttpServletRequest request) throws IOException {
		byte[] graph = this.bodyReader.read(request, "The graph");
		this.sessions.replaceGraph(id, graph);
		return new GraphView(graph.length, OverlayEntries.sha256(graph));
	}

	@GetMapping
	ResponseEntity<byte[]> read(@PathVariable UUID id) {
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).body(this.sessions.graph(id));
	}

}
