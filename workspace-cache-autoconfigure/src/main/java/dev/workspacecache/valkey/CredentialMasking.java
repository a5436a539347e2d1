package dev.workspacecache.valkey;

import java.util.regex.Pattern;

/**
 * Removes credentials from text that may reach a log or an exception message: the
 * user-info password of URLs ({@code redis://user:secret@host}) and {@code password=...}
 * pairs.
 */
final class CredentialMasking {

	private static final Pattern URL_PASSWORD = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\\s]*):[^@/\\s]*@");

	private static final Pattern PASSWORD_PAIR = Pattern
		.compile("(?i)\\b(password|passwd|pwd|pass|auth)(\\s*[=:]\\s*)[^\\s,;&)]+");

	private static final String MASK = "******";

	private CredentialMasking() {
	}

	static String mask(String text) {
		String masked = URL_PASSWORD.matcher(text).replaceAll("$1:" + MASK + "@");
		return PASSWORD_PAIR.matcher(masked).replaceAll("$1$2" + MASK);
	}

	/**
	 * Return what the deepest cause of a failure says, masked: the backend's own words
	 * (for example Lettuce's "Connection refused"), without the wrappers' prefixes.
	 * @param failure the failure
	 * @return the masked message of its root cause, or the root cause's class name
	 */
	static String rootCauseMessage(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getMessage();
		return mask((message != null) ? message : root.getClass().getSimpleName());
	}

}
