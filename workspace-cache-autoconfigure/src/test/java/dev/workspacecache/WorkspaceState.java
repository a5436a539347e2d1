package dev.workspacecache;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything a workspace holds in a cache, as every read operation returns it, comparable
 * with {@code equals}: the contract tests take it before a call and compare it after, to
 * show the call changed nothing.
 *
 * @param snapshot what {@link WorkspaceCache#getWorkspace(UUID)} returns
 * @param files what {@link WorkspaceCache#getFiles(UUID)} returns
 * @param paths what {@link WorkspaceCache#listFiles(UUID)} returns
 * @param graphHex what {@link WorkspaceCache#getGraph(UUID)} returns, in hexadecimal
 */
record WorkspaceState(Optional<WorkspaceSnapshot> snapshot, Map<String, CachedOverlayEntry> files, List<String> paths,
		Optional<String> graphHex) {

	/**
	 * Read everything the workspace holds in the cache.
	 * @param cache the cache
	 * @param id the workspace id
	 * @return the state of the workspace
	 */
	static WorkspaceState of(WorkspaceCache cache, UUID id) {
		return new WorkspaceState(cache.getWorkspace(id), new LinkedHashMap<>(cache.getFiles(id)), cache.listFiles(id),
				cache.getGraph(id).map(HexFormat.of()::formatHex));
	}

}
