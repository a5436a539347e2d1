package dev.workspacecache;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;

/**
 * The {@link WorkspaceCache} contract, for every implementation that stores data with a
 * time-to-live. An implementation's test extends this class and implements
 * {@link #createCache(Duration, long)} and {@link #remainingTtls(WorkspaceCache, UUID)}.
 * <p>
 * The tests are default methods of one interface per part of the contract, each extending
 * {@link WorkspaceCacheContract}, which says what they need from the backend under test:
 * {@link OriginalRedisScenariosContract}, {@link TimeToLiveContract},
 * {@link FileBatchContract}, {@link BinaryContentContract}, {@link OddPathContract},
 * {@link IsolationContract}, {@link RejectedInputContract},
 * {@link DefensiveCopyContract}, {@link WholeWorkspaceContract},
 * {@link WriteOutcomeContract}, {@link FinalEvictContract}, {@link LossHealingContract},
 * {@link ConcurrencyContract} and {@link VersionContract}. This class implements them
 * all, so that a backend has one test class that runs the whole contract; a new test goes
 * into the interface of its part, a new part into a new interface that this class
 * implements.
 * <p>
 * Each test gets a fresh {@link #cache()} (time-to-live 1 hour, maximum entry size 1 MiB)
 * and a random {@link #workspaceId() workspace id}. The time-to-live tests take a few
 * seconds in total: they wait for a clock to run down rather than mock it, since the
 * clock of a real store such as Redis cannot be mocked.
 */
public abstract class WorkspaceCacheContractTests
		implements OriginalRedisScenariosContract, TimeToLiveContract, FileBatchContract, BinaryContentContract,
		OddPathContract, IsolationContract, RejectedInputContract, DefensiveCopyContract, WholeWorkspaceContract,
		WriteOutcomeContract, FinalEvictContract, LossHealingContract, ConcurrencyContract, VersionContract {

	private WorkspaceCache cache;

	private UUID workspaceId;

	@BeforeEach
	protected void createDefaultCache() {
		this.cache = createCache(DEFAULT_TTL, DEFAULT_MAX_ENTRY_SIZE);
		this.workspaceId = UUID.randomUUID();
	}

	@Override
	public WorkspaceCache cache() {
		return this.cache;
	}

	@Override
	public UUID workspaceId() {
		return this.workspaceId;
	}

}
