package dev.workspacecache.valkey;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.WriteOutcome;
import dev.workspacecache.testsupport.RedisConnections;
import dev.workspacecache.testsupport.RedisServer;
import dev.workspacecache.WorkspaceFixtures;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes far more workspaces than a server with a small {@code maxmemory} can hold
 * through {@link ValkeyCache}, the way an engine writes them, under every evicting
 * {@code maxmemory-policy}, then reads every workspace back. Guards against the bug of
 * the three-key layout, where {@code allkeys-lru} dropped the overlay or the graph of a
 * workspace and kept its snapshot (and the other way round), so that a pod recovered half
 * a workspace.
 * <p>
 * Each workspace is classified twice: by {@link ValkeyCache#recover} and by
 * {@link ValkeyCache#getWorkspace} with {@link ValkeyCache#getFiles} and
 * {@link ValkeyCache#getGraph}. Either read must find the workspace <em>whole</em>
 * (exactly what the server acknowledged) or <em>gone</em> (no snapshot); anything else is
 * <em>partial</em>. Prints one {@code EVICTION ...} line per policy with the figures.
 */
class EvictionUnderMemoryPressureIntegrationTests {

	/**
	 * Several times what fits in {@link #MAX_MEMORY}, so that most workspaces are
	 * evicted.
	 */
	private static final int WORKSPACES = 2000;

	private static final int MIN_FILES = 10;

	private static final int MAX_FILES = 20;

	private static final int MIN_FILE_SIZE = 1024;

	private static final int MAX_FILE_SIZE = 2048;

	private static final int GRAPH_SIZE = 4096;

	/** Holds about a third of the workspaces, which take some 30 KiB each. */
	private static final String MAX_MEMORY = "20mb";

	/** Every few writes the engine reads or touches a session it created earlier. */
	private static final int WRITES_PER_ACCESS = 4;

	/** The sessions still active on the engine: the last ones it created. */
	private static final int ACTIVE_SESSIONS = 200;

	/**
	 * Long enough that no workspace expires during the test: keys are lost to eviction
	 * only.
	 */
	private static final Duration TTL = Duration.ofHours(1);

	private static final long MAX_ENTRY_SIZE = 1024 * 1024;

	private static final int EXAMPLES = 5;

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu",
			"volatile-random", "volatile-ttl" })
	void everyWorkspaceReadsBackWholeOrGone(String policy) {
		// A fresh server per policy: evicted_keys and the memory of one run must not leak
		// into the next.
		try (RedisServer server = RedisServer.builder()
			.arg("--maxmemory", MAX_MEMORY, "--maxmemory-policy", policy)
			.start()) {
			LettuceConnectionFactory connectionFactory = RedisConnections.connectionFactory(server);
			try {
				long start = System.nanoTime();
				ValkeyCache cache = new ValkeyCache(connectionFactory, RedisConnections.randomKeyPrefix(), TTL,
						MAX_ENTRY_SIZE);
				Engine engine = new Engine(cache, new Random(policy.hashCode()));
				engine.writeAll();
				ReadBack readBack = ReadBack.of(cache, engine.workspaces);
				long evictedKeys = evictedKeys(connectionFactory);
				double seconds = (System.nanoTime() - start) / 1e9;
				System.out.printf(Locale.ROOT,
						"EVICTION %s %s %s: whole=%d gone=%d partial=%d | getWorkspace+getFiles+getGraph: whole=%d "
								+ "gone=%d partial=%d | evicted_keys=%d refused_writes=%d healed=%d "
								+ "whole_without_refused_write=%d overlay_or_graph_without_snapshot=%d | "
								+ "%d workspaces, maxmemory %s, %.1f s%n",
						server.flavour(), server.version(), policy, readBack.recovered.whole, readBack.recovered.gone,
						readBack.recovered.partial, readBack.parts.whole, readBack.parts.gone, readBack.parts.partial,
						evictedKeys, engine.refusedWrites, engine.heals, readBack.wholeWithoutRefusedWrite,
						readBack.orphans, WORKSPACES, MAX_MEMORY, seconds);
				assertThat(readBack.recovered.partial)
					.as("workspaces recover() read back partial, for example %s", readBack.recovered.examples)
					.isZero();
				assertThat(readBack.parts.partial)
					.as("workspaces whose snapshot getWorkspace() read while getFiles() or getGraph() did not read "
							+ "what was written with it, for example %s", readBack.parts.examples)
					.isZero();
				// Without these the test would pass on a server that stored nothing, or
				// never ran short of memory.
				assertThat(evictedKeys).as("evicted_keys of the server").isPositive();
				assertThat(readBack.recovered.whole).as("workspaces recover() read back whole").isPositive();
				assertThat(readBack.parts.whole).as("workspaces getWorkspace() and the others read back whole")
					.isPositive();
			}
			finally {
				connectionFactory.destroy();
			}
		}
	}

	private static long evictedKeys(LettuceConnectionFactory connectionFactory) {
		try (RedisConnection connection = connectionFactory.getConnection()) {
			Properties stats = connection.serverCommands().info("stats");
			assertThat(stats).containsKey("evicted_keys");
			return Long.parseLong(stats.getProperty("evicted_keys").trim());
		}
	}

	private static String path(int file) {
		return "src/main/java/com/example/module%02d/File%04d.java".formatted(file % 10, file);
	}

	/**
	 * Return the entry of a file: generated again on every call, so that the test keeps a
	 * few bytes per workspace rather than every file it wrote.
	 */
	private static CachedOverlayEntry entry(int workspace, int file) {
		long seed = ((long) workspace << 16) | file;
		if (file % 7 == 6) {
			return new CachedOverlayEntry.Deleted();
		}
		int size = MIN_FILE_SIZE + new Random(seed).nextInt(MAX_FILE_SIZE - MIN_FILE_SIZE + 1);
		byte[] content = WorkspaceFixtures.randomBytes(size, seed);
		String hash = "sha-" + Long.toHexString(seed);
		return (file % 2 == 0) ? new CachedOverlayEntry.Modified(content, hash)
				: new CachedOverlayEntry.Added(content, hash);
	}

	private static byte[] graph(int workspace) {
		return WorkspaceFixtures.randomBytes(GRAPH_SIZE, -1 - workspace);
	}

	/**
	 * One workspace: what the engine holds of it (the live session) and what the server
	 * acknowledged, which is what a read may find besides nothing.
	 */
	private static final class Workspace {

		final int index;

		final UUID id = UUID.randomUUID();

		final WorkspaceSnapshot snapshot = WorkspaceFixtures.snapshot(this.id);

		final int fileCount;

		/** The live session has files {@code 0..liveFiles-1}. */
		int liveFiles;

		boolean liveGraph;

		/**
		 * Whether the server holds the snapshot, as far as acknowledged writes and
		 * outcomes tell.
		 */
		boolean storedSnapshot;

		final BitSet storedFiles = new BitSet();

		boolean storedGraph;

		/** Whether a write the server refused is missing from what it holds. */
		boolean lagging;

		Workspace(int index) {
			this.index = index;
			this.fileCount = MIN_FILES + index % (MAX_FILES - MIN_FILES + 1);
		}

		CachedWorkspace live() {
			Map<String, CachedOverlayEntry> files = new TreeMap<>();
			for (int file = 0; file < this.liveFiles; file++) {
				files.put(path(file), entry(this.index, file));
			}
			return CachedWorkspace.of(this.snapshot, files, this.liveGraph ? graph(this.index) : null);
		}

		/** The server holds the live session: after an acknowledged {@code cacheAll}. */
		void storedLive() {
			this.storedSnapshot = true;
			this.storedFiles.clear();
			this.storedFiles.set(0, this.liveFiles);
			this.storedGraph = this.liveGraph;
			this.lagging = false;
		}

		Map<String, CachedOverlayEntry> storedFiles() {
			Map<String, CachedOverlayEntry> files = new TreeMap<>();
			this.storedFiles.stream().forEach((file) -> files.put(path(file), entry(this.index, file)));
			return files;
		}

		CachedWorkspace stored() {
			return CachedWorkspace.of(this.snapshot, storedFiles(), this.storedGraph ? graph(this.index) : null);
		}

		String describe() {
			return "#" + this.index + " (stored: " + (this.storedSnapshot ? stored() : "no snapshot") + ", live: "
					+ live() + ")";
		}

	}

	/**
	 * Writes workspaces as an engine does: creates each with its snapshot, then caches
	 * its files one at a time (or a few at a time) and its graph as the session produces
	 * them, while now and then reading or touching sessions it created earlier. Does what
	 * {@link WriteOutcome#MISSING} asks: writes the live session back with
	 * {@code cacheAll}.
	 */
	private static final class Engine {

		private final ValkeyCache cache;

		private final Random random;

		final List<Workspace> workspaces = new ArrayList<>(WORKSPACES);

		int refusedWrites;

		int heals;

		private int writes;

		Engine(ValkeyCache cache, Random random) {
			this.cache = cache;
			this.random = random;
		}

		void writeAll() {
			for (int index = 0; index < WORKSPACES; index++) {
				Workspace workspace = new Workspace(index);
				this.workspaces.add(workspace);
				create(workspace);
				// Every fourth session saves its files in batches, as after a bulk edit.
				int batch = (index % 4 == 3) ? 5 : 1;
				for (int first = 0; first < workspace.fileCount; first += batch) {
					writeFiles(workspace, first, Math.min(first + batch, workspace.fileCount));
					accessEarlierSession();
				}
				workspace.liveGraph = true;
				write(workspace, () -> this.cache.cacheGraph(workspace.id, graph(workspace.index)),
						() -> workspace.storedGraph = true);
				accessEarlierSession();
			}
		}

		private void create(Workspace workspace) {
			try {
				// MISSING, as for any new workspace: nothing to write back yet.
				assertThat(this.cache.cacheWorkspace(workspace.id, workspace.snapshot)).isEqualTo(WriteOutcome.MISSING);
				workspace.storedSnapshot = true;
			}
			catch (WorkspaceCacheException ex) {
				refused(workspace, ex);
			}
		}

		private void writeFiles(Workspace workspace, int first, int end) {
			workspace.liveFiles = end;
			if (end - first == 1) {
				write(workspace, () -> this.cache.cacheFile(workspace.id, path(first), entry(workspace.index, first)),
						() -> workspace.storedFiles.set(first));
			}
			else {
				Map<String, CachedOverlayEntry> entries = new TreeMap<>();
				for (int file = first; file < end; file++) {
					entries.put(path(file), entry(workspace.index, file));
				}
				write(workspace, () -> this.cache.cacheFiles(workspace.id, entries),
						() -> workspace.storedFiles.set(first, end));
			}
		}

		private void accessEarlierSession() {
			int created = this.workspaces.size() - 1;
			if (++this.writes % WRITES_PER_ACCESS != 0 || created == 0) {
				return;
			}
			int window = Math.min(created, ACTIVE_SESSIONS);
			Workspace earlier = this.workspaces.get(created - 1 - this.random.nextInt(window));
			if (this.random.nextBoolean()) {
				// What a pod does when asked about a session: it makes the key recently
				// used.
				this.cache.getWorkspace(earlier.id);
			}
			else {
				write(earlier, () -> this.cache.touch(earlier.id), () -> {
				});
			}
		}

		/**
		 * Run a write and record what the server acknowledged. A write refused for memory
		 * (volatile-* policies, with nothing left to evict) wrote nothing: the server
		 * refuses a script only at its first write command, never once it has written.
		 * Any other failure leaves the stored state unknown, so it fails the test.
		 */
		private void write(Workspace workspace, Supplier<WriteOutcome> write, Runnable acknowledged) {
			WriteOutcome outcome;
			try {
				outcome = write.get();
			}
			catch (WorkspaceCacheException ex) {
				refused(workspace, ex);
				return;
			}
			assertThat(outcome).isIn(WriteOutcome.PRESENT, WriteOutcome.MISSING);
			acknowledged.run();
			if (outcome == WriteOutcome.MISSING) {
				// The server lost the workspace before this write, which it applied to a
				// key without a snapshot: only cacheAll can make the workspace
				// recoverable again.
				workspace.storedSnapshot = false;
				heal(workspace);
			}
		}

		private void heal(Workspace workspace) {
			try {
				this.cache.cacheAll(workspace.id, workspace.live());
				workspace.storedLive();
				this.heals++;
			}
			catch (WorkspaceCacheException ex) {
				refused(workspace, ex);
			}
		}

		private void refused(Workspace workspace, WorkspaceCacheException ex) {
			assertThat(ex).hasMessageContaining("OOM");
			workspace.lagging = true;
			this.refusedWrites++;
		}

	}

	private static final class Counts {

		int whole;

		int gone;

		int partial;

		final List<String> examples = new ArrayList<>();

		void partial(String example) {
			this.partial++;
			if (this.examples.size() < EXAMPLES) {
				this.examples.add(example);
			}
		}

	}

	/**
	 * Reads every workspace back after the writes, and counts.
	 */
	private static final class ReadBack {

		final Counts recovered = new Counts();

		final Counts parts = new Counts();

		/** Recovered whole as acknowledged, but without a write the server refused. */
		int wholeWithoutRefusedWrite;

		/**
		 * Gone, but files or a graph written after the snapshot was lost are still there.
		 */
		int orphans;

		static ReadBack of(ValkeyCache cache, List<Workspace> workspaces) {
			ReadBack readBack = new ReadBack();
			for (Workspace workspace : workspaces) {
				readBack.recover(cache, workspace);
				readBack.readParts(cache, workspace);
			}
			return readBack;
		}

		private void recover(ValkeyCache cache, Workspace workspace) {
			Optional<CachedWorkspace> recovered = cache.recover(workspace.id);
			if (recovered.isEmpty()) {
				this.recovered.gone++;
			}
			else if (workspace.storedSnapshot && recovered.get().equals(workspace.stored())) {
				this.recovered.whole++;
				if (workspace.lagging) {
					this.wholeWithoutRefusedWrite++;
				}
			}
			else {
				this.recovered.partial(workspace.describe() + " recovered as " + recovered.get());
			}
		}

		private void readParts(ValkeyCache cache, Workspace workspace) {
			// The snapshot last: reads can still make the server evict, but an evicted
			// key does not come back while nothing writes, so a snapshot read last was
			// there during the reads before it, and the files and graph read then must be
			// those written with it.
			Map<String, CachedOverlayEntry> files = cache.getFiles(workspace.id);
			Optional<byte[]> graph = cache.getGraph(workspace.id);
			Optional<WorkspaceSnapshot> snapshot = cache.getWorkspace(workspace.id);
			if (snapshot.isEmpty()) {
				this.parts.gone++;
				if (!files.isEmpty() || graph.isPresent()) {
					this.orphans++;
				}
			}
			else if (workspace.storedSnapshot && snapshot.get().equals(workspace.snapshot)
					&& files.equals(workspace.storedFiles()) && graphIsStored(workspace, graph)) {
				this.parts.whole++;
			}
			else {
				this.parts.partial(workspace.describe() + " read as a snapshot with " + files.size() + " files and "
						+ graph.map((bytes) -> bytes.length + " bytes of graph").orElse("no graph"));
			}
		}

		private static boolean graphIsStored(Workspace workspace, Optional<byte[]> graph) {
			return workspace.storedGraph ? graph.isPresent() && Arrays.equals(graph.get(), graph(workspace.index))
					: graph.isEmpty();
		}

	}

}
