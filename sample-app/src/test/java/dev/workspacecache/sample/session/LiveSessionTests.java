package dev.workspacecache.sample.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.WorkspaceSnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class LiveSessionTests {

	private static final long INTERVAL = TimeUnit.SECONDS.toNanos(30);

	private final WorkspaceSnapshot snapshot = new WorkspaceSnapshot(UUID.randomUUID(), UUID.randomUUID(), "agent",
			"agent-1", UUID.randomUUID(), "intent", "abc123", "active", "ephemeral");

	@Test
	void createdSessionIsNextTouchedOneIntervalAfterCreation() {
		LiveSession session = LiveSession.created(this.snapshot, 1_000);
		assertThat(session.claimTouch(1_000, INTERVAL)).isFalse();
		assertThat(session.claimTouch(1_000 + INTERVAL - 1, INTERVAL)).isFalse();
		assertThat(session.claimTouch(1_000 + INTERVAL, INTERVAL)).isTrue();
		assertThat(session.claimTouch(1_000 + INTERVAL, INTERVAL)).isFalse();
		assertThat(session.claimTouch(1_000 + 2 * INTERVAL - 1, INTERVAL)).isFalse();
		assertThat(session.claimTouch(1_000 + 2 * INTERVAL, INTERVAL)).isTrue();
	}

	@Test
	void recoveredSessionIsTouchedOnItsFirstAccess() {
		LiveSession session = LiveSession.recovered(CachedWorkspace.of(this.snapshot, Map.of(), null));
		assertThat(session.claimTouch(Long.MIN_VALUE + 1, INTERVAL)).isTrue();
		assertThat(session.claimTouch(Long.MIN_VALUE + 2, INTERVAL)).isFalse();
	}

	@Test
	void writeRestartsTheInterval() {
		LiveSession session = LiveSession.created(this.snapshot, 0);
		session.touched(500);
		assertThat(session.claimTouch(INTERVAL, INTERVAL)).isFalse();
		assertThat(session.claimTouch(500 + INTERVAL, INTERVAL)).isTrue();
	}

	@Test
	void zeroIntervalTouchesOnEveryAccess() {
		LiveSession session = LiveSession.created(this.snapshot, 0);
		assertThat(session.claimTouch(0, 0)).isTrue();
		assertThat(session.claimTouch(0, 0)).isTrue();
		assertThat(session.claimTouch(1, 0)).isTrue();
	}

	@Test
	void intervalsSurviveTheNanoTimeWrapAround() {
		long beforeWrap = Long.MAX_VALUE - 10;
		LiveSession session = LiveSession.created(this.snapshot, beforeWrap);
		assertThat(session.claimTouch(beforeWrap + INTERVAL - 1, INTERVAL)).isFalse();
		assertThat(session.claimTouch(beforeWrap + INTERVAL, INTERVAL)).isTrue();
	}

	@Test
	void onlyOneOfConcurrentAccessesTouches() throws Exception {
		int threads = 8;
		LiveSession session = LiveSession.created(this.snapshot, 0);
		CyclicBarrier start = new CyclicBarrier(threads);
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Callable<Boolean>> accesses = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				accesses.add(() -> {
					start.await(10, TimeUnit.SECONDS);
					return session.claimTouch(INTERVAL, INTERVAL);
				});
			}
			int touches = 0;
			for (Future<Boolean> access : executor.invokeAll(accesses, 30, TimeUnit.SECONDS)) {
				touches += access.get() ? 1 : 0;
			}
			assertThat(touches).isEqualTo(1);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void changesRecordWhatTheOverlayKnows() {
		LiveSession session = LiveSession.created(this.snapshot, 0);
		OverlayPath path = new OverlayPath("a.txt");
		session.change(() -> {
			session.recordWrite(path, new byte[] { 1 });
			session.recordDelete(path);
			session.recordWrite(path, new byte[] { 2 });
			session.recordGraph(new byte[] { 3 });
		});
		assertThat(session.entry(path)).isInstanceOf(CachedOverlayEntry.Modified.class);
		assertThat(session.overlay()).containsOnlyKeys("a.txt");
		assertThat(session.graph()).containsExactly(3);
	}

	@Test
	void recordingOutsideAChangeIsABug() {
		LiveSession session = LiveSession.created(this.snapshot, 0);
		assertThatIllegalStateException().isThrownBy(() -> session.recordWrite(new OverlayPath("a"), new byte[0]));
		assertThatIllegalStateException().isThrownBy(() -> session.recordDelete(new OverlayPath("a")));
		assertThatIllegalStateException().isThrownBy(() -> session.recordGraph(new byte[0]));
		assertThatIllegalStateException().isThrownBy(session::close);
		assertThatIllegalStateException().isThrownBy(session::whole);
		assertThat(session.overlay()).isEmpty();
	}

	@Test
	void closedSessionRefusesChanges() {
		LiveSession session = LiveSession.created(this.snapshot, 0);
		session.change(session::close);
		assertThatExceptionOfType(UnknownSessionException.class)
			.isThrownBy(() -> session.change(() -> session.recordGraph(new byte[0])))
			.withMessageContaining("was deleted")
			.satisfies((ex) -> assertThat(ex.getSessionId()).isEqualTo(this.snapshot.sessionId()));
		assertThat(session.graph()).isNull();
	}

	@Test
	void wholeIsTheSessionAsTheCacheStoresIt() {
		LiveSession session = LiveSession.created(this.snapshot, 0);
		CachedWorkspace whole = session.changeAndGet(() -> {
			session.recordWrite(new OverlayPath("b/new.txt"), new byte[] { 1 });
			session.recordDelete(new OverlayPath("a.txt"));
			session.recordGraph(new byte[] { 2 });
			return session.whole();
		});
		assertThat(whole).isEqualTo(CachedWorkspace.of(this.snapshot,
				Map.of("a.txt", new CachedOverlayEntry.Deleted(), "b/new.txt",
						new CachedOverlayEntry.Added(new byte[] { 1 }, OverlayEntries.sha256(new byte[] { 1 }))),
				new byte[] { 2 }));
		// A copy: later changes do not reach a workspace already handed to the cache.
		session.change(() -> session.recordWrite(new OverlayPath("c.txt"), new byte[0]));
		assertThat(whole.files()).containsOnlyKeys("a.txt", "b/new.txt");
	}

	@Test
	void recoveredSessionIsTheWorkspaceTheCacheReturned() {
		CachedWorkspace workspace = CachedWorkspace.of(this.snapshot, Map.of("z.txt",
				new CachedOverlayEntry.Modified(new byte[] { 7 }, "h"), "a.txt", new CachedOverlayEntry.Deleted()),
				new byte[] { 3 });
		LiveSession session = LiveSession.recovered(workspace);
		assertThat(session.id()).isEqualTo(this.snapshot.sessionId());
		assertThat(session.overlay()).containsOnlyKeys("a.txt", "z.txt");
		assertThat(session.changeAndGet(session::whole)).isEqualTo(workspace);
	}

	@Test
	void graphIsCopiedInAndOut() {
		byte[] graph = { 1, 2 };
		LiveSession session = LiveSession.recovered(CachedWorkspace.of(this.snapshot, Map.of(), graph));
		graph[0] = 9;
		assertThat(session.graph()).containsExactly(1, 2);
		session.graph()[1] = 9;
		assertThat(session.graph()).containsExactly(1, 2);
	}

}
