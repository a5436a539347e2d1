package dev.workspacecache.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A loopback port to point {@code spring.data.redis.port} at in the modes that need no
 * Redis, which tells whether the application tried to connect: the kernel completes a
 * client's connect into the port's backlog, where it waits, never served, until
 * {@link #wasConnectedTo()} looks.
 */
final class UnusedRedisPort {

	private final ServerSocketChannel channel;

	private UnusedRedisPort(ServerSocketChannel channel) {
		this.channel = channel;
	}

	static UnusedRedisPort open() {
		try {
			ServerSocketChannel channel = ServerSocketChannel.open();
			channel.bind(new InetSocketAddress("127.0.0.1", 0), 16);
			channel.configureBlocking(false);
			return new UnusedRedisPort(channel);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	int port() {
		return this.channel.socket().getLocalPort();
	}

	/**
	 * Return whether anything connected to the port so far. A connect completes before
	 * the client's call returns, so once a request that would have connected is answered,
	 * its connection is here.
	 * @return whether a connection waits in the backlog
	 */
	boolean wasConnectedTo() {
		try (SocketChannel accepted = this.channel.accept()) {
			return accepted != null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
