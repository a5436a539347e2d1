package dev.workspacecache.memory;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.DescribeAssertions;
import dev.workspacecache.NoOpCache;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceDescription;
import dev.workspacecache.WorkspaceFixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Tests for {@link InMemoryWorkspaceCache#describe(UUID)}, on a clock the test moves, and
 * for the descriptions of the other caches without a server.
 */
class InMemoryWorkspaceCacheDescribeTests {

	private static final Duration TTL = Duration.ofMinutes(10);

	private final AtomicLong now = new AtomicLong();

	private final InMemoryWorkspaceCache cache = new InMemoryWorkspaceCache(TTL, 1024, this.now::get);

	@Test
	void describesPartsFilesContentBytesAndTheTimeLeft() {
		UUID id = UUID.randomUUID();
		this.cache.cacheAll(id,
				CachedWorkspace.of(
						WorkspaceFixtures.snapshot(id), Map.of("a.txt", WorkspaceFixtures.added("hello"), "b.txt",
								WorkspaceFixtures.modified("ab"), "gone.txt", WorkspaceFixtures.deleted()),
						new byte[10]));
		this.now.addAndGet(Duration.ofMinutes(4).toNanos());
		assertThat(this.cache.describe(id))
			.contains(new WorkspaceDescription(true, true, 3, 5 + 2 + 10, Duration.ofMinutes(6)));
		assertThat(this.cache.getTtl()).isEqualTo(TTL);
	}

	@Test
	void describingDoesNotRestartTheTimeToLive() {
		UUID id = UUID.randomUUID();
		this.cache.cacheFile(id, "a.txt", WorkspaceFixtures.added("a"));
		this.now.addAndGet(Duration.ofMinutes(9).toNanos());
		assertThat(this.cache.describe(id)).hasValueSatisfying((description) -> {
			assertThat(description.snapshot()).isFalse();
			assertThat(description.graph()).isFalse();
			assertThat(description.files()).isEqualTo(1);
			assertThat(description.timeToLive()).isEqualTo(Duration.ofMinutes(1));
		});
		this.now.addAndGet(Duration.ofMinutes(1).toNanos());
		assertThat(this.cache.describe(id)).isEmpty();
	}

	@Test
	void describesNothingForAnAbsentOrEvictedWorkspace() {
		DescribeAssertions.assertNothingDescribedWhenAbsentOrEvicted(this.cache,
				(id) -> assertThat(this.cache.getWorkspace(id)).isEmpty());
	}

	@Test
	void theNoOpCacheDescribesNothing() {
		NoOpCache noop = new NoOpCache();
		UUID id = UUID.randomUUID();
		noop.cacheWorkspace(id, WorkspaceFixtures.snapshot(id));
		assertThat(noop.describe(id)).isEmpty();
	}

	@Test
	void aCacheWrittenBeforeDescribeExistedDescribesNothing() {
		WorkspaceCache olderCache = (WorkspaceCache) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { WorkspaceCache.class }, (proxy, method, args) -> {
					if (method.isDefault()) {
						return InvocationHandler.invokeDefault(proxy, method, args);
					}
					throw new UnsupportedOperationException(method.getName());
				});
		assertThat(olderCache.describe(UUID.randomUUID())).isEmpty();
	}

	@Test
	void aNullIdIsRejected() {
		assertThatNullPointerException().isThrownBy(() -> this.cache.describe(null)).withMessageContaining("id");
		assertThatNullPointerException().isThrownBy(() -> new NoOpCache().describe(null));
	}

}
