package dev.workspacecache.sample.web;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.sample.session.OverlayEntries;
import dev.workspacecache.sample.session.OverlayPath;
import dev.workspacecache.sample.session.SessionService;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
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
	FileListing list(@PathVariable UUID id) {
		List<FileView> files = this.sessions.files(id)
			.entrySet()
			.stream()
			.map((file) -> FileView.of(file.getKey(), file.getValue()))
			.toList();
		return new FileListing(id, files);
	}

	@PutMapping("/{*path}")
	FileView write(@PathVariable UUID id, @PathVariable String path, HttpServletRequest request) throws IOException {
		OverlayPath file = overlayPath(path);
		byte[] content = this.bodyReader.read(request, "File content");
		return FileView.of(file.value(), this.sessions.writeFile(id, file, content));
	}

	@GetMapping("/{*path}")
	ResponseEntity<byte[]> read(@PathVariable UUID id, @PathVariable String path) {
		CachedOverlayEntry entry = this.sessions.file(id, overlayPath(path));
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.eTag(OverlayEntries.hash(entry))
			.body(OverlayEntries.content(entry));
	}

	@DeleteMapping("/{*path}")
	FileView delete(@PathVariable UUID id, @PathVariable String path) {
		OverlayPath file = overlayPath(path);
		return FileView.of(file.value(), this.sessions.deleteFile(id, file));
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
