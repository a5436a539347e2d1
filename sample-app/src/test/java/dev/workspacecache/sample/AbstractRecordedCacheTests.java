package dev.workspacecache.sample;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.workspacecache.WorkspaceCache;
import dev.workspacecache.sample.RecordedCacheConfiguration.RestartableCache;
import dev.workspacecache.sample.session.LiveSessions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.mockito.Mockito.reset;

/**
 * Tests of what the sample does with what the cache answers, on the shared-cache code
 * path ({@code valkey} mode) over an in-process cache whose calls are recorded
 * ({@link RecordedCacheConfiguration}), and which the tests act on as another pod or the
 * server would.
 */
@SpringBootTest(properties = "workspace.cache.mode=valkey")
@AutoConfigureMockMvc
@Import(RecordedCacheConfiguration.class)
@ExtendWith(OutputCaptureExtension.class)
abstract class AbstractRecordedCacheTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	WorkspaceCache cache;

	@Autowired
	RestartableCache server;

	@Autowired
	LiveSessions sessions;

	@BeforeEach
	void forgetEarlierCalls() {
		// Keeps the mock's default answer, which forwards to the in-process cache.
		reset(this.cache);
	}

	@AfterEach
	void forgetStubs() {
		// Other test classes share this context, and so this cache.
		reset(this.cache);
	}

}
