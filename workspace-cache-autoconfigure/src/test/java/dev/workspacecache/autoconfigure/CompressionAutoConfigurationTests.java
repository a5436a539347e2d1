package dev.workspacecache.autoconfigure;

import org.junit.jupiter.api.Test;

import dev.workspacecache.valkey.ContentCompression;
import dev.workspacecache.valkey.ValkeyCache;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for how {@link WorkspaceCacheAutoConfiguration} sets up compression of the
 * {@code valkey} cache from {@code workspace.cache.compression} and
 * {@code workspace.cache.compression-threshold}. No server: nothing here connects.
 */
class CompressionAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DataRedisAutoConfiguration.class, WorkspaceCacheAutoConfiguration.class))
		.withPropertyValues("workspace.cache.mode=valkey");

	@Test
	void contentIsStoredRawByDefault() {
		this.contextRunner.run((context) -> assertThat(context.getBean(ValkeyCache.class).getContentCompression())
			.isEqualTo(ContentCompression.none()));
	}

	@Test
	void zstdWithTheDefaultThreshold() {
		this.contextRunner.withPropertyValues("workspace.cache.compression=zstd")
			.run((context) -> assertThat(context.getBean(ValkeyCache.class).getContentCompression())
				.isEqualTo(ContentCompression.zstd(512)));
	}

	@Test
	void zstdWithAThresholdOfItsOwn() {
		this.contextRunner
			.withPropertyValues("workspace.cache.compression=ZSTD", "workspace.cache.compression-threshold=4KB")
			.run((context) -> assertThat(context.getBean(ValkeyCache.class).getContentCompression())
				.isEqualTo(ContentCompression.zstd(4096)));
	}

	@Test
	void zstdWithoutItsLibraryFailsStartupSayingWhatToDo() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("com.github.luben"))
			.withPropertyValues("workspace.cache.compression=zstd")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOfSatisfying(WorkspaceCacheConfigurationException.class, (failure) -> {
						assertThat(failure).hasMessageContaining("workspace.cache.compression is 'zstd'")
							.hasMessageContaining("com.github.luben:zstd-jni is not on the classpath");
						assertThat(failure.getAction()).contains("set workspace.cache.compression to 'none'");
					});
			});
	}

	@Test
	void withoutTheLibraryAndCompressionOffTheCacheStarts() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("com.github.luben"))
			.run((context) -> assertThat(context.getBean(ValkeyCache.class).getContentCompression())
				.isEqualTo(ContentCompression.none()));
	}

}
