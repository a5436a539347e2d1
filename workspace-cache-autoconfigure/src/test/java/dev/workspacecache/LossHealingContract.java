package dev.workspacecache;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.wholeWorkspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A workspace that the store lost while a pod still holds it: the next write reports it
 * {@link WriteOutcome#MISSING}, and a {@code cacheAll} of what the pod holds heals it.
 */
interface LossHealingContract extends WorkspaceCacheContract {

	@Test
	default void aWorkspaceLostByTheStoreIsReportedAndHealsWithCacheAll() {
		// Expiry is one way a store loses a workspace that a pod still holds;
		// restarts, flushes and evictions under memory pressure look the same to the
		// cache's next write.
		WorkspaceCache cache = createCache(Duration.ofSeconds(1), DEFAULT_MAX_ENTRY_SIZE);
		CachedWorkspace held = wholeWorkspace(workspaceId(), "held");
		assertThat(cache.cacheAll(workspaceId(), held)).isEqualTo(WriteOutcome.MISSING);
		assertThat(cache.touch(workspaceId())).isEqualTo(WriteOutcome.PRESENT);
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> cache.recover(workspaceId()).isEmpty());
		Map<String, CachedOverlayEntry> files = new TreeMap<>(held.files());
		files.put("written-after-the-loss.txt", added("late"));
		assertThat(cache.cacheFile(workspaceId(), "written-after-the-loss.txt", added("late")))
			.isEqualTo(WriteOutcome.MISSING);
		assertThat(cache.recover(workspaceId())).as("a workspace without its snapshot").isEmpty();
		CachedWorkspace healed = CachedWorkspace.of(held.snapshot(), files, held.graph().orElseThrow());
		assertThat(cache.cacheAll(workspaceId(), healed)).isEqualTo(WriteOutcome.MISSING);
		assertThat(cache.recover(workspaceId())).contains(healed);
		assertThat(cache.cacheFile(workspaceId(), "next.txt", added("next"))).isEqualTo(WriteOutcome.PRESENT);
	}

}
