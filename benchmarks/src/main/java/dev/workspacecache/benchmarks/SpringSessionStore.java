package dev.workspacecache.benchmarks;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceSnapshot;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.GenericJacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;

/**
 * The Spring Session baseline: what a Spring user would pick instead of this cache to
 * share a workspace between pods, a Spring Session ({@code spring-session-data-redis})
 * whose attributes hold the workspace, stored by {@link RedisSessionRepository} (Spring
 * Boot's default Redis session repository) in one Redis hash per session.
 * <p>
 * The repository is built as Spring Session's own configuration builds it: a
 * {@code RedisTemplate<String, Object>} with string keys and hash keys over the given
 * connection factory, whose values go through
 * <ul>
 * <li>{@link Serializer#JDK}: no serializer set, so the template's default,
 * {@code JdkSerializationRedisSerializer}, which is Spring Session's default; or</li>
 * <li>{@link Serializer#JSON}: a {@code springSessionDefaultRedisSerializer} as Spring
 * Session's documentation suggests, here Spring Data Redis 4's
 * {@link GenericJacksonJsonRedisSerializer} (Jackson 3) with default typing, so that
 * attributes come back as the types that were stored.</li>
 * </ul>
 * The workspace is kept as one attribute per part, as a Spring user would write it so
 * that changing one file saves one attribute: {@value #SNAPSHOT} (a
 * {@link SessionSnapshot}), {@value #GRAPH} (the graph bytes) and
 * {@value #FILE_PREFIX}{@code <path>} (a {@link SessionFile}) per file.
 * <p>
 * <strong>Java serialization is used here only because it is the baseline being compared
 * against</strong>, Spring Session's default: the cache itself never uses it (its values
 * are versioned CBOR), and nothing outside these benchmarks should copy it.
 */
final class SpringSessionStore {

	/** Key namespace of the sessions the benchmarks write. */
	static final String NAMESPACE = "bench:spring:session";

	/** Attribute holding the snapshot. */
	static final String SNAPSHOT = "snapshot";

	/** Attribute holding the graph. */
	static final String GRAPH = "graph";

	/** Prefix of the attribute holding one file, followed by its path. */
	static final String FILE_PREFIX = "file:";

	/** The value serializers compared. */
	enum Serializer {

		/**
		 * Spring Session's default: Java serialization
		 * ({@code JdkSerializationRedisSerializer}).
		 */
		JDK,

		/** JSON: {@link GenericJacksonJsonRedisSerializer} with default typing. */
		JSON

	}

	private SpringSessionStore() {
	}

	/**
	 * Create a session repository as Spring Session configures it.
	 * @param connectionFactory the connection factory (the cache's own, so both share its
	 * connection)
	 * @param serializer the value serializer
	 * @return the repository; sessions live for {@link BenchmarkConnection#TTL}
	 */
	static RedisSessionRepository repository(RedisConnectionFactory connectionFactory, Serializer serializer) {
		RedisTemplate<String, Object> template = new RedisTemplate<>();
		template.setKeySerializer(RedisSerializer.string());
		template.setHashKeySerializer(RedisSerializer.string());
		if (serializer == Serializer.JSON) {
			template.setDefaultSerializer(json());
		}
		template.setConnectionFactory(connectionFactory);
		template.setBeanClassLoader(SpringSessionStore.class.getClassLoader());
		template.afterPropertiesSet();
		RedisSessionRepository repository = new RedisSessionRepository(template);
		repository.setDefaultMaxInactiveInterval(BenchmarkConnection.TTL);
		repository.setRedisKeyNamespace(NAMESPACE);
		return repository;
	}

	private static RedisSerializer<Object> json() {
		// Default typing restricted to the types stored here (and the JDK's), not
		// "unsafe" typing.
		BasicPolymorphicTypeValidator types = BasicPolymorphicTypeValidator.builder()
			.allowIfSubType(SpringSessionStore.class.getPackageName() + ".")
			.allowIfSubType("java.")
			.allowIfSubType(byte[].class)
			.build();
		return GenericJacksonJsonRedisSerializer.builder().enableDefaultTyping(types).build();
	}

