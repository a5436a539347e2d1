package dev.workspacecache;

import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link ReactiveWorkspaceCacheBlockingAdapter}: the check the reactive
 * contract tests rely on fails on a blocking call.
 */
class ReactiveWorkspaceCacheBlockingAdapterTests {

	@AfterEach
	void forgetTheBlockingCallMadeOnPurpose() {
		ReactiveWorkspaceCacheBlockingAdapter.forgetBlockingCalls();
	}

	@Test
	void aBlockingCallInAnOperationFailsItAndIsReported() {
		WorkspaceCache adapter = new ReactiveWorkspaceCacheBlockingAdapter(
				InProcessReactiveWorkspaceCache.of(new SleepingNoOpCache()));
		assertThatThrownBy(() -> adapter.touch(UUID.randomUUID())).hasRootCauseInstanceOf(BlockingOperationError.class);
		assertThat(ReactiveWorkspaceCacheBlockingAdapter.blockingCalls()).singleElement()
			.asString()
			.contains("java.lang.Thread.sleep")
			.contains("parallel");
	}

	@Test
	void anOperationThatDoesNotBlockCompletes() {
		WorkspaceCache adapter = new ReactiveWorkspaceCacheBlockingAdapter(
				InProcessReactiveWorkspaceCache.of(new NoOpCache()));
		assertThat(adapter.touch(UUID.randomUUID())).isEqualTo(WriteOutcome.DISCARDED);
		assertThat(ReactiveWorkspaceCacheBlockingAdapter.blockingCalls()).isEmpty();
	}

	/**
	 * A cache that blocks, as a cache waiting for a server would.
	 */
	static class SleepingNoOpCache extends NoOpCache {

		@Override
		protected WriteOutcome doTouch(UUID id) {
			try {
				Thread.sleep(1);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return super.doTouch(id);
		}

	}

}
