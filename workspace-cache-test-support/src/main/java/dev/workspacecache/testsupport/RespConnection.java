package dev.workspacecache.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A plain socket speaking just enough RESP to probe and restart a {@link RedisServer}: no
 * client library, so that it works before any is set up, on a server that is still
 * starting, and across a restart that closes every connection.
 */
final class RespConnection implements AutoCloseable {

	private final Socket socket;

	private RespConnection(Socket socket) {
		this.socket = socket;
	}

	/**
	 * Connect to a server.
	 * @param host its address
	 * @param port its port
	 * @param timeout the connect and read timeout
	 * @return the connection
	 * @throws IOException if the server does not accept it
	 */
	static RespConnection open(String host, int port, Duration timeout) throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
			socket.setSoTimeout((int) timeout.toMillis());
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
		return new RespConnection(socket);
	}

	/**
	 * Send a command and read its reply: the text of a simple string, integer or bulk
	 * string.
	 * @param arguments the command and its arguments
	 * @return the reply, or {@code null} if the server closed the connection instead
	 * @throws ErrorReplyException on an error reply
	 * @throws IOException if the connection fails
	 */
	@Nullable String send(String... arguments) throws IOException {
		StringBuilder request = new StringBuilder("*" + arguments.length + "\r\n");
		for (String argument : arguments) {
			request.append('$').append(argument.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
			request.append(argument).append("\r\n");
		}
		OutputStream out = this.socket.getOutputStream();
		out.write(request.toString().getBytes(StandardCharsets.UTF_8));
		out.flush();
		InputStream in = this.socket.getInputStream();
		String line = readLine(in);
		if (line == null || line.isEmpty()) {
			return null;
		}
		return switch (line.charAt(0)) {
			case '+', ':' -> line.substring(1);
			case '$' -> bulk(in, Integer.parseInt(line.substring(1)));
			case '-' -> throw new ErrorReplyException(line.substring(1));
			default -> throw new IOException("Unexpected reply to " + String.join(" ", arguments) + ": " + line);
		};
	}

	private static String bulk(InputStream in, int length) throws IOException {
		byte[] payload = in.readNBytes(length + 2);
		return new String(payload, 0, Math.min(length, payload.length), StandardCharsets.UTF_8);
	}

	private static @Nullable String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int previous = -1;
		for (int current = in.read(); current != -1 && line.size() < 64 * 1024; current = in.read()) {
			if (previous == '\r' && current == '\n') {
				byte[] bytes = line.toByteArray();
				return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
			}
			line.write(current);
			previous = current;
		}
		return null;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * An error reply of the server, such as {@code NOAUTH Authentication required.}.
	 */
	static final class ErrorReplyException extends IllegalStateException {

		private final String reply;

		ErrorReplyException(String reply) {
			super(reply);
			this.reply = reply;
		}

		/**
		 * Return the error, for example {@code NOAUTH Authentication required.}.
		 * @return the error reply
		 */
		String reply() {
			return this.reply;
		}

	}

}