	/**
	 * Return the session key of a session id, for raw reads ({@code MEMORY USAGE}).
	 * @param sessionId the session id
	 * @return the key
	 */
	static byte[] key(String sessionId) {
		return Workloads.utf8(NAMESPACE + ":sessions:" + sessionId);
	}

	/**
	 * Return the attributes that hold a workspace.
	 * @param workspace the workspace
	 * @return the attributes by name, snapshot and graph first, then the files in path
	 * order
	 */
	static Map<String, Object> attributes(CachedWorkspace workspace) {
		Map<String, Object> attributes = new LinkedHashMap<>(workspace.files().size() * 2 + 4);
		attributes.put(SNAPSHOT, SessionSnapshot.of(workspace.snapshot()));
		workspace.graph().ifPresent((graph) -> attributes.put(GRAPH, graph));
		workspace.files().forEach((path, entry) -> attributes.put(FILE_PREFIX + path, SessionFile.of(entry)));
		return attributes;
	}

	/**
	 * Save a new session holding the given attributes, as an application does: create it,
	 * set every attribute, save it. Generic, as Spring Session's own filter uses a
	 * repository: the repository's session type is not public.
	 * @param <S> the repository's session type
	 * @param repository the repository
	 * @param attributes the attributes
	 * @return the id of the session
	 */
	static <S extends Session> String save(SessionRepository<S> repository, Map<String, Object> attributes) {
		S session = repository.createSession();
		attributes.forEach(session::setAttribute);
		repository.save(session);
		return session.getId();
	}

	/**
	 * Load a session and read every attribute.
	 * @param <S> the repository's session type
	 * @param repository the repository
	 * @param id the session id
	 * @param reader receives every attribute, by name
	 */
	static <S extends Session> void load(SessionRepository<S> repository, String id,
			BiConsumer<String, Object> reader) {
		S session = repository.findById(id);
		if (session == null) {
			throw new IllegalStateException("Spring Session lost session " + id);
		}
		for (String name : session.getAttributeNames()) {
			reader.accept(name, session.getAttribute(name));
		}
	}

	/**
	 * A snapshot as a Spring user would keep it in a session attribute: a
	 * {@link Serializable} record ({@link WorkspaceSnapshot} is not
	 * {@code Serializable}).
	 *
	 * @param sessionId the workspace (session) id
	 * @param repoId the repository id
	 * @param agentId the agent id
	 * @param agentName the agent name
	 * @param changesetId the changeset id
	 * @param intent the intent
	 * @param baseCommit the base commit
	 * @param state the state label
	 * @param mode the mode label
	 */
	record SessionSnapshot(UUID sessionId, UUID repoId, String agentId, String agentName, UUID changesetId,
			String intent, String baseCommit, String state, String mode) implements Serializable {

		static SessionSnapshot of(WorkspaceSnapshot snapshot) {
			return new SessionSnapshot(snapshot.sessionId(), snapshot.repoId(), snapshot.agentId(),
					snapshot.agentName(), snapshot.changesetId(), snapshot.intent(), snapshot.baseCommit(),
					snapshot.state(), snapshot.mode());
		}

	}

	/**
	 * An overlay entry as a Spring user would keep it in a session attribute: a
	 * {@link Serializable} record ({@link CachedOverlayEntry} is not
	 * {@code Serializable}).
	 *
	 * @param kind {@code "M"} (modified), {@code "A"} (added) or {@code "D"} (deleted)
	 * @param hash the content hash, {@code null} when deleted
	 * @param content the content, {@code null} when deleted
	 */
	record SessionFile(String kind, String hash, byte[] content) implements Serializable {

		static SessionFile of(CachedOverlayEntry entry) {
			if (entry instanceof CachedOverlayEntry.Modified modified) {
				return new SessionFile("M", modified.hash(), modified.content());
			}
			if (entry instanceof CachedOverlayEntry.Added added) {
				return new SessionFile("A", added.hash(), added.content());
			}
			return new SessionFile("D", null, null);
		}

	}

}
