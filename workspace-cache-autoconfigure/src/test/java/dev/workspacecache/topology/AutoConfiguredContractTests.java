package dev.workspacecache.topology;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheContractTests;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link WorkspaceCacheContractTests} for a cache made by the auto-configuration of a
 * {@link BootRedisApplication} that a subclass starts against some topology.
 */
abstract class AutoConfiguredContractTests extends WorkspaceCacheContractTests {

	/**
	 * Return the running application whose caches are tested.
	 */
	protected abstract BootRedisApplication application();

	/**
	 * Return a connection factory that may read the time-to-live of any key: the
	 * application's own, unless it lacks the permission.
	 */
	protected RedisConnectionFactory adminConnectionFactory() {
		return application().connectionFactory();
	}

	@Override
	public WorkspaceCache createCache(Duration ttl, long maxEntrySize) {
		return application().createCache(ttl, maxEntrySize);
	}

	@Override
	public List<Duration> remainingTtls(WorkspaceCache cache, UUID workspaceId) {
		return BootRedisApplication.remainingTtls(adminConnectionFactory(), cache, workspaceId);
	}

}
