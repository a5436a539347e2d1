package dev.workspacecache.benchmarks;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WriteOutcome;
import dev.workspacecache.valkey.ValkeyCache;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import org.springframework.session.data.redis.RedisSessionRepository;

/**
 * Scenario 3: what a Spring user would pick instead, the same workspace (snapshot, 1,000
 * files of 1 KiB, a 4 KiB graph) kept as the attributes of a Spring Session in Redis
 * ({@link SpringSessionStore}: {@code RedisSessionRepository}, with Spring Session's
 * default serializer, Java serialization, and with a JSON one), over the same connection
 * factory as our cache.
 * <ul>
 * <li>{@code ours_cacheAll}: {@link ValkeyCache#cacheAll} of the whole workspace, one
 * script ({@code UNLINK}, {@code HSET} in chunks, {@code PEXPIRE}); compared with
 * {@code spring_save}: a new session holding the workspace (one {@code setAttribute} per
 * part), saved ({@code HMSET} of every attribute, then {@code EXPIREAT}). Every save
 * reuses one session id, so each overwrites the same key, as our {@code cacheAll}
 * replaces the same key.</li>
 * <li>{@code spring_load}: {@code findById} ({@code HGETALL}, every attribute
 * deserialized) and reading every attribute; compared, in the report, with
 * {@code RecoveryBenchmark.ours_recover} of the same workspace at 1,000 files.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class SpringSessionBenchmark {

	/** Number of files in the workspace, 1 KiB each. */
	static final int FILES = 1000;

	/** Our side: the cache and the workspace it writes. */
	@State(Scope.Benchmark)
	public static class Ours {

		BenchmarkConnection connection;

		ValkeyCache cache;

		final UUID id = UUID.randomUUID();

		CachedWorkspace workspace;

		@Setup(Level.Trial)
		public void setUp() {
			this.connection = BenchmarkConnection.open();
			this.cache = this.connection.cache();
			this.workspace = Workloads.workspace(FILES);
			RecoveryBenchmark.expect(this.cache.cacheAll(this.id, this.workspace), WriteOutcome.MISSING,
					"cacheAll of a new workspace");
			RecoveryBenchmark.expect(this.cache.cacheAll(this.id, this.workspace), WriteOutcome.PRESENT,
					"cacheAll of a cached workspace");
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.cache.evict(this.id);
			this.connection.close();
		}

	}

	/** The Spring Session side, with one serializer. */
	@State(Scope.Benchmark)
	public static class Spring {

		/**
		 * {@code jdk}: Java serialization, Spring Session's default, used here only
		 * because it is the baseline being compared against; {@code json}: JSON.
		 */
		@Param({ "jdk", "json" })
		public String serializer;

		BenchmarkConnection connection;

		RedisSessionRepository repository;

		Map<String, Object> attributes;

		/** The id every saved session gets (the repository's id generator returns it). */
		String nextId;

		final String savedId = UUID.randomUUID().toString();

		final String loadedId = UUID.randomUUID().toString();

		@Setup(Level.Trial)
		public void setUp() {
			this.connection = BenchmarkConnection.open();
			this.repository = SpringSessionStore.repository(this.connection.factory(),
					SpringSessionStore.Serializer.valueOf(this.serializer.toUpperCase(Locale.ROOT)));
			this.repository.setSessionIdGenerator(() -> this.nextId);
			this.attributes = SpringSessionStore.attributes(Workloads.workspace(FILES));
			this.nextId = this.loadedId;
			save(this);
			this.nextId = this.savedId;
			Map<String, Object> loaded = new HashMap<>();
			load(this, loaded::put);
			if (!loaded.keySet().equals(this.attributes.keySet())) {
				throw new IllegalStateException(
						"Spring Session loaded " + loaded.size() + " attributes, expected " + this.attributes.size());
			}
			String aFile = this.attributes.keySet()
				.stream()
				.filter((name) -> name.startsWith(SpringSessionStore.FILE_PREFIX))
				.findFirst()
				.orElseThrow();
			SpringSessionStore.SessionFile file = (SpringSessionStore.SessionFile) loaded.get(aFile);
			if (file.content().length != Workloads.KIB) {
				throw new IllegalStateException("Spring Session loaded a file of " + file.content().length + " bytes");
			}
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.repository.deleteById(this.savedId);
			this.repository.deleteById(this.loadedId);
			this.connection.close();
		}

	}

	static void save(Spring spring) {
		SpringSessionStore.save(spring.repository, spring.attributes);
	}

	static void load(Spring spring, BiConsumer<String, Object> reader) {
		SpringSessionStore.load(spring.repository, spring.loadedId, reader);
	}

	@Benchmark
	public WriteOutcome ours_cacheAll(Ours ours) {
		return ours.cache.cacheAll(ours.id, ours.workspace);
	}

	@Benchmark
	public void spring_save(Spring spring) {
		save(spring);
	}

	@Benchmark
	public void spring_load(Spring spring, Blackhole blackhole) {
		load(spring, (name, value) -> blackhole.consume(value));
	}

}
