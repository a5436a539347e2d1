package dev.workspacecache.valkey;

import dev.workspacecache.WorkspaceCacheContractTests;

/**
 * {@link WorkspaceCacheContractTests} for {@link ReactiveValkeyCache} with compression on
 * from the first byte: decompression runs on the client's I/O thread, and must not block
 * it either.
 */
class CompressedReactiveValkeyCacheContractIntegrationTests extends ReactiveValkeyCacheContractIntegrationTests {

	@Override
	protected ContentCompression compression() {
		return ContentCompression.zstd(0);
	}

}
