package dev.workspacecache;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.workspacecache.WorkspaceAssertions.assertWorkspaceIsEmpty;
import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.wholeWorkspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An evict is final: a write that comes after it is refused with
 * {@link WriteOutcome#EVICTED} and stores nothing, for as long as the time-to-live, after
 * which the workspace id is free again.
 */
interface FinalEvictContract extends WorkspaceCacheContract {

	@ParameterizedTest
	@EnumSource
	default void aLateWriteAfterAnEvictIsRefusedAndLeavesNothingToRecover(ContractWrite write) {
		cache().cacheAll(workspaceId(), wholeWorkspace(workspaceId(), "before"));
		cache().evict(workspaceId());
		assertThat(write.apply(cache(), workspaceId(), "late")).isEqualTo(WriteOutcome.EVICTED);
		assertThat(cache().touch(workspaceId())).isEqualTo(WriteOutcome.EVICTED);
		assertThat(cache().cacheFiles(workspaceId(), Map.of())).isEqualTo(WriteOutcome.EVICTED);
		assertThat(cache().recover(workspaceId())).isEmpty();
		assertWorkspaceIsEmpty(cache(), workspaceId());
		assertThat(remainingTtls(cache(), workspaceId())).as("time-to-live of workspace data").isEmpty();
	}

	@Test
	default void anEvictIsRememberedForTheTimeToLiveOnly() {
		WorkspaceCache cache = createCache(Duration.ofSeconds(1), DEFAULT_MAX_ENTRY_SIZE);
		cache.cacheAll(workspaceId(), wholeWorkspace(workspaceId(), "before"));
		cache.evict(workspaceId());
		assertThat(cache.cacheFile(workspaceId(), "late.txt", added("late"))).isEqualTo(WriteOutcome.EVICTED);
		// The marker holds no data and expires like a workspace, freeing the id again.
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> cache.touch(workspaceId()) == WriteOutcome.MISSING);
		assertThat(cache.cacheAll(workspaceId(), wholeWorkspace(workspaceId(), "after")))
			.isEqualTo(WriteOutcome.MISSING);
		assertThat(cache.recover(workspaceId())).contains(wholeWorkspace(workspaceId(), "after"));
	}

}
