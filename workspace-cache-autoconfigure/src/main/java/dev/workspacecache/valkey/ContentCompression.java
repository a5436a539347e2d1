package dev.workspacecache.valkey;

import java.util.Objects;

import org.springframework.util.ClassUtils;

/**
 * How {@link ValkeyCache} stores file content: raw ({@link #none()}), or compressed with
 * Zstandard when it is at least {@link #threshold()} bytes long and compressing it saves
 * space ({@link #zstd(long)}).
 * <p>
 * Only the writing depends on this setting. Every {@link ValkeyCache} reads both raw and
 * compressed values, whatever its own setting, so that pods with different settings share
 * one server; a compressed value read without {@code com.github.luben:zstd-jni} on the
 * classpath, or without its native library, reads as a miss and is counted as unreadable.
 *
 * @param algorithm the compression algorithm
 * @param threshold the smallest content compressed, in bytes; shorter content is stored
 * raw
 */
public record ContentCompression(Algorithm algorithm, long threshold) {

	private static final ContentCompression NONE = new ContentCompression(Algorithm.NONE, 0);

	/**
	 * Create a compression setting.
	 * @param algorithm the compression algorithm
	 * @param threshold the smallest content compressed, in bytes; not negative
	 */
	public ContentCompression {
		Objects.requireNonNull(algorithm, "algorithm must not be null");
		if (threshold < 0) {
			throw new IllegalArgumentException("threshold must not be negative but was " + threshold);
		}
		if (algorithm == Algorithm.ZSTD) {
			// Refuse at startup, rather than fail every write.
			ContentCodecs.forWriting(algorithm);
		}
	}

	/**
	 * Store content raw, as releases without compression do.
	 * @return the setting
	 */
	public static ContentCompression none() {
		return NONE;
	}

	/**
	 * Compress content of at least {@code threshold} bytes with Zstandard.
	 * @param threshold the smallest content compressed, in bytes; not negative
	 * @return the setting
	 * @throws IllegalStateException if {@code com.github.luben:zstd-jni} is not on the
	 * classpath or its native library cannot be loaded
	 */
	public static ContentCompression zstd(long threshold) {
		return new ContentCompression(Algorithm.ZSTD, threshold);
	}

	/**
	 * The compression algorithms for file content.
	 */
	public enum Algorithm {

		/** Store content raw. */
		NONE,

		/**
		 * Zstandard at level 1, through {@code com.github.luben:zstd-jni}.
		 */
		ZSTD;

		/**
		 * Return whether this algorithm can be used here: always for {@link #NONE}; for
		 * {@link #ZSTD}, when {@code com.github.luben:zstd-jni} is on the classpath.
		 * @param classLoader the class loader to look in
		 * @return whether the algorithm's library is present
		 */
		public boolean isPresent(ClassLoader classLoader) {
			return this == NONE || ClassUtils.isPresent(ContentCodecs.ZSTD_CLASS, classLoader);
		}

	}

}
