package dev.workspacecache;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.workspacecache.WorkspaceAssertions.assertWorkspaceIsEmpty;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What writes report: {@link WriteOutcome#MISSING} until the workspace's snapshot is
 * cached, then {@link WriteOutcome#PRESENT}.
 */
interface WriteOutcomeContract extends WorkspaceCacheContract {

	@ParameterizedTest
	@EnumSource
	default void aWriteReportsMissingUntilTheSnapshotIsCachedThenPresent(ContractWrite write) {
		WriteOutcome first = write.apply(cache(), workspaceId(), "first");
		assertThat(first).isEqualTo(WriteOutcome.MISSING);
		// Only cacheWorkspace and cacheAll write the snapshot that the next write finds.
		if (write != ContractWrite.CACHE_WORKSPACE && write != ContractWrite.CACHE_ALL) {
			assertThat(write.apply(cache(), workspaceId(), "second")).isEqualTo(WriteOutcome.MISSING);
			cache().cacheWorkspace(workspaceId(), snapshot(workspaceId()));
		}
		assertThat(write.apply(cache(), workspaceId(), "third")).isEqualTo(WriteOutcome.PRESENT);
		assertThat(cache().touch(workspaceId())).isEqualTo(WriteOutcome.PRESENT);
	}

	@Test
	default void touchOfAnAbsentWorkspaceReportsMissing() {
		assertThat(cache().touch(workspaceId())).isEqualTo(WriteOutcome.MISSING);
		assertThat(cache().cacheFiles(workspaceId(), Map.of())).isEqualTo(WriteOutcome.MISSING);
		assertWorkspaceIsEmpty(cache(), workspaceId());
	}

}
