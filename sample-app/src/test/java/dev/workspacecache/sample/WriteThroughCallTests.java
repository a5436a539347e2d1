package dev.workspacecache.sample;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.WorkspaceWrite;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static dev.workspacecache.sample.AbstractSessionApiTests.createSession;
import static dev.workspacecache.sample.AbstractSessionApiTests.deleteFile;
import static dev.workspacecache.sample.AbstractSessionApiTests.getFile;
import static dev.workspacecache.sample.AbstractSessionApiTests.listFiles;
import static dev.workspacecache.sample.AbstractSessionApiTests.putFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

/**
 * Which cache calls each request makes: the whole session on create, one write per
 * change, each conditional on the version the session is at, a {@code touch} at most once
 * per {@code sample.sessions.touch-interval} (30 s by default), and a recovery in one
 * {@code recover} call. Runs the shared-cache code path ({@code valkey} mode) over an
 * in-process cache, so that every call can be verified.
 */
@SpringBootTest(properties = "workspace.cache.mode=valkey")
@AutoConfigureMockMvc
@Import(RecordedCacheConfiguration.class)
class WriteThroughCallTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	WorkspaceCache cache;

	@BeforeEach
	void forgetEarlierCalls() {
		clearInvocations(this.cache);
	}

	@Test
	void eachChangeIsOneCacheWriteAndReadsWithinTheIntervalDoNotTouch() {
		UUID id = createSession(this.mvc);
		assertThat(putFile(this.mvc, id, "a.txt", "a")).hasStatusOk();
		assertThat(deleteFile(this.mvc, id, "b.txt")).hasStatusOk();
		assertThat(this.mvc.put().uri("/sessions/{id}/graph", id).content(new byte[] { 1 })).hasStatusOk();
		assertThat(this.mvc.get().uri("/sessions/{id}", id)).hasStatusOk();
		assertThat(listFiles(this.mvc, id)).hasStatusOk();
		assertThat(getFile(this.mvc, id, "a.txt")).hasStatusOk();

		// Each conditional on the version the one before reached, from 0: a new session.
		ArgumentCaptor<WorkspaceWrite.Whole> created = ArgumentCaptor.forClass(WorkspaceWrite.Whole.class);
		verify(this.cache).writeIfVersion(eq(id), eq(0L), created.capture());
		assertThat(created.getValue().workspace().snapshot().sessionId()).isEqualTo(id);
		assertThat(created.getValue().workspace().files()).isEmpty();
		assertThat(created.getValue().workspace().graph()).isEmpty();
		verify(this.cache).writeIfVersion(id, 1,
				WorkspaceWrite.file("a.txt", new CachedOverlayEntry.Added(new byte[] { 'a' },
						"ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb")));
		verify(this.cache).writeIfVersion(id, 2, WorkspaceWrite.file("b.txt", new CachedOverlayEntry.Deleted()));
		verify(this.cache).writeIfVersion(id, 3, WorkspaceWrite.graph(new byte[] { 1 }));
		verifyNoMoreInteractions(this.cache);
	}

	@Test
	void recoveryIsOneRecoverCallThenOneTouch() {
		UUID id = createSession(this.mvc);
		for (String path : new String[] { "a.txt", "b/c.txt", "d e.txt" }) {
			assertThat(putFile(this.mvc, id, path, path)).hasStatusOk();
		}
		assertThat(this.mvc.delete().uri("/l1/sessions/{id}", id)).hasStatus(HttpStatus.NO_CONTENT);
		clearInvocations(this.cache);

		assertThat(listFiles(this.mvc, id)).hasStatusOk()
			.bodyJson()
			.extractingPath("$.files[*].path")
			.asArray()
			.containsExactly("a.txt", "b/c.txt", "d e.txt");
		assertThat(getFile(this.mvc, id, "d e.txt")).hasStatusOk().hasBodyTextEqualTo("d e.txt");
		assertThat(this.mvc.get().uri("/sessions/{id}", id)).hasStatusOk();

		InOrder recovery = inOrder(this.cache);
		recovery.verify(this.cache).recover(id);
		recovery.verify(this.cache).touch(id);
		verifyNoMoreInteractions(this.cache);
	}

	@Test
	void deleteEvictsOnce() {
		UUID id = createSession(this.mvc);
		clearInvocations(this.cache);
		assertThat(this.mvc.delete().uri("/sessions/{id}", id)).hasStatus(HttpStatus.NO_CONTENT);
		verify(this.cache).evict(id);
		verifyNoMoreInteractions(this.cache);
	}

	@Nested
	@TestPropertySource(properties = "sample.sessions.touch-interval=0s")
	class WithoutDebounce {

		@Test
		void everyReadTouches() {
			UUID id = createSession(WriteThroughCallTests.this.mvc);
			for (int i = 0; i < 3; i++) {
				assertThat(WriteThroughCallTests.this.mvc.get().uri("/sessions/{id}", id)).hasStatusOk();
			}
			verify(WriteThroughCallTests.this.cache, times(3)).touch(id);
		}

	}

}
