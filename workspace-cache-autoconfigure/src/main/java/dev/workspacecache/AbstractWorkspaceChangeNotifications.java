package dev.workspacecache;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Base class for {@link WorkspaceChangeNotifications}: keeps the watched workspaces and
 * the listeners, and delivers to the listeners on one thread of its own, in arrival
 * order, so that a transport never runs application code on its I/O threads. A subclass
 * subscribes ({@link #doWatch(UUID)}), and hands over what it receives
 * ({@link #received(UUID, WorkspaceChange.Kind, List, long, String)}) and when it may
 * have missed something ({@link #resynchronize(String)}).
 */
public abstract class AbstractWorkspaceChangeNotifications implements WorkspaceChangeNotifications, AutoCloseable {

	private static final Log logger = LogFactory.getLog(AbstractWorkspaceChangeNotifications.class);

	private static final AtomicInteger threads = new AtomicInteger();

	private final String instanceId;

	/**
	 * The watched workspaces, each with the subscription made for it: completed once
	 * {@link #doWatch(UUID)} returned, so that a concurrent {@link #watch(UUID)} of the
	 * same workspace can wait for it rather than return before it is live.
	 */
	private final Map<UUID, CompletableFuture<Void>> watched = new ConcurrentHashMap<>();

	private final List<WorkspaceChangeListener> listeners = new CopyOnWriteArrayList<>();

	private final Map<UUID, Long> announcedVersions = new ConcurrentHashMap<>();

	private final ExecutorService delivery;

	/**
	 * Create notifications for an instance.
	 * @param instanceId the id that marks this instance's changes, not empty
	 */
	protected AbstractWorkspaceChangeNotifications(String instanceId) {
		Objects.requireNonNull(instanceId, "instanceId must not be null");
		if (instanceId.isBlank()) {
			throw new IllegalArgumentException("instanceId must not be blank");
		}
		this.instanceId = instanceId;
		this.delivery = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "workspace-cache-changes-" + threads.incrementAndGet());
			// Delivery must never keep an application from exiting.
			thread.setDaemon(true);
			return thread;
		});
	}

	@Override
	public final String getInstanceId() {
		return this.instanceId;
	}

	@Override
	public final void watch(UUID id) {
		Objects.requireNonNull(id, "id must not be null");
		CompletableFuture<Void> subscription = new CompletableFuture<>();
		CompletableFuture<Void> existing = this.watched.putIfAbsent(id, subscription);
		if (existing != null) {
			// Another thread may still be subscribing: a read that follows this call must
			// not miss a change, so this call returns once that subscription is live too.
			existing.join();
			return;
		}
		try {
			doWatch(id);
		}
		finally {
			subscription.complete(null);
		}
	}

	@Override
	public final void unwatch(UUID id) {
		Objects.requireNonNull(id, "id must not be null");
		if (this.watched.remove(id) != null) {
			this.announcedVersions.remove(id);
			doUnwatch(id);
		}
	}

	@Override
	public final boolean isWatching(UUID id) {
		Objects.requireNonNull(id, "id must not be null");
		CompletableFuture<Void> subscription = this.watched.get(id);
		return subscription != null && subscription.isDone();
	}

	/**
	 * Return whether a workspace is watched or being subscribed to: a subclass that loses
	 * a subscription it is still making must make it again too.
	 * @param id the workspace id
	 * @return {@code true} from the start of {@link #watch(UUID)} until
	 * {@link #unwatch(UUID)}
	 */
	protected final boolean isWatchedOrSubscribing(UUID id) {
		return this.watched.containsKey(id);
	}

	/**
	 * Return the workspaces watched now, or being subscribed to, for a subclass that
	 * subscribes again.
	 * @return a snapshot of the watched ids
	 */
	protected final Set<UUID> watched() {
		return Set.copyOf(this.watched.keySet());
	}

	@Override
	public final long getAnnouncedVersion(UUID id) {
		Objects.requireNonNull(id, "id must not be null");
		return this.announcedVersions.getOrDefault(id, 0L);
	}

	@Override
	public final void addListener(WorkspaceChangeListener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
	}

	@Override
	public final void removeListener(WorkspaceChangeListener listener) {
		this.listeners.remove(Objects.requireNonNull(listener, "listener must not be null"));
	}

	/**
	 * Hand over a change that arrived, from any thread: listeners hear it later, on the
	 * delivery thread, if the workspace is watched then.
	 * @param workspaceId the workspace that changed
	 * @param kind what changed
	 * @param paths the paths of the files that changed
	 * @param version the version the workspace reached
	 * @param origin the instance that made the change
	 */
	protected final void received(UUID workspaceId, WorkspaceChange.Kind kind, List<String> paths, long version,
			String origin) {
		if (!this.watched.containsKey(workspaceId)) {
			return;
		}
		boolean local = this.instanceId.equals(origin);
		if (!local) {
			// Recorded here, on the transport's thread, so that readers see it before the
			// listeners, which may be behind, hear of it.
			this.announcedVersions.merge(workspaceId, version, Math::max);
		}
		WorkspaceChange change = new WorkspaceChange(workspaceId, kind, paths, version, origin, local);
		deliver(() -> {
			// Checked again on the delivery thread: the workspace may have been unwatched
			// while the change waited.
			if (this.watched.containsKey(workspaceId)) {
				for (WorkspaceChangeListener listener : this.listeners) {
					notify(listener, () -> listener.onWorkspaceChange(change));
				}
			}
		});
	}

	/**
	 * Tell the listeners that changes may have been missed, from any thread.
	 * @param reason what happened, for logs
	 */
	protected final void resynchronize(String reason) {
		deliver(() -> {
			for (WorkspaceChangeListener listener : this.listeners) {
				notify(listener, () -> listener.onResynchronize(reason));
			}
		});
	}

	private void deliver(Runnable task) {
		try {
			this.delivery.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// Closed: nobody is listening any more.
		}
	}

	// One listener's failure must not keep the change from the listeners after it.
	private static void notify(WorkspaceChangeListener listener, Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Workspace change listener " + listener + " failed", ex);
		}
	}

	/**
	 * Stop delivering, after the changes already received, for at most a second, and
	 * release the transport ({@link #doClose()}).
	 */
	@Override
	public void close() {
		try {
			doClose();
		}
		finally {
			this.delivery.shutdown();
			try {
				this.delivery.awaitTermination(1, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Subscribe to a workspace that was not watched. Return once the subscription is
	 * live, or once a {@link #resynchronize(String)} is certain to follow it.
	 * @param id the workspace id
	 */
	protected abstract void doWatch(UUID id);

	/**
	 * Unsubscribe from a workspace that is no longer watched.
	 * @param id the workspace id
	 */
	protected abstract void doUnwatch(UUID id);

	/**
	 * Release the transport. This default does nothing.
	 */
	protected void doClose() {
	}

}
