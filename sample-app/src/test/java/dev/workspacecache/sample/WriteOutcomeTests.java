package dev.workspacecache.sample;

import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.InOrder;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceCacheOperation;
import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceSnapshot;
import dev.workspacecache.WorkspaceWrite;
import dev.workspacecache.sample.session.CacheFailures;
import dev.workspacecache.sample.session.CacheRewrites;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.workspacecache.sample.AbstractSessionApiTests.added;
import static dev.workspacecache.sample.AbstractSessionApiTests.assertProblem;
import static dev.workspacecache.sample.AbstractSessionApiTests.assertUnknown;
import static dev.workspacecache.sample.AbstractSessionApiTests.createSession;
import static dev.workspacecache.sample.AbstractSessionApiTests.deleteFile;
import static dev.workspacecache.sample.AbstractSessionApiTests.getFile;
import static dev.workspacecache.sample.AbstractSessionApiTests.listFiles;
import static dev.workspacecache.sample.AbstractSessionApiTests.putFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.isA;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

/**
 * What the sample does with what the cache found on a write or a touch: a session the
 * cache lost ({@code MISSING}) is written back whole with one conditional write of the
 * whole session, at the version this pod holds; a session another pod deleted
 * ({@code EVICTED}) is dropped from this pod and answered with 404. Runs the shared-cache
 * code path ({@code valkey} mode) over an in-process cache that the tests restart empty
 * or evict from, as a server restart or another pod would.
 */
class WriteOutcomeTests extends AbstractRecordedCacheTests {

	@Autowired
	MeterRegistry meters;

