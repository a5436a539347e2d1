package dev.workspacecache.sample.web;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Thrown when the body of {@code POST /sessions} misses or has invalid fields.
 */
class InvalidCreateSessionRequestException extends RuntimeException {

	private final Map<String, String> errors;

	InvalidCreateSessionRequestException(Map<String, String> errors) {
		super("The session request has invalid fields: " + String.join(", ", errors.keySet()) + ".");
		// Keeps the fields in the order the request record declares them.
		this.errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
	}

	/**
	 * Return what is wrong with each invalid field.
	 * @return messages by field name
	 */
	Map<String, String> getErrors() {
		return this.errors;
	}

}
