package dev.workspacecache.valkey;

import java.util.Objects;

import org.springframework.data.redis.core.script.DigestUtils;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A Lua script whose source never changes, with its SHA1 computed once.
 * <p>
 * Why not {@link RedisScript#of(String, Class)}: its {@code DefaultRedisScript} takes a
 * lock on every {@link #getSha1()}, to notice a script source that was edited. Every
 * {@code EVALSHA} asks for the SHA1, so concurrent writes contended on that lock, and a
 * reactive caller waited for it on an event loop (BlockHound caught it in the reactive
 * contract suite). The cache's scripts are constants: nothing to notice.
 *
 * @param <T> the type of the script's reply
 */
final class ConstantScript<T> implements RedisScript<T> {

	private final String source;

	private final String sha1;

	private final Class<T> resultType;

	private ConstantScript(String source, Class<T> resultType) {
		this.source = Objects.requireNonNull(source, "source must not be null");
		this.resultType = Objects.requireNonNull(resultType, "resultType must not be null");
		this.sha1 = DigestUtils.sha1DigestAsHex(source);
	}

	/**
	 * Return a script.
	 * @param <T> the type of the reply
	 * @param source the Lua source
	 * @param resultType the type of the reply
	 * @return the script
	 */
	static <T> RedisScript<T> of(String source, Class<T> resultType) {
		return new ConstantScript<>(source, resultType);
	}

	@Override
	public String getSha1() {
		return this.sha1;
	}

	@Override
	public Class<T> getResultType() {
		return this.resultType;
	}

	@Override
	public String getScriptAsString() {
		return this.source;
	}

	@Override
	public String toString() {
		return "ConstantScript[sha1=" + this.sha1 + "]";
	}

}
