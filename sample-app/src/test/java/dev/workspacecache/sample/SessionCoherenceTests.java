package dev.workspacecache.sample;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.mockito.invocation.InvocationOnMock;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.ConditionalWriteResult;
import dev.workspacecache.WorkspaceChange;
import dev.workspacecache.WorkspaceChangeListener;
import dev.workspacecache.WorkspaceWrite;
import dev.workspacecache.sample.session.OverlayEntries;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.http.HttpStatus;

import static dev.workspacecache.sample.AbstractSessionApiTests.added;
import static dev.workspacecache.sample.AbstractSessionApiTests.assertProblem;
import static dev.workspacecache.sample.AbstractSessionApiTests.assertUnknown;
import static dev.workspacecache.sample.AbstractSessionApiTests.createSession;
import static dev.workspacecache.sample.AbstractSessionApiTests.getFile;
import static dev.workspacecache.sample.AbstractSessionApiTests.putFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;

/**
 * How a pod keeps its copy of a session coherent with what other pods write: another
 * pod's change, announced by a notification, makes the next access revalidate the copy; a
 * write from a copy that another pod has overtaken is refused by the cache, and
 * re-applied to the revalidated copy; an evict drops the copy; a resynchronize signal
 * makes every copy revalidate, and a copy is never written back over a newer version.
 * Runs the shared-cache code path over an in-process cache, which the tests write to as
 * another pod would, and whose notifications they deliver as the other pod's.
 */
class SessionCoherenceTests extends AbstractRecordedCacheTests {

	private static final String OTHER_POD = "other-pod";

	@Autowired
	WorkspaceChangeListener listener;

	@Test
	void changeAnnouncedByAnotherPodIsReadFromTheCache() {
		UUID id = createSession(this.mvc);
		assertThat(putFile(this.mvc, id, "a.txt", "mine")).hasStatusOk();
		ConditionalWriteResult theirs = writeAsAnotherPod(id, 2, WorkspaceWrite.file("a.txt", added("theirs")));
		assertThat(theirs.applied()).isTrue();
		reset(this.cache);

		// Not announced yet: this pod serves its copy, without asking the cache.
		assertThat(getFile(this.mvc, id, "a.txt")).hasStatusOk().hasBodyTextEqualTo("mine");
		verifyNoInteractions(this.cache);

		announce(id, WorkspaceChange.Kind.FILES, List.of("a.txt"), theirs.version());
		assertThat(getFile(this.mvc, id, "a.txt")).hasStatusOk()
			.hasHeader("ETag", "\"3\"")
			.hasBodyTextEqualTo("theirs");
		// Revalidated once: the next read serves the copy again.
		assertThat(getFile(this.mvc, id, "a.txt")).hasStatusOk().hasBodyTextEqualTo("theirs");
		verify(this.cache).recover(id);
		verifyNoMoreInteractions(this.cache);
	}

	@Test
	void announcementOfAVersionThisPodHoldsChangesNothing() {
		UUID id = createSession(this.mvc);
		assertThat(putFile(this.mvc, id, "a.txt", "mine")).hasStatusOk();
		reset(this.cache);
		announce(id, WorkspaceChange.Kind.FILES, List.of("a.txt"), 2);
		assertThat(getFile(this.mvc, id, "a.txt")).hasStatusOk().hasBodyTextEqualTo("mine");
		verifyNoInteractions(this.cache);
	}

	@Test
	void writeFromAnOvertakenCopyIsReappliedToTheCachesVersion() {
		UUID id = createSession(this.mvc);
		writeAsAnotherPod(id, 1, WorkspaceWrite.file("a.txt", new CachedOverlayEntry.Deleted()));
		reset(this.cache);

		// Unannounced: the cache refuses the write made from version 1, the pod recovers
		// version 2 and writes over it. The other pod deleted the file, so the base
		// commit has it: the write, prepared again, modifies it.
		assertThat(putFile(this.mvc, id, "a.txt", "mine")).hasStatusOk()
			.hasHeader("ETag", "\"3\"")
			.bodyJson()
			.extractingPath("$.kind")
			.isEqualTo("Modified");
		byte[] mine = "mine".getBytes(StandardCharsets.UTF_8);
		InOrder calls = inOrder(this.cache);
		calls.verify(this.cache).writeIfVersion(id, 1, WorkspaceWrite.file("a.txt", added("mine")));
		calls.verify(this.cache).recover(id);
		calls.verify(this.cache)
			.writeIfVersion(id, 2,
					WorkspaceWrite.file("a.txt", new CachedOverlayEntry.Modified(mine, OverlayEntries.sha256(mine))));
		verifyNoMoreInteractions(this.cache);
		assertThat(this.server.current().recover(id)).hasValueSatisfying((workspace) -> {
			assertThat(workspace.version()).isEqualTo(3);
			assertThat(workspace.files().get("a.txt")).isInstanceOf(CachedOverlayEntry.Modified.class);
		});
	}

	@Test
	void conditionalWriteFromAnOvertakenVersionIsAConflict() {
		UUID id = createSession(this.mvc);
		writeAsAnotherPod(id, 1, WorkspaceWrite.file("a.txt", added("theirs")));

		// The client read version 1 here; the other pod's write made it 2.
		assertProblem(this.mvc.put()
			.uri("/sessions/{id}/files/a.txt", id)
			.header("If-Match", "\"1\"")
			.content("mine".getBytes())
			.exchange(), HttpStatus.CONFLICT, "Session changed");
		assertThat(getFile(this.mvc, id, "a.txt")).hasStatusOk()
			.hasHeader("ETag", "\"2\"")
			.hasBodyTextEqualTo("theirs");
	}

