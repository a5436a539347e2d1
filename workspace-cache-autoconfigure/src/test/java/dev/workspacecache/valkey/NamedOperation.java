package dev.workspacecache.valkey;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceFixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A call of one {@link WorkspaceCache} operation, named as the operation's method, for
 * the tests of what every operation does when the server fails it.
 *
 * @param name the name of the operation's method, which its failure must report
 * @param call the call
 */
record NamedOperation(String name, BiConsumer<WorkspaceCache, UUID> call) {

	/**
	 * Return one call of every operation.
	 * @return the calls
	 */
	static List<NamedOperation> all() {
		return List.of(
				new NamedOperation("cacheWorkspace", (c, id) -> c.cacheWorkspace(id, WorkspaceFixtures.snapshot(id))),
				new NamedOperation("getWorkspace", WorkspaceCache::getWorkspace),
				new NamedOperation("cacheFile", (c, id) -> c.cacheFile(id, "a.txt", WorkspaceFixtures.added("a"))),
				new NamedOperation("getFile", (c, id) -> c.getFile(id, "a.txt")),
				new NamedOperation("listFiles", WorkspaceCache::listFiles),
				new NamedOperation("cacheGraph", (c, id) -> c.cacheGraph(id, new byte[] { 1 })),
				new NamedOperation("getGraph", WorkspaceCache::getGraph),
				new NamedOperation("evict", WorkspaceCache::evict), new NamedOperation("touch", WorkspaceCache::touch),
				new NamedOperation("getFiles", WorkspaceCache::getFiles),
				new NamedOperation("cacheFiles",
						(c, id) -> c.cacheFiles(id, Map.of("b.txt", WorkspaceFixtures.deleted()))),
				new NamedOperation("recover", WorkspaceCache::recover), new NamedOperation("cacheAll",
						(c, id) -> c.cacheAll(id, AbstractValkeyCacheIntegrationTests.whole(id, "all"))));
	}

	/**
	 * Assert that the call, on a workspace of its own, fails within a deadline with a
	 * {@link WorkspaceCacheException} that names the operation and the workspace and
	 * keeps its cause.
	 * @param deadline how long the call may take: a hang guard
	 * @param target the cache to call
	 * @return the failure
	 */
	WorkspaceCacheException assertFailsWithin(Duration deadline, WorkspaceCache target) {
		UUID workspace = UUID.randomUUID();
		Throwable thrown = assertTimeoutPreemptively(deadline, () -> {
			try {
				this.call.accept(target, workspace);
				return null;
			}
			catch (RuntimeException ex) {
				return ex;
			}
		}, () -> this.name + " did not return within " + deadline);
		assertThat(thrown).as(this.name).isExactlyInstanceOf(WorkspaceCacheException.class);
		WorkspaceCacheException failure = (WorkspaceCacheException) thrown;
		assertThat(failure.getMessage()).as(this.name).contains(this.name).contains(workspace.toString());
		assertThat(failure.getOperation().methodName()).isEqualTo(this.name);
		assertThat(failure.getWorkspaceId()).isEqualTo(workspace);
		assertThat(failure.getCause()).as("cause of %s", this.name).isNotNull();
		return failure;
	}

}
