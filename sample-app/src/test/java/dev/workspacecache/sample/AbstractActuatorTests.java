package dev.workspacecache.sample;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workspace cache's health and its {@code workspacecache} endpoint, through MockMvc,
 * in whichever mode a subclass sets up, with the sample's own actuator configuration.
 */
@SpringBootTest(properties = "workspace.cache.max-entry-size=64KB")
@AutoConfigureMockMvc
abstract class AbstractActuatorTests {

	static final String ENDPOINT = "/actuator/workspacecache";

	@Autowired
	protected MockMvcTester mvc;

	/**
	 * Return the mode the subclass runs in.
	 * @return {@code noop}, {@code memory} or {@code valkey}
	 */
	abstract String mode();

	@Test
	void healthShowsTheWorkspaceCacheUpWithItsMode() {
		MvcTestResult health = this.mvc.get().uri("/actuator/health").exchange();
		assertThat(health).hasStatusOk().bodyJson().extractingPath("$.status").isEqualTo("UP");
		assertThat(health).bodyJson().extractingPath("$.components.workspaceCache.status").isEqualTo("UP");
		assertThat(health).bodyJson().extractingPath("$.components.workspaceCache.details.mode").isEqualTo(mode());
	}

	@Test
	void endpointShowsTheModeAndTheSettings() {
		MvcTestResult cache = this.mvc.get().uri(ENDPOINT).exchange();
		assertThat(cache).hasStatusOk().hasContentTypeCompatibleWith("application/vnd.spring-boot.actuator.v3+json");
		assertThat(cache).bodyJson().extractingPath("$.mode").isEqualTo(mode());
		assertThat(cache).bodyJson().extractingPath("$.maxEntrySize").isEqualTo(64 * 1024);
		assertThat(cache).bodyJson().extractingPath("$.type").asString().startsWith("dev.workspacecache.");
	}

	@Test
	void unknownWorkspaceIsNotFound() {
		assertThat(this.mvc.get().uri(ENDPOINT + "/{id}", UUID.randomUUID())).hasStatus(HttpStatus.NOT_FOUND);
	}

	@Test
	void idThatIsNotAUuidIsABadRequest() {
		MvcTestResult result = this.mvc.get().uri(ENDPOINT + "/not-a-uuid").exchange();
		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(this.mvc.delete().uri(ENDPOINT + "/not-a-uuid")).hasStatus(HttpStatus.BAD_REQUEST);
	}

	/**
	 * Assert that Boot's Redis health check is absent, and that neither the health check
	 * nor the endpoint connected to Redis: the modes that need none.
	 * @param redis where {@code spring.data.redis.port} points
	 */
	protected void assertRedisNeitherCheckedNorConnectedTo(UnusedRedisPort redis) {
		MvcTestResult health = this.mvc.get().uri("/actuator/health").exchange();
		assertThat(health).hasStatusOk().bodyJson().extractingPath("$.components").asMap().doesNotContainKey("redis");
		assertThat(this.mvc.get().uri(ENDPOINT)).hasStatusOk();
		assertThat(redis.wasConnectedTo()).isFalse();
	}

	/**
	 * Create a session through the API, with one file and a graph, as a pod's client
	 * does.
	 * @return the session id
	 */
	protected UUID createSessionWithAFileAndAGraph() {
		MvcTestResult created = this.mvc.post()
			.uri("/sessions")
			.contentType(MediaType.APPLICATION_JSON)
			.content(SessionRequests.createBody())
			.exchange();
		assertThat(created).hasStatus(HttpStatus.CREATED);
		UUID id = UUID.fromString(JsonPath.read(body(created), "$.sessionId"));
		assertThat(this.mvc.put()
			.uri(SessionRequests.fileUri(id, "secret.txt"))
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.content("top secret content")).hasStatusOk();
		assertThat(this.mvc.put().uri("/sessions/{id}/graph", id).content(new byte[] { 1, 2, 3 })).hasStatusOk();
		return id;
	}

	/**
	 * Assert that the endpoint describes a session's workspace without its content, then
	 * evicts it: the modes that hold workspaces.
	 */
	protected void assertDescribedWithoutContentThenEvicted() {
		UUID id = createSessionWithAFileAndAGraph();
		MvcTestResult described = this.mvc.get().uri(ENDPOINT + "/{id}", id).exchange();
		assertThat(described).hasStatusOk();
		String json = body(described);
		Map<String, Object> workspace = JsonPath.read(json, "$");
		assertThat(workspace).containsOnlyKeys("id", "snapshot", "graph", "files", "bytes", "timeToLive")
			.containsEntry("id", id.toString())
			.containsEntry("snapshot", true)
			.containsEntry("graph", true)
			.containsEntry("files", 1);
		assertThat(((Number) workspace.get("bytes")).longValue()).isGreaterThanOrEqualTo(18 + 3);
		assertThat(json).doesNotContain("secret");

		assertThat(this.mvc.delete().uri(ENDPOINT + "/{id}", id)).hasStatus(HttpStatus.NO_CONTENT);
		assertThat(this.mvc.get().uri(ENDPOINT + "/{id}", id)).hasStatus(HttpStatus.NOT_FOUND);
	}

	private static String body(MvcTestResult result) {
		return new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8);
	}

}
