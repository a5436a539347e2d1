package dev.workspacecache;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.workspacecache.WorkspaceFixtures.deleted;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static dev.workspacecache.WorkspaceFixtures.utf8;
import static dev.workspacecache.WorkspaceFixtures.writeEveryPart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The time-to-live of a workspace: every write stores its part with the configured
 * time-to-live and refreshes that of every other part, {@code touch} refreshes them all,
 * and the parts expire together. These tests wait for a clock to run down rather than
 * mock it, since the clock of a real store such as Redis cannot be mocked: they take a
 * few seconds in total.
 */
interface TimeToLiveContract extends WorkspaceCacheContract {

	/**
	 * Time-to-live of the caches whose clock the tests watch run down.
	 */
	Duration SHORT_TTL = Duration.ofSeconds(10);

	/** How far below {@link #SHORT_TTL} a refreshed time-to-live may already be. */
	Duration REFRESHED_TTL = SHORT_TTL.minusSeconds(1);

	@ParameterizedTest
	@EnumSource
	default void eachWriteStoresItsPartWithTheConfiguredTtl(ContractWrite write) {
		write.apply(cache(), workspaceId(), "first");
		assertTtlsWithin(remainingTtls(cache(), workspaceId()), DEFAULT_TTL);
	}

	@Test
	default void everyStoredPartHasTheConfiguredTtlAfterWrites() {
		writeEveryPart(cache(), workspaceId());
		assertTtlsWithin(remainingTtls(cache(), workspaceId()), DEFAULT_TTL);
	}

	@Test
	default void touchRefreshesTheTtlOfEveryPart() {
		WorkspaceCache cache = createCache(SHORT_TTL, DEFAULT_MAX_ENTRY_SIZE);
		writeEveryPart(cache, workspaceId());
		awaitTtlsBelow(cache, workspaceId(), REFRESHED_TTL);
		cache.touch(workspaceId());
		assertTtlsRefreshed(remainingTtls(cache, workspaceId()));
	}

	@ParameterizedTest
	@EnumSource
	default void writingAnyPartRefreshesTheTtlOfEveryPart(ContractWrite write) {
		WorkspaceCache cache = createCache(SHORT_TTL, DEFAULT_MAX_ENTRY_SIZE);
		writeEveryPart(cache, workspaceId());
		awaitTtlsBelow(cache, workspaceId(), REFRESHED_TTL);
		write.apply(cache, workspaceId(), "again");
		List<Duration> ttls = remainingTtls(cache, workspaceId());
		assertTtlsRefreshed(ttls);
		Duration spread = Collections.max(ttls).minus(Collections.min(ttls));
		assertThat(spread).as("spread of the remaining time-to-live of the parts %s", ttls)
			.isLessThanOrEqualTo(Duration.ofMillis(100));
	}

	@Test
	default void everyPartExpiresTogether() {
		WorkspaceCache cache = createCache(Duration.ofSeconds(1), DEFAULT_MAX_ENTRY_SIZE);
		cache.cacheWorkspace(workspaceId(), snapshot(workspaceId()));
		cache.cacheFiles(workspaceId(), Map.of("a.txt", modified("a"), "b.txt", deleted()));
		cache.cacheGraph(workspaceId(), utf8("graph"));
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> cache.getWorkspace(workspaceId()).isEmpty());
		assertThat(cache.getFiles(workspaceId())).isEmpty();
		assertThat(cache.listFiles(workspaceId())).isEmpty();
		assertThat(cache.getGraph(workspaceId())).isEmpty();
		assertThat(cache.getFile(workspaceId(), "a.txt")).isEmpty();
		assertThat(remainingTtls(cache, workspaceId())).isEmpty();
	}

	private static void assertTtlsWithin(List<Duration> ttls, Duration ttl) {
		assertThat(ttls).as("remaining time-to-live of the stored parts")
			.isNotEmpty()
			.allSatisfy((remaining) -> assertThat(remaining).isPositive().isLessThanOrEqualTo(ttl));
	}

	private static void assertTtlsRefreshed(List<Duration> ttls) {
		assertThat(ttls).as("remaining time-to-live of the stored parts")
			.isNotEmpty()
			.allSatisfy(
					(remaining) -> assertThat(remaining).isGreaterThan(REFRESHED_TTL).isLessThanOrEqualTo(SHORT_TTL));
	}

	private void awaitTtlsBelow(WorkspaceCache cache, UUID id, Duration limit) {
		await().atMost(SHORT_TTL.minusSeconds(2))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertThat(remainingTtls(cache, id)).isNotEmpty()
				.allSatisfy((remaining) -> assertThat(remaining).isLessThanOrEqualTo(limit)));
	}

}
