package dev.workspacecache.sample.session;

/**
 * Thrown when a request names a file path that {@link OverlayPath} does not accept.
 */
public class InvalidFilePathException extends RuntimeException {

	private final String path;

	InvalidFilePathException(String path, String reason) {
		super("Invalid file path: " + reason + ".");
		this.path = path;
	}

	/**
	 * Return the rejected path.
	 * @return the path as received, possibly empty
	 */
	public String getPath() {
		return this.path;
	}

}
