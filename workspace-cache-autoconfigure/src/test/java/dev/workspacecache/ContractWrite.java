package dev.workspacecache;

import java.util.Map;
import java.util.UUID;

import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.deleted;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static dev.workspacecache.WorkspaceFixtures.utf8;
import static dev.workspacecache.WorkspaceFixtures.wholeWorkspace;

/**
 * The writes of the {@link WorkspaceCache} API, each to one part of a workspace or to all
 * of it: the contract tests that hold for every write take one as their parameter.
 */
enum ContractWrite {

	CACHE_WORKSPACE {
		@Override
		WriteOutcome apply(WorkspaceCache cache, UUID id, String value) {
			return cache.cacheWorkspace(id, snapshot(id, value));
		}
	},

	CACHE_FILE {
		@Override
		WriteOutcome apply(WorkspaceCache cache, UUID id, String value) {
			return cache.cacheFile(id, "single.txt", modified(value));
		}
	},

	CACHE_FILES {
		@Override
		WriteOutcome apply(WorkspaceCache cache, UUID id, String value) {
			return cache.cacheFiles(id, Map.of("one.txt", added(value), "two.txt", deleted()));
		}
	},

	CACHE_GRAPH {
		@Override
		WriteOutcome apply(WorkspaceCache cache, UUID id, String value) {
			return cache.cacheGraph(id, utf8(value));
		}
	},

	CACHE_ALL {
		@Override
		WriteOutcome apply(WorkspaceCache cache, UUID id, String value) {
			return cache.cacheAll(id, wholeWorkspace(id, value));
		}
	};

	/**
	 * Write {@code value} to the part this constant writes.
	 * @param cache the cache
	 * @param id the workspace id
	 * @param value tells the written values apart
	 * @return what the cache reports
	 */
	abstract WriteOutcome apply(WorkspaceCache cache, UUID id, String value);

}
