package dev.workspacecache.sample.web;

import java.io.IOException;
import java.util.UUID;

import dev.workspacecache.sample.session.OverlayEntries;
import dev.workspacecache.sample.session.SessionService;
import dev.workspacecache.sample.session.Versioned;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The serialised graph of a session: an opaque blob, stored and returned as raw bytes,
 * with the session's version as {@code ETag}; a replacement sent with
 * {@code If-Match: "<version>"} is applied only to that version of the session.
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
	ResponseEntity<GraphView> replace(@PathVariable UUID id,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
			HttpServletRequest request) throws IOException {
		byte[] graph = this.bodyReader.read(request, "The graph");
		long version = this.sessions.replaceGraph(id, graph, SessionVersionTags.expectedVersion(ifMatch));
		return ResponseEntity.ok()
			.eTag(SessionVersionTags.etag(version))
			.body(new GraphView(graph.length, OverlayEntries.sha256(graph)));
	}

	@GetMapping
	ResponseEntity<byte[]> read(@PathVariable UUID id) {
		Versioned<byte[]> graph = this.sessions.graph(id);
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.eTag(SessionVersionTags.etag(graph.version()))
			.body(graph.value());
	}

}
