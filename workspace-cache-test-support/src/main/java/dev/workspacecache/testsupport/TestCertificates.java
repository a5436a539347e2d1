package dev.workspacecache.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority and a server certificate for
 * {@code 127.0.0.1}/{@code localhost}, made by the {@code openssl} command line tool for
 * each test run (it is in every Debian base image), plus a second, unrelated authority
 * that a client may wrongly trust. Nothing is checked in: every key lives in a temporary
 * directory deleted by {@link #close()}.
 */
public final class TestCertificates implements AutoCloseable {

	private final Path directory;

	private TestCertificates(Path directory) {
		this.directory = directory;
	}

	public static TestCertificates create() {
		Path directory = TemporaryDirectories.create("workspace-cache-tls-");
		TestCertificates certificates = new TestCertificates(directory);
		try {
			certificates.authority("ca", "workspace-cache test CA");
			certificates.authority("other-ca", "workspace-cache untrusted CA");
			openssl(directory, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
					"-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
			Files.writeString(directory.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
					+ "extendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n", StandardCharsets.US_ASCII);
			openssl(directory, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
					"-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "server.ext");
			return certificates;
		}
		catch (RuntimeException ex) {
			certificates.close();
			throw ex;
		}
		catch (IOException ex) {
			certificates.close();
			throw new IllegalStateException(ex);
		}
	}

	private void authority(String name, String commonName) {
		openssl(this.directory, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
				"-keyout", name + ".key", "-out", name + ".crt", "-days", "2", "-subj", "/CN=" + commonName, "-addext",
				"basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
	}

	/**
	 * The authority that signed the server certificate (PEM).
	 * @return the path of the certificate
	 */
	public Path caCertificate() {
		return this.directory.resolve("ca.crt");
	}

	/**
	 * An authority that signed nothing the server has (PEM).
	 * @return the path of the certificate
	 */
	public Path otherCaCertificate() {
		return this.directory.resolve("other-ca.crt");
	}

	public Path serverCertificate() {
		return this.directory.resolve("server.crt");
	}

	/**
	 * The server's private key (PEM).
	 * @return the path of the key
	 */
	public Path serverKey() {
		return this.directory.resolve("server.key");
	}

	private static void openssl(Path directory, String... args) {
		List<String> command = new ArrayList<>();
		command.add("openssl");
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).directory(directory.toFile())
				.redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run openssl (Debian/Ubuntu: apt-get install openssl), "
					+ "needed to make the certificates of the TLS tests: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running openssl", ex);
		}
	}

	@Override
	public void close() {
		TemporaryDirectories.delete(this.directory);
	}

}
