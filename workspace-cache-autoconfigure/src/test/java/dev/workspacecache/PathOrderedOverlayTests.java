package dev.workspacecache;

import java.util.AbstractMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.deleted;
import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link PathOrderedOverlay}, the overlay of a {@link CachedWorkspace}.
 */
class PathOrderedOverlayTests {

	private final Map<String, CachedOverlayEntry> files = Map.of("src/b.txt", deleted(), "src/a.txt", added("a"),
			"README", modified("r"));

	@Test
	void looksUpEveryPathAndNothingElse() {
		PathOrderedOverlay overlay = PathOrderedOverlay.copyOf(this.files);
		this.files.forEach((path, entry) -> {
			assertThat(overlay.get(path)).isEqualTo(entry);
			assertThat(overlay.containsKey(path)).isTrue();
		});
		assertThat(overlay.get("src/c.txt")).isNull();
		assertThat(overlay.get("")).isNull();
		assertThat(overlay.get(42)).isNull();
		assertThat(overlay.containsKey(null)).isFalse();
		assertThat(overlay.keySet()).containsExactly("README", "src/a.txt", "src/b.txt");
		assertThat(overlay.values()).containsExactly(modified("r"), added("a"), deleted());
	}

	@Test
	void equalsAndHashesAsAnyMapWithTheSameEntries() {
		PathOrderedOverlay overlay = PathOrderedOverlay.copyOf(this.files);
		assertThat(overlay).isEqualTo(new HashMap<>(this.files)).hasSameHashCodeAs(new HashMap<>(this.files));
		assertThat(new TreeMap<>(this.files)).isEqualTo(overlay);
		assertThat(overlay).isEqualTo(PathOrderedOverlay.copyOf(new TreeMap<>(this.files)))
			.isNotEqualTo(PathOrderedOverlay.copyOf(Map.of("README", modified("r"))));
	}

	@Test
	void cannotBeChangedThroughAnyView() {
		PathOrderedOverlay overlay = PathOrderedOverlay.copyOf(this.files);
		assertThatThrownBy(() -> overlay.put("x", deleted())).isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(() -> overlay.remove("README")).isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(overlay::clear).isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(() -> overlay.keySet().remove("README")).isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(() -> overlay.entrySet().iterator().next().setValue(deleted()))
			.isInstanceOf(UnsupportedOperationException.class);
		assertThat(overlay).hasSize(3);
	}

	@Test
	void anOverlayIsSharedRatherThanCopied() {
		CachedWorkspace workspace = CachedWorkspace.of(snapshot(UUID.randomUUID()), this.files, null);
		assertThat(CachedWorkspace.of(workspace.snapshot(), workspace.files(), null).files())
			.isSameAs(workspace.files());
	}

	@Test
	void aMapThatYieldsAPathTwiceIsRejectedByName() {
		Map<String, CachedOverlayEntry> broken = new AbstractMap<>() {

			@Override
			public Set<Entry<String, CachedOverlayEntry>> entrySet() {
				return Set.copyOf(List.of(Map.entry("b.txt", deleted()), Map.entry("a.txt", added("a")),
						Map.entry("a.txt", modified("a"))));
			}

		};
		assertThatIllegalArgumentException().isThrownBy(() -> PathOrderedOverlay.copyOf(broken))
			.withMessage("files must not contain the path 'a.txt' twice");
	}

}
