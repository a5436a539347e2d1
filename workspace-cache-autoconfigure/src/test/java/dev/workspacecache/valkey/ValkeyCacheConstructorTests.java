package dev.workspacecache.valkey;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * What the constructor of {@link ValkeyCache} accepts, and what the cache says it is.
 * Creating a cache does not connect, so these tests need no server: the connection
 * factory is never started.
 */
class ValkeyCacheConstructorTests {

	private static final Duration TTL = Duration.ofMinutes(10);

	private final LettuceConnectionFactory factory = new LettuceConnectionFactory();

	@Test
	void constructorRejectsBracesInKeyPrefix() {
		for (String prefix : List.of("{", "}", "app{1}:", "a}")) {
			assertThatIllegalArgumentException().isThrownBy(() -> new ValkeyCache(this.factory, prefix, TTL, 1))
				.withMessageContaining("keyPrefix");
		}
	}

	@Test
	void constructorRejectsTtlBelowOneMillisecond() {
		for (Duration ttl : List.of(Duration.ZERO, Duration.ofNanos(999_999), Duration.ofSeconds(-1))) {
			assertThatIllegalArgumentException().isThrownBy(() -> new ValkeyCache(this.factory, "p:", ttl, 1))
				.withMessageContaining("ttl");
		}
	}

	@Test
	void constructorRejectsNonPositiveMaxEntrySize() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ValkeyCache(this.factory, "p:", TTL, 0))
			.withMessageContaining("maxEntrySize");
	}

	@Test
	void constructorRejectsNulls() {
		assertThatNullPointerException().isThrownBy(() -> new ValkeyCache(null, "p:", TTL, 1))
			.withMessageContaining("connectionFactory");
		assertThatNullPointerException().isThrownBy(() -> new ValkeyCache(this.factory, null, TTL, 1))
			.withMessageContaining("keyPrefix");
		assertThatNullPointerException().isThrownBy(() -> new ValkeyCache(this.factory, "p:", null, 1))
			.withMessageContaining("ttl");
		assertThatNullPointerException().isThrownBy(() -> new ValkeyCache(this.factory, "p:", TTL, 1, null, null))
			.withMessageContaining("compression");
	}

	@Test
	void contentIsStoredRawUnlessACompressionIsGiven() {
		assertThat(new ValkeyCache(this.factory, "p:", TTL, 1).getContentCompression())
			.isEqualTo(ContentCompression.none());
		assertThat(
				new ValkeyCache(this.factory, "p:", TTL, 1, null, ContentCompression.zstd(64)).getContentCompression())
			.isEqualTo(ContentCompression.zstd(64));
	}

	@Test
	void toStringShowsPrefixAndTtl() {
		String prefix = "valkey-cache-test:" + UUID.randomUUID() + ":";
		ValkeyCache cache = new ValkeyCache(this.factory, prefix, TTL, 2 * 1024 * 1024);
		assertThat(cache).hasToString("ValkeyCache[keyPrefix='" + prefix + "', ttl=PT10M]");
	}

}
