package dev.workspacecache.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import io.lettuce.core.api.sync.RedisCommands;

import org.springframework.session.data.redis.RedisSessionRepository;

/**
 * Scenario 6: how many bytes the server keeps, asked of the server itself
 * ({@code HGETALL}, {@code HSTRLEN}, {@code STRLEN}, {@code MEMORY USAGE ... SAMPLES 0}):
 * <ul>
 * <li>for one file entry of 1 KiB, 64 KiB and 1 MiB: our workspace key holding just that
 * entry, a plain string key holding just the content, and the original design's file key
 * plus path set;</li>
 * <li>for a whole workspace (snapshot, 1,000 files of 1 KiB, 4 KiB graph): our one key,
 * the original design's 1,003 keys, and a Spring Session holding it with Java
 * serialization and with JSON ({@link SpringSessionStore}).</li>
 * </ul>
 */
final class StorageFootprint {

	/** The content sizes measured. */
	static final List<Integer> SIZES = List.of(Workloads.KIB, 64 * Workloads.KIB, 1024 * Workloads.KIB);

	/** Files of the whole workspace measured. */
	static final int WORKSPACE_FILES = 1000;

	private static final String PATH = "src/main/java/dev/example/billing/InvoiceService.java";

	private StorageFootprint() {
	}

	static List<SuiteMeasurements.Footprint> measure(BenchmarkConnection connection) {
		RedisCommands<byte[], byte[]> raw = connection.raw();
		ServerView view = new ServerView(connection);
		List<SuiteMeasurements.Footprint> footprints = new ArrayList<>();
		for (int size : SIZES) {
			CachedOverlayEntry.Modified entry = Workloads.file(size, size);
			byte[] path = Workloads.utf8(PATH);

			UUID ours = UUID.randomUUID();
			connection.cache().cacheFile(ours, PATH, entry);
			byte[] ourKey = view.keyOf(ours);
			Map.Entry<byte[], byte[]> field = view.onlyField(ourKey);
			long storedValueBytes = raw.hstrlen(ourKey, field.getKey());
			if (storedValueBytes != field.getValue().length) {
				throw new IllegalStateException(
						"HSTRLEN " + storedValueBytes + " but HGET read " + field.getValue().length + " bytes");
			}
			long ourMemory = view.memoryUsage(ourKey);

			byte[] plainKey = Workloads.utf8("bench:plain:" + UUID.randomUUID());
			raw.set(plainKey, entry.content());
			if (raw.strlen(plainKey) != size) {
				throw new IllegalStateException(
						"plain string of " + size + " bytes has STRLEN " + raw.strlen(plainKey));
			}
			long plainMemory = view.memoryUsage(plainKey);

			UUID theirs = UUID.randomUUID();
			OriginalDesign original = new OriginalDesign(connection.dedicated(), BenchmarkConnection.TTL);
			original.cacheWorkspace(theirs, Workloads.utf8("meta"), Workloads.graph(16),
					Map.of(PATH, field.getValue()));
			long originalMemory = view.memoryUsage(OriginalDesign.fileKey(theirs, PATH))
					+ view.memoryUsage(OriginalDesign.filesKey(theirs));

			footprints.add(new SuiteMeasurements.Footprint(size, entry.hash().length(), path.length,
					field.getKey().length, storedValueBytes, ourMemory, plainMemory, originalMemory));
			raw.unlink(ourKey);
			original.evict(theirs);
			raw.del(plainKey);
		}
		return footprints;
	}

	static SuiteMeasurements.WorkspaceFootprint measureWorkspace(BenchmarkConnection connection) {
		RedisCommands<byte[], byte[]> raw = connection.raw();
		ServerView view = new ServerView(connection);
		CachedWorkspace workspace = Workloads.workspace(WORKSPACE_FILES);
		long contentBytes = workspace.graphSize();
		for (CachedOverlayEntry entry : workspace.files().values()) {
			contentBytes += ((CachedOverlayEntry.WithContent) entry).size();
		}

		UUID ours = UUID.randomUUID();
		connection.cache().cacheAll(ours, workspace);
		byte[] ourKey = view.keyOf(ours);
		long ourMemory = view.memoryUsage(ourKey);

		UUID theirs = UUID.randomUUID();
		OriginalDesign original = new OriginalDesign(connection.dedicated(), BenchmarkConnection.TTL);
		Map<String, byte[]> values = view.storedValues(workspace.files());
		original.cacheWorkspace(theirs, view.storedSnapshot(workspace.snapshot()),
				view.storedGraph(workspace.graph().orElseThrow()), values);
		long originalMemory = view.memoryUsage(OriginalDesign.metaKey(theirs))
				+ view.memoryUsage(OriginalDesign.graphKey(theirs)) + view.memoryUsage(OriginalDesign.filesKey(theirs));
		for (String path : values.keySet()) {
			originalMemory += view.memoryUsage(OriginalDesign.fileKey(theirs, path));
		}

		long[] spring = new long[SpringSessionStore.Serializer.values().length];
		for (SpringSessionStore.Serializer serializer : SpringSessionStore.Serializer.values()) {
			RedisSessionRepository repository = SpringSessionStore.repository(connection.factory(), serializer);
			String id = SpringSessionStore.save(repository, SpringSessionStore.attributes(workspace));
			spring[serializer.ordinal()] = view.memoryUsage(SpringSessionStore.key(id));
			repository.deleteById(id);
		}
		raw.unlink(ourKey);
		original.evict(theirs);
		return new SuiteMeasurements.WorkspaceFootprint(WORKSPACE_FILES, contentBytes, ourMemory, originalMemory,
				spring[SpringSessionStore.Serializer.JDK.ordinal()],
				spring[SpringSessionStore.Serializer.JSON.ordinal()]);
	}

}
