package dev.workspacecache.valkey;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;

import dev.workspacecache.CachedOverlayEntry.Modified;
import dev.workspacecache.WorkspaceCacheContractTests;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WorkspaceCacheContractTests} for {@link ValkeyCache} with compression on, from
 * the first byte (a threshold of 0): every content that Zstandard shrinks is stored
 * compressed, the rest raw, and the whole contract holds.
 */
class CompressedValkeyCacheContractIntegrationTests extends ValkeyCacheContractIntegrationTests {

	@Override
	protected ContentCompression compression() {
		return ContentCompression.zstd(0);
	}

	@Test
	void compressibleContentIsStoredCompressed() {
		byte[] content = "import java.util.List;\n".repeat(400).getBytes(StandardCharsets.US_ASCII);
		ValkeyCache cache = (ValkeyCache) cache();
		assertThat(cache.getContentCompression()).isEqualTo(ContentCompression.zstd(0));
		cache.cacheFile(workspaceId(), "Imports.java", new Modified(content, "h"));
		byte[] key = (cache.getKeyPrefix() + "{" + workspaceId() + "}:workspace").getBytes(StandardCharsets.UTF_8);
		try (RedisConnection connection = connectionFactory().getConnection()) {
			byte[] stored = connection.hashCommands().hGet(key, "fImports.java".getBytes(StandardCharsets.UTF_8));
			assertThat(stored).isNotNull();
			assertThat(stored.length).isLessThan(content.length / 10);
			assertThat(stored[1]).as("format version").isEqualTo((byte) OverlayEntryCodec.COMPRESSED_VERSION);
		}
		assertThat(cache.getFile(workspaceId(), "Imports.java")).contains(new Modified(content, "h"));
	}

}