	@Test
	void writeThatFindsTheSessionLostWritesItBackWholeOnce(CapturedOutput output) {
		UUID id = createSession(this.mvc);
		assertThat(putFile(this.mvc, id, "a.txt", "a")).hasStatusOk();
		assertThat(deleteFile(this.mvc, id, "b.txt")).hasStatusOk();
		assertThat(this.mvc.put().uri("/sessions/{id}/graph", id).content(new byte[] { 1, 2 })).hasStatusOk();
		this.server.restartEmpty();
		reset(this.cache);
		double rewritesBefore = rewrites();

		assertThat(putFile(this.mvc, id, "c.txt", "c")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.kind")
			.isEqualTo("Added");

		CachedWorkspace whole = CachedWorkspace.of(snapshotOf(id),
				Map.of("a.txt", added("a"), "b.txt", new CachedOverlayEntry.Deleted(), "c.txt", added("c")),
				new byte[] { 1, 2 });
		// Created at version 1, written up to 4: the cache lost it at 4 and refuses the
		// file alone; the whole session with the file continues from 4.
		InOrder calls = inOrder(this.cache);
		calls.verify(this.cache).writeIfVersion(id, 4, WorkspaceWrite.file("c.txt", added("c")));
		calls.verify(this.cache).writeIfVersion(id, 4, WorkspaceWrite.all(whole));
		verifyNoMoreInteractions(this.cache);
		assertThat(this.server.current().recover(id)).contains(whole)
			.hasValueSatisfying((recovered) -> assertThat(recovered.version()).isEqualTo(5));
		assertThat(rewrites() - rewritesBefore).isEqualTo(1);
		assertThat(output.getOut()
			.lines()
			.filter((line) -> line.contains(" INFO ")
					&& line.contains("Workspace cache had lost session " + id + "; wrote it back whole (3 files)")))
			.hasSize(1);

		// Written back: the next write finds the session present and writes only itself.
		reset(this.cache);
		assertThat(putFile(this.mvc, id, "d.txt", "d")).hasStatusOk();
		verify(this.cache).writeIfVersion(id, 5, WorkspaceWrite.file("d.txt", added("d")));
		verifyNoMoreInteractions(this.cache);
		assertThat(rewrites() - rewritesBefore).isEqualTo(1);
	}

	@Test
	void failedWriteBackFailsNoRequestAndTheNextWriteWritesBackAgain() {
		UUID id = createSession(this.mvc);
		assertThat(putFile(this.mvc, id, "a.txt", "a")).hasStatusOk();
		this.server.restartEmpty();
		double failuresBefore = writeFailures();
		double rewritesBefore = rewrites();
		// The first write-back fails, later ones go through to the cache.
		doThrow(new WorkspaceCacheException(WorkspaceCacheOperation.WRITE_IF_VERSION, id, "simulated outage",
				new IllegalStateException()))
			.doAnswer((invocation) -> invocation.getMethod().invoke(this.server.current(), invocation.getArguments()))
			.when(this.cache)
			.writeIfVersion(any(), anyLong(), isA(WorkspaceWrite.Whole.class));

		assertThat(putFile(this.mvc, id, "b.txt", "b")).hasStatusOk();
		assertThat(writeFailures() - failuresBefore).isEqualTo(1);
		assertThat(rewrites() - rewritesBefore).isZero();
		assertThat(this.server.current().recover(id)).isEmpty();

		assertThat(putFile(this.mvc, id, "c.txt", "c")).hasStatusOk();
		assertThat(rewrites() - rewritesBefore).isEqualTo(1);
		assertThat(this.server.current().recover(id)).contains(CachedWorkspace.of(snapshotOf(id),
				Map.of("a.txt", added("a"), "b.txt", added("b"), "c.txt", added("c")), null));
	}

	@ParameterizedTest
	@EnumSource
	void writeThatFindsTheSessionEvictedDropsItAndAnswers404(SessionWrite write) {
		UUID id = createSession(this.mvc);
		assertThat(putFile(this.mvc, id, "a.txt", "before")).hasStatusOk();
		this.server.current().evict(id);
		reset(this.cache);

		MvcTestResult late = write.send(this.mvc, id);
		assertUnknown(late, id);
		assertThat(late).bodyJson().extractingPath("$.detail").asString().contains("deleted on another pod");

		verify(this.cache, never()).writeIfVersion(any(), anyLong(), isA(WorkspaceWrite.Whole.class));
		assertThat(this.sessions.find(id)).isNull();
		assertThat(this.server.current().recover(id)).isEmpty();
		// The late change reached this pod's copy before the cache refused it: that copy
		// is gone, so neither the change nor the file written before it is served any
		// more.
		assertDeleted(id);
	}

	private void assertDeleted(UUID id) {
		assertUnknown(getFile(this.mvc, id, "a.txt"), id);
		MvcTestResult listing = listFiles(this.mvc, id);
		assertUnknown(listing, id);
		assertThat(listing).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.contains("not in the shared workspace cache");
		assertProblem(this.mvc.delete().uri("/l1/sessions/{id}", id).exchange(), HttpStatus.NOT_FOUND,
				"Session not held by this pod");
	}

	private WorkspaceSnapshot snapshotOf(UUID id) {
		return this.sessions.find(id).snapshot();
	}

	private double rewrites() {
		return this.meters.get(CacheRewrites.METRIC).counter().count();
	}

	private double writeFailures() {
		return this.meters.get(CacheFailures.METRIC).tag("operation", "writeIfVersion").counter().count();
	}

	/**
	 * The requests that change a session, each written through to the cache.
	 */
	enum SessionWrite {

		PUT_FILE {
			@Override
			MvcTestResult send(MockMvcTester mvc, UUID id) {
				return putFile(mvc, id, "a.txt", "late");
			}
		},

		DELETE_FILE {
			@Override
			MvcTestResult send(MockMvcTester mvc, UUID id) {
				return deleteFile(mvc, id, "a.txt");
			}
		},

		PUT_GRAPH {
			@Override
			MvcTestResult send(MockMvcTester mvc, UUID id) {
				return mvc.put().uri("/sessions/{id}/graph", id).content(new byte[] { 9 }).exchange();
			}
		};

		abstract MvcTestResult send(MockMvcTester mvc, UUID id);

	}

	@Nested
	@TestPropertySource(properties = "sample.sessions.touch-interval=0s")
	class WhenEveryReadTouches {

		@Test
		void touchThatFindsTheSessionLostWritesItBackWhole() {
			UUID id = createSession(WriteOutcomeTests.this.mvc);
			assertThat(putFile(WriteOutcomeTests.this.mvc, id, "a.txt", "a")).hasStatusOk();
			WriteOutcomeTests.this.server.restartEmpty();
			reset(WriteOutcomeTests.this.cache);

			assertThat(WriteOutcomeTests.this.mvc.get().uri("/sessions/{id}", id)).hasStatusOk();

			CachedWorkspace whole = CachedWorkspace.of(snapshotOf(id), Map.of("a.txt", added("a")), null);
			InOrder calls = inOrder(WriteOutcomeTests.this.cache);
			calls.verify(WriteOutcomeTests.this.cache).touch(id);
			calls.verify(WriteOutcomeTests.this.cache).writeIfVersion(id, 2, WorkspaceWrite.all(whole));
			verifyNoMoreInteractions(WriteOutcomeTests.this.cache);
			assertThat(WriteOutcomeTests.this.server.current().recover(id)).contains(whole);
		}

		@Test
		void touchThatFindsTheSessionEvictedDropsItAndAnswers404() {
			UUID id = createSession(WriteOutcomeTests.this.mvc);
			assertThat(putFile(WriteOutcomeTests.this.mvc, id, "a.txt", "a")).hasStatusOk();
			WriteOutcomeTests.this.server.current().evict(id);
			reset(WriteOutcomeTests.this.cache);

			MvcTestResult read = getFile(WriteOutcomeTests.this.mvc, id, "a.txt");
			assertUnknown(read, id);
			assertThat(read).bodyJson().extractingPath("$.detail").asString().contains("deleted on another pod");

			verify(WriteOutcomeTests.this.cache).touch(id);
			verifyNoMoreInteractions(WriteOutcomeTests.this.cache);
			assertThat(WriteOutcomeTests.this.sessions.find(id)).isNull();
			assertDeleted(id);
		}

	}

}
