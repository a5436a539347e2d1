package dev.workspacecache.sample;

import java.time.Duration;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.memory.InMemoryWorkspaceCache;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.Mockito.mock;

/**
 * Replaces the auto-configured cache with a mock of the {@link WorkspaceCache} interface that
 * forwards every call to a real in-process cache: it records the calls the sample makes, and only
 * those (a spy of the cache itself would also record the calls the cache makes to its own
 * methods).
 */
@TestConfiguration(proxyBeanMethods = false)
class RecordedCacheConfiguration {

	@Bean
	WorkspaceCache recordedWorkspaceCache() {
		return mock(WorkspaceCache.class, delegatesTo(new InMemoryWorkspaceCache(Duration.ofHours(1), 1024 * 1024)));
	}

}
