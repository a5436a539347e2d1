package dev.workspacecache.sample.web;

import org.jspecify.annotations.Nullable;

/**
 * A session's version as HTTP shows it: the {@code ETag} of every response about the
 * session (its snapshot, its files, its graph), {@code "<version>"}, and the
 * {@code If-Match} a client sends back to make a change conditional on it.
 */
final class SessionVersionTags {

	/**
	 * What an {@code If-Match} that is not one of this API's tags expects: never a
	 * version.
	 */
	private static final long NO_VERSION = -1;

	private SessionVersionTags() {
	}

	/**
	 * Return the entity tag of a version.
	 * @param version the session's version
	 * @return the tag, quoted
	 */
	static String etag(long version) {
		return "\"" + version + "\"";
	}

	/**
	 * Return the version an {@code If-Match} header asks for.
	 * @param ifMatch the header, or {@code null} when absent
	 * @return {@code null} when the change is unconditional (no header, or {@code *});
	 * the version of a strong tag this API issued; otherwise a value no version has (a
	 * weak tag, a list, anything else), which the change is refused for
	 */
	static @Nullable Long expectedVersion(@Nullable String ifMatch) {
		if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
			return null;
		}
		String tag = ifMatch.trim();
		if (tag.length() < 3 || tag.charAt(0) != '"' || tag.charAt(tag.length() - 1) != '"') {
			return NO_VERSION;
		}
		try {
			return Long.parseLong(tag.substring(1, tag.length() - 1));
		}
		catch (NumberFormatException ex) {
			return NO_VERSION;
		}
	}

}
