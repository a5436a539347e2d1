package dev.workspacecache.sample;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.web.util.UriUtils;

/**
 * Request bodies and URLs of the sample's API, shared by the MockMvc and the end-to-end
 * tests.
 */
public final class SessionRequests {

	/** Sent as {@code repoId} by {@link #createBody()}. */
	public static final UUID REPO_ID = UUID.fromString("0d5f1c6e-3a34-4d8b-9b1e-5e7c2f0a9d41");

	/** A path with nested directories, spaces and non-ASCII characters. */
	public static final String AWKWARD_PATH = "src/main/dir with spaces/naïve café ☕ 日本語.txt";

	private SessionRequests() {
	}

	/**
	 * Return a valid body for {@code POST /sessions}.
	 * @return the JSON
	 */
	public static String createBody() {
		return """
				{"repoId": "%s", "agentId": "api-key-7f3a", "intent": "fix the flaky checkout test",
				 "baseCommit": "9fceb02d0ae598e95dc970b74767f19372d61af8", "mode": "ephemeral"}
				""".formatted(REPO_ID);
	}

	/**
	 * Return every byte value once, from 0 to 255.
	 * @return 256 bytes
	 */
	public static byte[] allByteValues() {
		byte[] bytes = new byte[256];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = (byte) i;
		}
		return bytes;
	}

	/**
	 * Return the URL path of a file of a session, each segment percent-encoded as a
	 * careful client does (UTF-8; everything but letters, digits and {@code -._~}, so
	 * {@code ;} and {@code %} too), the slashes between them left as they are.
	 * @param sessionId the session id
	 * @param path the file path
	 * @return for example {@code /sessions/<id>/files/dir%20one/caf%C3%A9.txt}
	 */
	public static String filePath(UUID sessionId, String path) {
		String encoded = Arrays.stream(path.split("/", -1))
			.map((segment) -> UriUtils.encode(segment, StandardCharsets.UTF_8))
			.collect(Collectors.joining("/"));
		return "/sessions/" + sessionId + "/files/" + encoded;
	}

	/**
	 * Return the URI of a file of a session, as {@link #filePath(UUID, String)}.
	 * @param sessionId the session id
	 * @param path the file path
	 * @return a relative URI
	 */
	public static URI fileUri(UUID sessionId, String path) {
		return URI.create(filePath(sessionId, path));
	}

}