	@Test
	void evictAnnouncedByAnotherPodDropsTheCopy(CapturedOutput output) {
		UUID id = createSession(this.mvc);
		assertThat(putFile(this.mvc, id, "a.txt", "a")).hasStatusOk();
		this.server.current().evict(id);
		announce(id, WorkspaceChange.Kind.EVICTED, List.of(), 3);

		assertThat(this.sessions.find(id)).isNull();
		assertUnknown(getFile(this.mvc, id, "a.txt"), id);
		assertThat(output).contains("Session " + id + " was deleted on another pod; dropped this pod's copy");
	}

	@Test
	void changeAnnouncedWhileThisPodRecoversTheSessionIsNotMissed() {
		UUID id = createSession(this.mvc);
		assertThat(putFile(this.mvc, id, "a.txt", "before")).hasStatusOk();
		assertThat(this.mvc.delete().uri("/l1/sessions/{id}", id)).hasStatus(HttpStatus.NO_CONTENT);
		// The other pod's change is announced after this pod's recover read the session
		// and before this pod holds what it read.
		doAnswer((invocation) -> {
			Optional<CachedWorkspace> read = this.server.current().recover(id);
			ConditionalWriteResult theirs = writeAsAnotherPod(id, 2, WorkspaceWrite.file("a.txt", added("theirs")));
			announce(id, WorkspaceChange.Kind.FILES, List.of("a.txt"), theirs.version());
			return read;
		}).doAnswer(this::forward).when(this.cache).recover(id);

		assertThat(getFile(this.mvc, id, "a.txt")).hasStatusOk()
			.hasHeader("ETag", "\"3\"")
			.hasBodyTextEqualTo("theirs");
	}

	@Test
	void evictAnnouncedWhileThisPodRecoversTheSessionIsNotMissed() {
		UUID id = createSession(this.mvc);
		assertThat(putFile(this.mvc, id, "a.txt", "before")).hasStatusOk();
		assertThat(this.mvc.delete().uri("/l1/sessions/{id}", id)).hasStatus(HttpStatus.NO_CONTENT);
		doAnswer((invocation) -> {
			Optional<CachedWorkspace> read = this.server.current().recover(id);
			this.server.current().evict(id);
			announce(id, WorkspaceChange.Kind.EVICTED, List.of(), 4);
			return read;
		}).doAnswer(this::forward).when(this.cache).recover(id);

		assertUnknown(getFile(this.mvc, id, "a.txt"), id);
		assertThat(this.sessions.find(id)).isNull();
		assertUnknown(getFile(this.mvc, id, "a.txt"), id);
	}

	@Test
	void resynchronizeMakesEveryCopyRevalidate(CapturedOutput output) {
		UUID first = createSession(this.mvc);
		UUID second = createSession(this.mvc);
		reset(this.cache);

		this.listener.onResynchronize("test");
		assertThat(output).contains("Resynchronizing with the workspace cache (test)");
		for (UUID id : List.of(first, second, first, second)) {
			assertThat(this.mvc.get().uri("/sessions/{id}", id)).hasStatusOk();
		}
		verify(this.cache).recover(first);
		verify(this.cache).recover(second);
		verify(this.cache, never()).writeIfVersion(any(), anyLong(), any());
	}

	@Test
	void copyTheCacheLostIsWrittenBackAtItsVersionOnTheNextAccessAfterResynchronizing() {
		UUID id = createSession(this.mvc);
		assertThat(putFile(this.mvc, id, "a.txt", "a")).hasStatusOk();
		CachedWorkspace held = CachedWorkspace.of(this.sessions.find(id).snapshot(), Map.of("a.txt", added("a")), null);
		this.server.restartEmpty();
		this.listener.onResynchronize("server restarted");
		reset(this.cache);

		assertThat(this.mvc.get().uri("/sessions/{id}", id)).hasStatusOk().hasHeader("ETag", "\"3\"");

		InOrder calls = inOrder(this.cache);
		calls.verify(this.cache).recover(id);
		calls.verify(this.cache).writeIfVersion(id, 2, WorkspaceWrite.all(held));
		assertThat(this.server.current().recover(id)).contains(held);
	}

	@Test
	void copyIsNeverWrittenBackOverANewerVersion() {
		UUID id = createSession(this.mvc);
		assertThat(putFile(this.mvc, id, "a.txt", "a")).hasStatusOk();
		CachedWorkspace newer = CachedWorkspace.of(this.sessions.find(id).snapshot(),
				Map.of("a.txt", added("a"), "b.txt", added("b")), null);
		// The server lost the session; another pod, which held it at version 6, wrote
		// it back first.
		this.server.restartEmpty();
		assertThat(writeAsAnotherPod(id, 6, WorkspaceWrite.all(newer)).version()).isEqualTo(7);
		this.listener.onResynchronize("server restarted");
		reset(this.cache);

		assertThat(getFile(this.mvc, id, "b.txt")).hasStatusOk().hasHeader("ETag", "\"7\"").hasBodyTextEqualTo("b");
		verify(this.cache).recover(id);
		verify(this.cache, never()).writeIfVersion(any(), anyLong(), any());
		assertThat(this.server.current().recover(id)).contains(newer);
	}

	private ConditionalWriteResult writeAsAnotherPod(UUID id, long expectedVersion, WorkspaceWrite write) {
		return this.server.current().writeIfVersion(id, expectedVersion, write);
	}

	private Object forward(InvocationOnMock invocation) throws Exception {
		return invocation.getMethod().invoke(this.server.current(), invocation.getArguments());
	}

	private void announce(UUID id, WorkspaceChange.Kind kind, List<String> paths, long version) {
		this.listener.onWorkspaceChange(new WorkspaceChange(id, kind, paths, version, OTHER_POD, false));
	}

}
