package dev.workspacecache.valkey;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import dev.workspacecache.WorkspaceFixtures;
import dev.workspacecache.WriteOutcome;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key layout of {@link ValkeyCache} on the server: one hash per workspace, named for
 * the workspace in a hash tag, whose expiry is the expiry of every part.
 */
class WorkspaceKeyLayoutIntegrationTests extends AbstractValkeyCacheIntegrationTests {

	@Test
	void keyLayoutIsExactlyAsDocumented() {
		String path = "src/dír/ñandú {x}:*.txt";
		assertThat(this.cache.cacheWorkspace(this.id, WorkspaceFixtures.snapshot(this.id)))
			.isEqualTo(WriteOutcome.MISSING);
		assertThat(this.cache.cacheFile(this.id, path, WorkspaceFixtures.modified("hello")))
			.isEqualTo(WriteOutcome.PRESENT);
		assertThat(this.cache.cacheGraph(this.id, new byte[] { 1, 2, 3 })).isEqualTo(WriteOutcome.PRESENT);
		String key = key();
		assertThat(key).isEqualTo(this.prefix + "{" + this.id + "}:workspace");
		assertThat(this.raw.keys(this.prefix + "*")).containsExactly(key);
		assertThat(this.raw.type(key)).isEqualTo("hash");
		// Field names are the raw bytes: a one-byte tag, then (for a file) the path in
		// UTF-8.
		assertThat(this.raw.fields(key)).containsExactlyInAnyOrder("m", "g", "f" + path, "v");
		assertThat(this.raw.sync().hkeys(bytes(key))).anySatisfy((name) -> assertThat(name).isEqualTo(field(path)));
		assertThat(SlotHash.getSlot(bytes(key))).as("slot of %s", key).isEqualTo(SlotHash.getSlot(this.id.toString()));
	}

	@Test
	void emptyPrefixKeepsTheLayout() {
		ValkeyCache unprefixed = new ValkeyCache(factory(shared, COMMAND_TIMEOUT), "", TTL, MAX_ENTRY_SIZE);
		try {
			unprefixed.cacheWorkspace(this.id, WorkspaceFixtures.snapshot(this.id));
			assertThat(this.raw.keys("{" + this.id + "}*")).containsExactly("{" + this.id + "}:workspace");
		}
		finally {
			// Not evict: its marker would stay on the shared server for the whole
			// time-to-live.
			this.raw.sync().unlink(bytes("{" + this.id + "}:workspace"));
		}
	}

	@Test
	void theOneKeyOfAWorkspaceCarriesTheTtl() {
		// Was: every key (meta, graph, files) carries the TTL. One key now holds every
		// part, so its expiry is the expiry of every part.
		this.cache.cacheWorkspace(this.id, WorkspaceFixtures.snapshot(this.id));
		this.cache.cacheFile(this.id, "a", WorkspaceFixtures.added("a"));
		this.cache.cacheGraph(this.id, new byte[] { 1 });
		assertThat(this.raw.keys(this.prefix + "*")).containsExactly(key());
		assertThat(this.raw.pttl(key())).isPositive().isLessThanOrEqualTo(TTL.toMillis());
	}

}
