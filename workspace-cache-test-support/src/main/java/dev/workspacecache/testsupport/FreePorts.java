package dev.workspacecache.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free TCP ports on the loopback address, for the processes the tests start. A port is
 * released before the process binds it, so another process may take it meanwhile: every
 * launcher retries with another port when that happens.
 */
public final class FreePorts {

	/**
	 * The address every test process listens on, and nothing else.
	 */
	public static final String HOST = "127.0.0.1";

	/**
	 * The port of a developer's own Redis, never handed out.
	 */
	private static final int STANDARD_REDIS_PORT = 6379;

	/**
	 * A cluster node also listens on its port + 10000, for the cluster bus.
	 */
	private static final int CLUSTER_BUS_PORT_OFFSET = 10000;

	private static final int MAX_PROBES = 100;

	private FreePorts() {
	}

	/**
	 * Return a free loopback port, never 6379.
	 * @return the port
	 */
	public static int any() {
		return find(false);
	}

	/**
	 * Return a free loopback port, never 6379, whose cluster bus port (port + 10000) is
	 * free too, so that a cluster node can use it.
	 * @return the port
	 */
	public static int withClusterBusPort() {
		return find(true);
	}

	private static int find(boolean withClusterBusPort) {
		for (int i = 0; i < MAX_PROBES; i++) {
			int port = bindEphemeralPort();
			if (port == STANDARD_REDIS_PORT) {
				continue;
			}
			if (withClusterBusPort
					&& (port + CLUSTER_BUS_PORT_OFFSET > 65535 || !isFree(port + CLUSTER_BUS_PORT_OFFSET))) {
				continue;
			}
			return port;
		}
		throw new IllegalStateException("Could not find a free port on " + HOST);
	}

	private static int bindEphemeralPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not bind a port on " + HOST, ex);
		}
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
