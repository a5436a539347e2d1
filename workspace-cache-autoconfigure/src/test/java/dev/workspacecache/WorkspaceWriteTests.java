package dev.workspacecache;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static dev.workspacecache.WorkspaceFixtures.added;
import static dev.workspacecache.WorkspaceFixtures.deleted;
import static dev.workspacecache.WorkspaceFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Tests for {@link WorkspaceWrite}, {@link ConditionalWriteResult} and the version of
 * {@link CachedWorkspace}.
 */
class WorkspaceWriteTests {

	@Test
	void writesCopyWhatTheyAreGivenAndSayWhatTheyChange() {
		Map<String, CachedOverlayEntry> entries = new LinkedHashMap<>();
		entries.put("b.txt", added("b"));
		entries.put("a.txt", deleted());
		WorkspaceWrite files = WorkspaceWrite.files(entries);
		entries.clear();
		assertThat(((WorkspaceWrite.Files) files).entries()).containsExactly(Map.entry("b.txt", added("b")),
				Map.entry("a.txt", deleted()));
		assertThat(files.kind()).isEqualTo(WorkspaceChange.Kind.FILES);
		byte[] graph = utf8("graph");
		WorkspaceWrite.Graph graphWrite = (WorkspaceWrite.Graph) WorkspaceWrite.graph(graph);
		graph[0] = 'X';
		graphWrite.graphData()[0] = 'Y';
		assertThat(graphWrite.graphData()).isEqualTo(utf8("graph"));
		assertThat(graphWrite).isEqualTo(WorkspaceWrite.graph(utf8("graph")))
			.hasSameHashCodeAs(WorkspaceWrite.graph(utf8("graph")))
			.hasToString("Graph[5 bytes]");
		assertThat(WorkspaceWrite.file("p", deleted()).kind()).isEqualTo(WorkspaceChange.Kind.FILES);
		UUID id = UUID.randomUUID();
		assertThat(WorkspaceWrite.snapshot(WorkspaceFixtures.snapshot(id)).kind())
			.isEqualTo(WorkspaceChange.Kind.SNAPSHOT);
		assertThat(WorkspaceWrite.all(WorkspaceFixtures.wholeWorkspace(id, "w")).kind())
			.isEqualTo(WorkspaceChange.Kind.WORKSPACE);
	}

	@Test
	void badWritesNameWhatIsWrong() {
		assertThatIllegalArgumentException().isThrownBy(() -> WorkspaceWrite.files(Map.of()))
			.withMessage("entries must not be empty: a write of no files changes nothing");
		Map<String, CachedOverlayEntry> nullEntry = new LinkedHashMap<>();
		nullEntry.put("a.txt", null);
		assertThatNullPointerException().isThrownBy(() -> WorkspaceWrite.files(nullEntry))
			.withMessage("entries[a.txt] must not be null");
		assertThatNullPointerException().isThrownBy(() -> WorkspaceWrite.file(null, deleted()))
			.withMessage("path must not be null");
		assertThatNullPointerException().isThrownBy(() -> WorkspaceWrite.graph(null))
			.withMessage("graphData must not be null");
	}

	@Test
	void aWorkspaceEqualsItsCopyAtAnotherVersion() {
		CachedWorkspace written = WorkspaceFixtures.wholeWorkspace(UUID.randomUUID(), "v");
		assertThat(written.version()).isZero();
		CachedWorkspace read = written.withVersion(7);
		assertThat(read.version()).isEqualTo(7);
		assertThat(read).isEqualTo(written).hasSameHashCodeAs(written);
		assertThat(read.toString()).contains("version=7");
		assertThat(read.withVersion(7)).isSameAs(read);
		assertThatIllegalArgumentException().isThrownBy(() -> written.withVersion(-1)).withMessageContaining("version");
	}

	@Test
	void aConflictIsARefusalOfAWorkspaceThatAnotherWriteAdvanced() {
		assertThat(new ConditionalWriteResult(false, WriteOutcome.PRESENT, 4).isConflict()).isTrue();
		assertThat(new ConditionalWriteResult(true, WriteOutcome.PRESENT, 4).isConflict()).isFalse();
		assertThat(new ConditionalWriteResult(false, WriteOutcome.MISSING, 0).isConflict()).as("lost").isFalse();
		assertThat(new ConditionalWriteResult(false, WriteOutcome.EVICTED, 4).isConflict()).isFalse();
		List<String> paths = new ArrayList<>(List.of("a"));
		WorkspaceChange change = new WorkspaceChange(UUID.randomUUID(), WorkspaceChange.Kind.FILES, paths, 1, "o",
				false);
		paths.add("b");
		assertThat(change.paths()).containsExactly("a").isUnmodifiable();
	}

}
