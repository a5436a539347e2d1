package dev.workspacecache.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.awaitility.Awaitility;

import dev.workspacecache.testsupport.RedisServer;

/**
 * Restarts a {@link RedisServer} in place, empty, as a server without persistence comes
 * back from a restart: every key, evict marker and cached script gone, every client
 * disconnected.
 * <p>
 * {@code DEBUG RESTART} makes the server re-execute itself with the same arguments: the
 * same port, so clients reconnect to it as they would to a restarted server, and the same
 * process id, so the {@link RedisServer} still owns and stops it. {@link RedisServer} has
 * no restart of its own and chooses its port itself, hence this. The server must run with
 * {@code --enable-debug-command yes}.
 */
final class ServerRestart {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private ServerRestart() {
	}

	/**
	 * Restart the server and wait until it answers again, as a new server instance.
	 * @param server the server, started with {@code --enable-debug-command yes}
	 */
	static void restartEmpty(RedisServer server) {
		String runId = runId(server);
		try (Socket socket = connect(server)) {
			String reply = send(socket, "DEBUG", "RESTART");
			// The server closes every connection as it restarts: any reply means it did
			// not.
			if (reply != null) {
				throw new AssertionError("DEBUG RESTART answered '" + reply + "' instead of restarting " + server);
			}
		}
		catch (IOException ex) {
			// A connection reset is the server restarting too. A refusal (DEBUG not
			// enabled) is
			// an error reply, thrown as IllegalStateException rather than caught here.
		}
		Awaitility.await(server + " to come back as a new instance")
			.atMost(TIMEOUT)
			.pollInterval(Duration.ofMillis(50))
			.ignoreExceptions()
			.until(() -> !runId(server).equals(runId));
	}

	/**
	 * Return how many keys the server holds.
	 * @param server the server
	 * @return the {@code DBSIZE}
	 */
	static long keyCount(RedisServer server) {
		return Long.parseLong(command(server, "DBSIZE"));
	}

	/**
	 * Return the id the server draws at startup, which tells a restarted server from the
	 * one before.
	 */
	private static String runId(RedisServer server) {
		return command(server, "INFO", "server").lines()
			.filter((line) -> line.startsWith("run_id:"))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("INFO server of " + server + " has no run_id"));
	}

	private static String command(RedisServer server, String... arguments) {
		try (Socket socket = connect(server)) {
			String reply = send(socket, arguments);
			if (reply == null) {
				throw new IOException(server + " closed the connection");
			}
			return reply;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Socket connect(RedisServer server) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(server.host(), server.port()), (int) TIMEOUT.toMillis());
		socket.setSoTimeout((int) TIMEOUT.toMillis());
		return socket;
	}

	/**
	 * Send a command and read its reply: the text of a simple string, integer or bulk
	 * string.
	 * @return the reply, or {@code null} if the server closed the connection instead
	 * @throws IllegalStateException on an error reply
	 * @throws IOException if the connection fails
	 */
	private static String send(Socket socket, String... arguments) throws IOException {
		StringBuilder request = new StringBuilder("*" + arguments.length + "\r\n");
		for (String argument : arguments) {
			request.append('$').append(argument.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
			request.append(argument).append("\r\n");
		}
		OutputStream out = socket.getOutputStream();
		out.write(request.toString().getBytes(StandardCharsets.UTF_8));
		out.flush();
		InputStream in = socket.getInputStream();
		String line = readLine(in);
		if (line == null) {
			return null;
		}
		return switch (line.charAt(0)) {
			case '+', ':' -> line.substring(1);
			case '$' -> bulk(in, Integer.parseInt(line.substring(1)));
			default -> throw new IllegalStateException("Error reply to " + String.join(" ", arguments) + ": " + line);
		};
	}

	private static String bulk(InputStream in, int length) throws IOException {
		byte[] payload = in.readNBytes(length + 2);
		return new String(payload, 0, length, StandardCharsets.UTF_8);
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int previous = -1;
		for (int current = in.read(); current != -1; current = in.read()) {
			if (previous == '\r' && current == '\n') {
				byte[] bytes = line.toByteArray();
				return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
			}
			line.write(current);
			previous = current;
		}
		return null;
	}

}
