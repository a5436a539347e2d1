package dev.workspacecache.sample.web;

/**
 * Thrown when a request body is larger than {@code workspace.cache.max-entry-size}.
 */
class PayloadTooLargeException extends RuntimeException {

	private final long maxBytes;

	PayloadTooLargeException(String what, String size, long maxBytes) {
		super(what + " is " + size + ", over the limit of " + maxBytes
				+ " bytes set by workspace.cache.max-entry-size.");
		this.maxBytes = maxBytes;
	}

	long getMaxBytes() {
		return this.maxBytes;
	}

}
