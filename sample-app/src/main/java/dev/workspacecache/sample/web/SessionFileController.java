package dev.workspacecache.sample.web;

import java.io.IOException;
import java.util.List;
import java.util.NavigableMap;
import java.util.UUID;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.sample.session.OverlayEntries;
import dev.workspacecache.sample.session.OverlayPath;
import dev.workspacecache.sample.session.SessionService;
import dev.workspacecache.sample.session.Versioned;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The files of a session. Content goes in and out as raw bytes, whatever the content
 * type.
 * <p>
 * The file path is the rest of the URL after {@code /files/}, captured with
 * {@code {*path}} and decoded by Spring MVC: it may contain {@code /} (as plain slashes;
 * Tomcat rejects {@code %2F} by default), spaces and any UTF-8 character, percent-encoded
 * as usual. A literal {@code ;} starts a matrix parameter in a URL, so it must be sent as
 * {@code %3B}.
 * <p>
 * Every response carries the session's version as its {@code ETag}
 * ({@link SessionVersionTags}): the version the file was read at or the write reached. A
 * write or delete sent with {@code If-Match: "<version>"} is applied only to that version
 * of the session, and answered with 409 once the session has changed.
 */
@RestController
@RequestMapping("/sessions/{id}/files")
class SessionFileController {

	private final SessionService sessions;

	private final RequestBodyReader bodyReader;

	SessionFileController(SessionService sessions, RequestBodyReader bodyReader) {
		this.sessions = sessions;
		this.bodyReader = bodyReader;
	}

	@GetMapping
	ResponseEntity<FileListing> list(@PathVariable UUID id) {
		Versioned<NavigableMap<String, CachedOverlayEntry>> overlay = this.sessions.files(id);
		List<FileView> files = overlay.value()
			.entrySet()
			.stream()
			.map((file) -> FileView.of(file.getKey(), file.getValue()))
			.toList();
		return ResponseEntity.ok().eTag(SessionVersionTags.etag(overlay.version())).body(new FileListing(id, files));
	}

	@PutMapping("/{*path}")
	ResponseEntity<FileView> write(@PathVariable UUID id, @PathVariable String path,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
			HttpServletRequest request) throws IOException {
		OverlayPath file = overlayPath(path);
		byte[] content = this.bodyReader.read(request, "File content");
		return written(file, this.sessions.writeFile(id, file, content, SessionVersionTags.expectedVersion(ifMatch)));
	}

	@GetMapping("/{*path}")
	ResponseEntity<byte[]> read(@PathVariable UUID id, @PathVariable String path) {
		Versioned<CachedOverlayEntry> entry = this.sessions.file(id, overlayPath(path));
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.eTag(SessionVersionTags.etag(entry.version()))
			.body(OverlayEntries.content(entry.value()));
	}

	@DeleteMapping("/{*path}")
	ResponseEntity<FileView> delete(@PathVariable UUID id, @PathVariable String path,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch) {
		OverlayPath file = overlayPath(path);
		return written(file, this.sessions.deleteFile(id, file, SessionVersionTags.expectedVersion(ifMatch)));
	}

	private static ResponseEntity<FileView> written(OverlayPath file, Versioned<CachedOverlayEntry> entry) {
		return ResponseEntity.ok()
			.eTag(SessionVersionTags.etag(entry.version()))
			.body(FileView.of(file.value(), entry.value()));
	}

	/**
	 * Turn the captured rest of the URL, which starts with the {@code /} after
	 * {@code files}, into a file path.
	 * @param captured the rest of the URL
	 * @return the file path
	 */
	private static OverlayPath overlayPath(String captured) {
		return new OverlayPath(captured.startsWith("/") ? captured.substring(1) : captured);
	}

}
