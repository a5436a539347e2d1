package dev.workspacecache;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.deleted;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static dev.workspacecache.WorkspaceFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link CachedWorkspace}.
 */
class CachedWorkspaceTests {

	private final UUID id = UUID.randomUUID();

	@Test
	void equalPartsMakeEqualWorkspaces() {
		CachedWorkspace one = CachedWorkspace.of(snapshot(this.id), Map.of("a.txt", modified("a")), utf8("graph"));
		CachedWorkspace two = CachedWorkspace.of(snapshot(this.id), new HashMap<>(Map.of("a.txt", modified("a"))),
				utf8("graph"));
		assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
		assertThat(CachedWorkspace.of(snapshot(this.id), Map.of(), null))
			.isEqualTo(CachedWorkspace.of(snapshot(this.id), Map.of(), null));
	}

	@Test
	void anyDifferentPartMakesADifferentWorkspace() {
		CachedWorkspace base = CachedWorkspace.of(snapshot(this.id), Map.of("a.txt", modified("a")), utf8("graph"));
		assertThat(base).isNotEqualTo(CachedWorkspace.of(snapshot(this.id, "other"), base.files(), utf8("graph")))
			.isNotEqualTo(CachedWorkspace.of(snapshot(this.id), Map.of("a.txt", added("a")), utf8("graph")))
			.isNotEqualTo(CachedWorkspace.of(snapshot(this.id), Map.of("a.txt", modified("a")), utf8("other")))
			.isNotEqualTo(CachedWorkspace.of(snapshot(this.id), Map.of("a.txt", modified("a")), null))
			.isNotEqualTo(CachedWorkspace.of(snapshot(this.id), Map.of("a.txt", modified("a")), new byte[0]));
	}

	@Test
	void filesAreCopiedUnmodifiableAndInPathOrder() {
		Map<String, CachedOverlayEntry> files = new LinkedHashMap<>();
		files.put("z.txt", deleted());
		files.put("a.txt", added("a"));
		CachedWorkspace workspace = CachedWorkspace.of(snapshot(this.id), files, null);
		files.put("later.txt", added("later"));
		assertThat(workspace.files().keySet()).containsExactly("a.txt", "z.txt");
		assertThatThrownBy(() -> workspace.files().put("x", deleted()))
			.isInstanceOf(UnsupportedOperationException.class);
	}

	@Test
	void aSortedOverlayIsCopiedAndChecked() {
		TreeMap<String, CachedOverlayEntry> sorted = new TreeMap<>(Map.of("b.txt", deleted(), "a.txt", added("a")));
		CachedWorkspace workspace = CachedWorkspace.of(snapshot(this.id), sorted, null);
		sorted.put("c.txt", added("c"));
		assertThat(workspace.files().keySet()).containsExactly("a.txt", "b.txt");
		TreeMap<String, CachedOverlayEntry> nullEntry = new TreeMap<>();
		nullEntry.put("a.txt", null);
		assertThatNullPointerException().isThrownBy(() -> CachedWorkspace.of(snapshot(this.id), nullEntry, null))
			.withMessageContaining("files[a.txt]");
	}

	@Test
	void aSortedOverlayThatMisstatesItsOrderIsStillCopiedInPathOrder() {
		TreeMap<String, CachedOverlayEntry> reversed = new TreeMap<>(Comparator.reverseOrder()) {

			@Override
			public @Nullable Comparator<? super String> comparator() {
				return null;
			}

		};
		reversed.putAll(Map.of("a.txt", added("a"), "b.txt", deleted(), "c.txt", modified("c")));
		assertThat(CachedWorkspace.of(snapshot(this.id), reversed, null).files().keySet()).containsExactly("a.txt",
				"b.txt", "c.txt");
	}

	@Test
	void graphIsCopiedInAndOut() {
		byte[] graph = utf8("graph");
		CachedWorkspace workspace = CachedWorkspace.of(snapshot(this.id), Map.of(), graph);
		graph[0] = 'X';
		workspace.graph().orElseThrow()[1] = 'Y';
		assertThat(workspace.graph()).hasValueSatisfying((read) -> assertThat(read).isEqualTo(utf8("graph")));
		assertThat(workspace.graphSize()).isEqualTo(5);
	}

	@Test
	void aWorkspaceWithoutGraphHasNone() {
		CachedWorkspace workspace = CachedWorkspace.of(snapshot(this.id), Map.of(), null);
		assertThat(workspace.graph()).isEmpty();
		assertThat(workspace.graphSize()).isEqualTo(-1);
	}

	@Test
	void nullPartsAreRejectedByName() {
		assertThatNullPointerException().isThrownBy(() -> CachedWorkspace.of(null, Map.of(), null))
			.withMessageContaining("snapshot");
		assertThatNullPointerException().isThrownBy(() -> CachedWorkspace.of(snapshot(this.id), null, null))
			.withMessageContaining("files");
		Map<String, CachedOverlayEntry> nullPath = new HashMap<>();
		nullPath.put(null, deleted());
		assertThatNullPointerException().isThrownBy(() -> CachedWorkspace.of(snapshot(this.id), nullPath, null))
			.withMessageContaining("null path");
		Map<String, CachedOverlayEntry> nullEntry = new HashMap<>();
		nullEntry.put("a.txt", null);
		assertThatNullPointerException().isThrownBy(() -> CachedWorkspace.of(snapshot(this.id), nullEntry, null))
			.withMessageContaining("files[a.txt]");
	}

	@Test
	void toStringShowsSizesNotContent() {
		CachedWorkspace workspace = CachedWorkspace.of(snapshot(this.id), Map.of("secret.txt", modified("secret")),
				utf8("graph secret"));
		assertThat(workspace.toString()).contains(this.id.toString())
			.contains("files=1")
			.contains("12 bytes")
			.doesNotContain("secret");
	}

}
