package dev.workspacecache.sample;

import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.mockito.invocation.InvocationOnMock;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.memory.InMemoryWorkspaceCache;
import dev.workspacecache.memory.InProcessWorkspaceChangeNotifications;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.mockito.Mockito.mock;

/**
 * Replaces the auto-configured cache with a mock of the {@link WorkspaceCache} interface
 * that forwards every call to a real in-process cache: it records the calls the sample
 * makes, and only those (a spy of the cache itself would also record the calls the cache
 * makes to its own methods). The in-process cache behind it can be restarted empty
 * ({@link RestartableCache#restartEmpty()}), as a Redis server without persistence is.
 */
@TestConfiguration(proxyBeanMethods = false)
class RecordedCacheConfiguration {

	@Bean
	RestartableCache restartableCache(InProcessWorkspaceChangeNotifications notifications) {
		return new RestartableCache(notifications);
	}

	/**
	 * Notifications of the in-process cache's changes, in place of the server's that
	 * {@code valkey} mode would subscribe to: the tests run no server, and a subscription
	 * that cannot connect would send resynchronize signals at random.
	 * @return the notifications
	 */
	@Bean(destroyMethod = "close")
	InProcessWorkspaceChangeNotifications inProcessWorkspaceChangeNotifications() {
		return new InProcessWorkspaceChangeNotifications("recorded-cache-tests");
	}

	@Bean
	WorkspaceCache recordedWorkspaceCache(RestartableCache cache) {
		return mock(WorkspaceCache.class, cache::forward);
	}

	/**
	 * The in-process cache the recorded one forwards to. Not a {@link WorkspaceCache}
	 * bean itself, so that the sample is only ever given the recorded one; tests use it
	 * to act on the cache as another pod or the server would, without those calls being
	 * recorded.
	 */
	static final class RestartableCache {

		private final InProcessWorkspaceChangeNotifications notifications;

		private final AtomicReference<InMemoryWorkspaceCache> current;

		RestartableCache(InProcessWorkspaceChangeNotifications notifications) {
			this.notifications = notifications;
			this.current = new AtomicReference<>(emptyCache());
		}

		private InMemoryWorkspaceCache emptyCache() {
			InMemoryWorkspaceCache cache = new InMemoryWorkspaceCache(Duration.ofHours(1), 1024 * 1024);
			cache.setChangeNotifications(this.notifications);
			return cache;
		}

		/**
		 * Return the cache as it is now.
		 * @return the cache calls are forwarded to
		 */
		WorkspaceCache current() {
			return this.current.get();
		}

		/**
		 * Lose everything, evict markers included, as a server restarted without
		 * persistence does.
		 */
		void restartEmpty() {
			this.current.set(emptyCache());
		}

		private Object forward(InvocationOnMock invocation) throws Throwable {
			try {
				return invocation.getMethod().invoke(this.current.get(), invocation.getArguments());
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
		}

	}

}
