package dev.workspacecache.actuate;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.valkey.ServerPing;
import dev.workspacecache.valkey.ValkeyCache;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@link HealthIndicator} of a {@link WorkspaceCache}, contributed as
 * {@code workspaceCache}. Every status carries the {@code mode}.
 * <ul>
 * <li>A {@link ValkeyCache} is UP when its server answers a {@code PING} over the cache's
 * own connection ({@link ValkeyCache#ping()}), with the details {@code server}
 * ({@code valkey} or {@code redis}), {@code version}, {@code topology}
 * ({@code standalone}, {@code sentinel}, {@code cluster}) and {@code latencyMillis};
 * DOWN, with the {@code error}, when it does not. The check never throws, and never takes
 * longer than the connection's command timeout ({@code spring.data.redis.timeout}).</li>
 * <li>Any other cache ({@code noop}, {@code memory}, an application's own) needs no
 * server and is always UP.</li>
 * </ul>
 */
public class WorkspaceCacheHealthIndicator extends AbstractHealthIndicator {

	private final String mode;

	private final CacheFacts facts;

	/**
	 * The check still running, which later checks wait for rather than start another: one
	 * thread at most, however often health is asked while the server hangs.
	 */
	private final AtomicReference<CompletableFuture<ServerPing>> running = new AtomicReference<>();

	/**
	 * Create an indicator.
	 * @param cache the cache to check
	 * @param mode the configured {@code workspace.cache.mode}, shown as a detail
	 */
	public WorkspaceCacheHealthIndicator(WorkspaceCache cache, String mode) {
		this(CacheFacts.of(Objects.requireNonNull(cache, "cache must not be null")), mode);
	}

	WorkspaceCacheHealthIndicator(CacheFacts facts, String mode) {
		super("Workspace cache health check failed");
		this.mode = Objects.requireNonNull(mode, "mode must not be null");
		this.facts = facts;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		builder.withDetail("mode", this.mode);
		Supplier<Map<String, Object>> circuitBreaker = this.facts.circuitBreaker();
		if (circuitBreaker != null) {
			Map<String, Object> state = circuitBreaker.get();
			builder.withDetail("circuitBreaker", state);
			if (CacheFacts.isOpen(state)) {
				// The cache already knows: its calls fail fast until its own probe
				// reaches the server, so a PING here would only wait out the timeout
				// again.
				builder.down();
				return;
			}
		}
		Supplier<ServerPing> probe = this.facts.probe();
		if (probe == null) {
			builder.up();
			return;
		}
		// A failure (WorkspaceCacheException, its message free of passwords) is reported
		// DOWN with it as the 'error' detail by AbstractHealthIndicator, never thrown.
		ServerPing ping = ping(probe, this.facts.probeTimeout());
		builder.up()
			.withDetail("server", ping.server())
			.withDetail("version", ping.version())
			.withDetail("topology", ping.topology().toString())
			.withDetail("latencyMillis", ping.latency().toNanos() / 1_000_000.0);
	}

	// The client bounds each command by the timeout, but a check is two commands (PING,
	// INFO) and maybe a connect: it runs on a thread of its own, waited for that long.
	private ServerPing ping(Supplier<ServerPing> probe, @Nullable Duration timeout) throws Exception {
		if (timeout == null) {
			return probe.get();
		}
		CompletableFuture<ServerPing> check = this.running
			.updateAndGet((current) -> (current != null && !current.isDone()) ? current : start(probe));
		try {
			return check.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new TimeoutException("The server did not answer within " + timeout.toMillis() + " ms");
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw ex;
		}
	}

	private static CompletableFuture<ServerPing> start(Supplier<ServerPing> probe) {
		return CompletableFuture.supplyAsync(probe, (task) -> {
			Thread thread = new Thread(task, "workspace-cache-health");
			thread.setDaemon(true);
			thread.start();
		});
	}

}
