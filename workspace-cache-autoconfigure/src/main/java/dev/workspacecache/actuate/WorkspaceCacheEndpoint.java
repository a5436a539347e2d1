package dev.workspacecache.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceDescription;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@link Endpoint @Endpoint} to look at the {@link WorkspaceCache}: its settings and
 * counters, what it holds for one workspace (never the content), and evicting one.
 * Exposed like Spring Boot's own endpoints, with
 * {@code management.endpoints.web.exposure.include} (or {@code .jmx.}).
 * <ul>
 * <li>{@code GET /actuator/workspacecache}: the mode, the cache's type, key prefix,
 * time-to-live, maximum entry size and counters.</li>
 * <li>{@code GET /actuator/workspacecache/{id}}: which parts a workspace has, its number
 * of files, its size in bytes and its remaining time-to-live
 * ({@link WorkspaceCache#describe(UUID)}); 404 when nothing is cached for it, 400 when
 * the id is not a UUID.</li>
 * <li>{@code DELETE /actuator/workspacecache/{id}}: evicts the workspace, as
 * {@link WorkspaceCache#evict(UUID)} does (for good: later writes are refused).</li>
 * </ul>
 */
@Endpoint(id = "workspacecache")
public class WorkspaceCacheEndpoint {

	private final WorkspaceCache cache;

	private final String mode;

	private final CacheFacts facts;

	/**
	 * Create an endpoint.
	 * @param cache the cache
	 * @param mode the configured {@code workspace.cache.mode}
	 */
	public WorkspaceCacheEndpoint(WorkspaceCache cache, String mode) {
		this.cache = Objects.requireNonNull(cache, "cache must not be null");
		this.mode = Objects.requireNonNull(mode, "mode must not be null");
		this.facts = CacheFacts.of(cache);
	}

	/**
	 * Describe the cache: its settings and counters.
	 * @return the description
	 */
	@ReadOperation
	public CacheDescriptor cache() {
		Map<String, Long> counters = new LinkedHashMap<>();
		this.facts.counters().forEach((name, counter) -> counters.put(name, counter.getAsLong()));
		Supplier<Map<String, Object>> circuitBreaker = this.facts.circuitBreaker();
		// The circuit breaker's place (issue #9): null until the cache has one.
		Object circuitBreakerState = (circuitBreaker != null) ? circuitBreaker.get() : null;
		return new CacheDescriptor(this.mode, this.cache.getClass().getName(), this.facts.keyPrefix(),
				format(this.facts.ttl()), this.cache.getMaxEntrySize(), counters, circuitBreakerState);
	}

	/**
	 * Describe what the cache holds for a workspace, without its content.
	 * @param id the workspace id, a UUID
	 * @return the description, or {@code null} (404) when nothing is cached for it
	 */
	@ReadOperation
	public @Nullable WorkspaceDescriptor workspace(@Selector String id) {
		UUID workspaceId = parse(id);
		Optional<WorkspaceDescription> description = this.cache.describe(workspaceId);
		return description.isPresent() ? WorkspaceDescriptor.of(workspaceId, description.get()) : null;
	}

	/**
	 * Evict a workspace, for good: later writes to it are refused for its time-to-live.
	 * @param id the workspace id, a UUID
	 */
	@DeleteOperation
	public void evict(@Selector String id) {
		this.cache.evict(parse(id));
	}

	private static UUID parse(String id) {
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			String reason = "'" + id + "' is not a workspace id: expected a UUID";
			throw new InvalidEndpointRequestException(reason, reason, ex);
		}
	}

	private static @Nullable String format(@Nullable Duration duration) {
		return (duration != null) ? duration.toString() : null;
	}

	/**
	 * The cache, as {@code GET /actuator/workspacecache} shows it.
	 *
	 * @param mode the configured {@code workspace.cache.mode}
	 * @param type the class of the {@link WorkspaceCache} bean
	 * @param keyPrefix the prefix of every key ({@code valkey} mode), else {@code null}
	 * @param timeToLive the time-to-live of a workspace, ISO-8601 (for example
	 * {@code PT1H}), or {@code null} when the cache keeps nothing or has no expiry
	 * @param maxEntrySize the largest file content or graph accepted, in bytes
	 * @param counters the cache's counters by name ({@code unreadableValues} in
	 * {@code valkey} mode)
	 * @param circuitBreaker the state of the cache's circuit breaker, or {@code null}
	 */
	public record CacheDescriptor(String mode, String type, @Nullable String keyPrefix, @Nullable String timeToLive,
			long maxEntrySize, Map<String, Long> counters,
			@Nullable Object circuitBreaker) implements OperationResponseBody {

	}

	/**
	 * A workspace, as {@code GET /actuator/workspacecache/{id}} shows it: never its
	 * content.
	 *
	 * @param id the workspace id
	 * @param snapshot whether its snapshot is cached
	 * @param graph whether its session graph is cached
	 * @param files how many overlay entries are cached
	 * @param bytes the size of its cached values ({@link WorkspaceDescription#bytes()})
	 * @param timeToLive its remaining time-to-live, ISO-8601, or {@code null} when it
	 * does not expire
	 */
	public record WorkspaceDescriptor(UUID id, boolean snapshot, boolean graph, int files, long bytes,
			@Nullable String timeToLive) implements OperationResponseBody {

		static WorkspaceDescriptor of(UUID id, WorkspaceDescription description) {
			return new WorkspaceDescriptor(id, description.snapshot(), description.graph(), description.files(),
					description.bytes(), format(description.timeToLive()));
		}

	}

}
