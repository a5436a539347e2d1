package dev.workspacecache.sample.web;

import java.io.IOException;

import dev.workspacecache.WorkspaceCache;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;

/**
 * Reads a raw request body (file content, graph) of at most the cache's
 * {@link WorkspaceCache#getMaxEntrySize() maximum entry size}, whatever its content type.
 * <p>
 * The limit is the cache's, so that a pod never accepts a change the cache would refuse;
 * the sample applies it itself because the {@code noop} cache accepts anything. It reads
 * at most one byte more than the limit, and rejects a declared {@code Content-Length}
 * over it before reading anything, so an oversized upload never fills the heap.
 */
@Component
class RequestBodyReader {

	/** Largest byte array a JVM reliably allocates. */
	private static final int MAX_ARRAY_SIZE = Integer.MAX_VALUE - 8;

	private final int maxBytes;

	RequestBodyReader(WorkspaceCache cache) {
		// The cache bean's limit, not the properties': an application's own cache has its
		// own.
		this.maxBytes = (int) Math.min(cache.getMaxEntrySize(), MAX_ARRAY_SIZE - 1);
	}

	/**
	 * Read the whole body of a request.
	 * @param request the request
	 * @param what what the body is, for the error message, for example
	 * {@code "File content"}
	 * @return the body bytes
	 * @throws PayloadTooLargeException if the body is over the limit
	 * @throws IOException if the body cannot be read
	 */
	byte[] read(HttpServletRequest request, String what) throws IOException {
		long declared = request.getContentLengthLong();
		if (declared > this.maxBytes) {
			throw new PayloadTooLargeException(what, declared + " bytes", this.maxBytes);
		}
		byte[] body = request.getInputStream().readNBytes(this.maxBytes + 1);
		if (body.length > this.maxBytes) {
			throw new PayloadTooLargeException(what, "more than " + this.maxBytes + " bytes", this.maxBytes);
		}
		return body;
	}

}
