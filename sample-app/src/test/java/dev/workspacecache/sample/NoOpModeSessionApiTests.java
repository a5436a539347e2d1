package dev.workspacecache.sample;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.workspacecache.NoOpCache;
import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.sample.session.LocalOnlySessions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API in the default mode, {@code noop}: no Redis, sessions live only on the pod that
 * created them.
 */
class NoOpModeSessionApiTests extends AbstractSessionApiTests {

	@Autowired
	private WorkspaceCache cache;

	@Test
	void defaultModeRunsOnTheNoOpCache() {
		assertThat(this.cache).isInstanceOf(NoOpCache.class);
	}

	@Test
	void unknownSessionIsUnknownOnThisPodAndValkeyModeIsSuggested() {
		UUID unknown = UUID.randomUUID();
		MvcTestResult result = this.mvc.get().uri("/sessions/{id}", unknown).exchange();
		assertUnknown(result, unknown);
		assertThat(result).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.contains("unknown on this pod", "workspace.cache.mode=noop", "workspace.cache.mode=valkey",
					"share sessions across pods");
	}

	@Test
	void sessionDroppedFromThisPodCannotBeRecovered() {
		UUID id = createSession(this.mvc);
		assertThat(putFile(this.mvc, id, "a.txt", "a")).hasStatusOk();
		assertThat(this.mvc.delete().uri("/l1/sessions/{id}", id)).hasStatus(HttpStatus.NO_CONTENT);
		MvcTestResult result = getFile(this.mvc, id, "a.txt");
		assertUnknown(result, id);
		assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("unknown on this pod");
	}

	@Override
	Class<?> expectedRecovery() {
		return LocalOnlySessions.class;
	}

}
