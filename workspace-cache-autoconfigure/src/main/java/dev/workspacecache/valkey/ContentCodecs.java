package dev.workspacecache.valkey;

import dev.workspacecache.valkey.ContentCompression.Algorithm;

import org.springframework.util.ClassUtils;

/**
 * Finds the {@link ContentCodec} of an algorithm without loading the algorithm's library
 * before it is known to be there: the library is an optional dependency, so a pod without
 * it still starts, stores content raw and reads compressed values as misses.
 */
final class ContentCodecs {

	/** A class of {@code com.github.luben:zstd-jni}. */
	static final String ZSTD_CLASS = "com.github.luben.zstd.ZstdCompressCtx";

	private static final boolean ZSTD_PRESENT = ClassUtils.isPresent(ZSTD_CLASS, ContentCodecs.class.getClassLoader());

	private ContentCodecs() {
	}

	/**
	 * Return the codec that writes with an algorithm.
	 * @param algorithm the algorithm, not {@link Algorithm#NONE}
	 * @return the codec
	 * @throws IllegalStateException if the algorithm's library is missing or cannot be
	 * loaded
	 */
	static ContentCodec forWriting(Algorithm algorithm) {
		if (algorithm != Algorithm.ZSTD) {
			throw new IllegalArgumentException("No codec for compression '" + algorithm + "'");
		}
		if (!ZSTD_PRESENT) {
			throw new IllegalStateException("Compression 'zstd' needs com.github.luben:zstd-jni on the classpath");
		}
		try {
			return ZstdContentCodec.INSTANCE;
		}
		catch (LinkageError ex) {
			throw new IllegalStateException(
					"Compression 'zstd' needs the native library of com.github.luben:zstd-jni, which failed to load: "
							+ ex,
					ex);
		}
	}

	/**
	 * Return the codec that reads values stored with the algorithm of that name.
	 * @param name the name stored in the value
	 * @return the codec
	 * @throws UnreadableValueException if no codec has that name, or its library is
	 * missing or cannot be loaded
	 */
	static ContentCodec forReading(String name) {
		if (!ZstdContentCodec.NAME.equals(name)) {
			throw new UnreadableValueException("content compressed with unknown algorithm '" + name + "'");
		}
		if (!ZSTD_PRESENT) {
			throw new UnreadableValueException(
					"content compressed with zstd, and com.github.luben:zstd-jni is not on the classpath");
		}
		try {
			return ZstdContentCodec.INSTANCE;
		}
		catch (LinkageError ex) {
			throw new UnreadableValueException(
					"content compressed with zstd, and the native library of com.github.luben:zstd-jni failed to load: "
							+ ex,
					ex);
		}
	}

}
