package dev.workspacecache.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceSnapshot;

/**
 * The data every benchmark writes: deterministic pseudo-random file content
 * (incompressible, like real source files as far as the server is concerned), SHA-256
 * hashes, realistic paths.
 */
public final class Workloads {

	/** One kibibyte. */
	public static final int KIB = 1024;

	/** Size of the session graph of a whole workspace: 4 KiB. */
	public static final int GRAPH_SIZE = 4 * KIB;

	private Workloads() {
	}

	/**
	 * Return {@code size} pseudo-random bytes, the same for the same seed.
	 * @param size the number of bytes
	 * @param seed the seed
	 * @return the content
	 */
	public static byte[] content(int size, long seed) {
		byte[] content = new byte[size];
		new SplittableRandom(seed).nextBytes(content);
		return content;
	}

	/**
	 * Return the hex SHA-256 of the content, the kind of hash an overlay entry carries.
	 * @param content the content
	 * @return 64 hex characters
	 */
	public static String hash(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return a modified file of the given size.
	 * @param size the content size in bytes
	 * @param seed the content seed
	 * @return the entry
	 */
	public static CachedOverlayEntry.Modified file(int size, long seed) {
		byte[] content = content(size, seed);
		return new CachedOverlayEntry.Modified(content, hash(content));
	}

	/**
	 * Return the path of the {@code index}-th file of a workspace.
	 * @param index the file index
	 * @return a path like {@code src/main/java/dev/example/module03/Service0042.java}
	 */
	public static String path(int index) {
		return "src/main/java/dev/example/module%02d/Service%04d.java".formatted(index % 37, index);
	}

	/**
	 * Return an overlay of {@code files} modified files of {@code size} bytes each.
	 * @param files the number of files
	 * @param size the content size of each file
	 * @return the entries by path, in index order
	 */
	public static Map<String, CachedOverlayEntry> overlay(int files, int size) {
		Map<String, CachedOverlayEntry> overlay = new LinkedHashMap<>(files * 2);
		for (int i = 0; i < files; i++) {
			overlay.put(path(i), file(size, i));
		}
		return overlay;
	}

	/**
	 * Return a whole workspace: a snapshot, {@code files} modified files of 1 KiB and a
	 * graph of {@link #GRAPH_SIZE} bytes, as the recovery, Spring Session and evict/touch
	 * scenarios use it.
	 * @param files the number of files
	 * @return the workspace
	 */
	public static CachedWorkspace workspace(int files) {
		return CachedWorkspace.of(snapshot(), overlay(files, KIB), graph(GRAPH_SIZE));
	}

	/**
	 * Return a workspace snapshot.
	 * @return a snapshot with plausible values
	 */
	public static WorkspaceSnapshot snapshot() {
		return new WorkspaceSnapshot(UUID.randomUUID(), UUID.randomUUID(), "agent-7", "benchmark agent",
				UUID.randomUUID(), "refactor the billing module", "9f2c4e1d0b7a6358c2e1f0d9a8b7c6d5e4f3a2b1", "active",
				"write");
	}

	/**
	 * Return a serialised session graph of the given size.
	 * @param size the number of bytes
	 * @return the graph bytes
	 */
	public static byte[] graph(int size) {
		return content(size, 0x6772617068L);
	}

	/**
	 * Encode text as UTF-8.
	 * @param text the text
	 * @return its bytes
	 */
	public static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
