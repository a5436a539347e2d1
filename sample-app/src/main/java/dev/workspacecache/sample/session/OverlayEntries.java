package dev.workspacecache.sample.session;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedOverlayEntry.Added;
import dev.workspacecache.CachedOverlayEntry.Deleted;
import dev.workspacecache.CachedOverlayEntry.Modified;
import org.jspecify.annotations.Nullable;

/**
 * How the sample turns a file write into a {@link CachedOverlayEntry}, and how it names
 * entry kinds in its API.
 * <p>
 * The sample has no checkout of the repository, so the overlay is all a session knows
 * about its base commit. A write therefore becomes:
 * <ul>
 * <li>{@link Added} when the session has never seen the path, or saw it only as
 * {@code Added}: as far as the session knows, the base commit has no such file;</li>
 * <li>{@link Modified} when the path was {@code Modified} or {@code Deleted} before:
 * either means the base commit has the file.</li>
 * </ul>
 * The hash is the SHA-256 of the content, in lower-case hex, computed here rather than
 * trusted from the client.
 */
public final class OverlayEntries {

	private static final HexFormat HEX = HexFormat.of();

	private OverlayEntries() {
	}

	/**
	 * Return the entry a write of {@code content} produces.
	 * @param previous the path's current entry in the session, or {@code null} if none
	 * @param content the written content
	 * @return an {@link Added} or {@link Modified} entry holding a copy of the content
	 */
	public static CachedOverlayEntry written(@Nullable CachedOverlayEntry previous, byte[] content) {
		String hash = sha256(content);
		if (previous == null || previous instanceof Added) {
			return new Added(content, hash);
		}
		return new Modified(content, hash);
	}

	/**
	 * Return the name of the entry's kind, as the API shows it.
	 * @param entry the entry
	 * @return {@code "Added"}, {@code "Modified"} or {@code "Deleted"}
	 */
	public static String kind(CachedOverlayEntry entry) {
		if (entry instanceof Added) {
			return "Added";
		}
		if (entry instanceof Modified) {
			return "Modified";
		}
		if (entry instanceof Deleted) {
			return "Deleted";
		}
		throw new IllegalArgumentException("Unknown overlay entry " + entry);
	}

	/**
	 * Return the content of a file entry.
	 * @param entry an {@link Added} or {@link Modified} entry
	 * @return a copy of the content
	 * @throws IllegalArgumentException for a {@link Deleted} entry, which has no content
	 */
	public static byte[] content(CachedOverlayEntry entry) {
		if (entry instanceof CachedOverlayEntry.WithContent file) {
			return file.content();
		}
		throw new IllegalArgumentException(kind(entry) + " entries have no content");
	}

	/**
	 * Return the size of a file entry's content, without copying it.
	 * @param entry the entry
	 * @return the size in bytes, or {@code null} for a {@link Deleted} entry
	 */
	public static @Nullable Integer size(CachedOverlayEntry entry) {
		return (entry instanceof CachedOverlayEntry.WithContent file) ? file.size() : null;
	}

	/**
	 * Return the hash of a file entry's content.
	 * @param entry the entry
	 * @return the hash, or {@code null} for a {@link Deleted} entry
	 */
	public static @Nullable String hash(CachedOverlayEntry entry) {
		return (entry instanceof CachedOverlayEntry.WithContent file) ? file.hash() : null;
	}

	/**
	 * Return the SHA-256 of the given bytes.
	 * @param content the bytes
	 * @return 64 lower-case hex digits
	 */
	public static String sha256(byte[] content) {
		try {
			return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			// Every Java platform must provide SHA-256.
			throw new IllegalStateException(ex);
		}
	}

}
