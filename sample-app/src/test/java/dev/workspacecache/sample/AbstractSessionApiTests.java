package dev.workspacecache.sample;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.sample.session.LocalOnlySessions;
import dev.workspacecache.sample.session.OverlayEntries;
import dev.workspacecache.sample.session.SharedSessionRecovery;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.workspacecache.sample.SessionRequests.AWKWARD_PATH;
import static dev.workspacecache.sample.SessionRequests.REPO_ID;
import static dev.workspacecache.sample.SessionRequests.allByteValues;
import static dev.workspacecache.sample.SessionRequests.createBody;
import static dev.workspacecache.sample.SessionRequests.fileUri;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of the API, through MockMvc, in whichever cache mode a subclass sets up.
 * The behaviour tested here must not depend on the mode; what does is tested in the
 * subclasses.
 */
@SpringBootTest(properties = "workspace.cache.max-entry-size=" + AbstractSessionApiTests.MAX_ENTRY_BYTES + "B")
@AutoConfigureMockMvc
abstract class AbstractSessionApiTests {

	/**
	 * A small {@code workspace.cache.max-entry-size}, so that testing the limit is cheap.
	 */
	static final int MAX_ENTRY_BYTES = 64 * 1024;

	private static final String HELLO_SHA256 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

	private static final String ALL_BYTES_SHA256 = "40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880";

	private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

	/**
	 * Every member a problem body of the sample may have: no stack trace, no exception
	 * class.
	 */
	private static final Set<String> PROBLEM_MEMBERS = Set.of("type", "title", "status", "detail", "instance",
			"sessionId", "path", "errors", "maxBytes", "currentVersion");

	@Autowired
	protected MockMvcTester mvc;

	// Sessions

	@Test
	void createAnswers201WithTheSnapshotAndItsLocation() {
		MvcTestResult created = create(this.mvc);
		UUID id = idOf(created);
		assertThat(created).hasStatus(HttpStatus.CREATED)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.hasHeader("Location", "http://localhost/sessions/" + id);
		assertThat(created).bodyJson().isLenientlyEqualTo("""
				{"sessionId": "%s", "repoId": "%s", "agentId": "api-key-7f3a", "intent": "fix the flaky checkout test",
				 "baseCommit": "9fceb02d0ae598e95dc970b74767f19372d61af8", "state": "active", "mode": "ephemeral"}
				""".formatted(id, REPO_ID));
		assertThat(created).bodyJson().extractingPath("$.agentName").asString().matches("agent-\\d+");
		assertThat(created).bodyJson()
			.extractingPath("$.changesetId")
			.asString()
			.isNotEqualTo(id.toString())
			.satisfies(UUID::fromString);
	}

	@Test
	void getAnswersTheSnapshotOfTheSession() {
		MvcTestResult created = create(this.mvc);
		assertThat(this.mvc.get().uri("/sessions/{id}", idOf(created))).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo(body(created));
	}

	@Test
	void deleteAnswers204AndTheSessionIsGone() {
		UUID id = createSession(this.mvc);
		assertThat(putFile(this.mvc, id, "a.txt", "a")).hasStatusOk();
		assertThat(this.mvc.delete().uri("/sessions/{id}", id)).hasStatus(HttpStatus.NO_CONTENT);
		assertProblem(this.mvc.get().uri("/sessions/{id}", id).exchange(), HttpStatus.NOT_FOUND, "Unknown session");
		assertProblem(getFile(this.mvc, id, "a.txt"), HttpStatus.NOT_FOUND, "Unknown session");
		assertProblem(putFile(this.mvc, id, "a.txt", "again"), HttpStatus.NOT_FOUND, "Unknown session");
		assertProblem(this.mvc.delete().uri("/sessions/{id}", id).exchange(), HttpStatus.NOT_FOUND, "Unknown session");
	}

	// Files

	@Test
	void writingANewPathRecordsAnAddedFileHashedByTheServer() {
		UUID id = createSession(this.mvc);
		assertThat(putFile(this.mvc, id, "README.md", "hello\n")).hasStatusOk().bodyJson().isStrictlyEqualTo("""
				{"path": "README.md", "kind": "Added", "size": 6, "hash": "%s"}
				""".formatted(HELLO_SHA256));
		assertThat(getFile(this.mvc, id, "README.md")).hasStatusOk().hasBodyTextEqualTo("hello\n");
	}

	@Test
	void kindFollowsWhatTheSessionKnowsOfThePath() {
		UUID id = createSession(this.mvc);
		assertThat(putFile(this.mvc, id, "new.txt", "1")).bodyJson().extractingPath("$.kind").isEqualTo("Added");
		assertThat(putFile(this.mvc, id, "new.txt", "2")).bodyJson().extractingPath("$.kind").isEqualTo("Added");
		assertThat(deleteFile(this.mvc, id, "base.txt")).hasStatusOk().bodyJson().isStrictlyEqualTo("""
				{"path": "base.txt", "kind": "Deleted"}
				""");
		assertThat(putFile(this.mvc, id, "base.txt", "3")).bodyJson().extractingPath("$.kind").isEqualTo("Modified");
		assertThat(putFile(this.mvc, id, "base.txt", "4")).bodyJson().extractingPath("$.kind").isEqualTo("Modified");
	}

	@Test
	void binaryContentComesBackByteForByte() {
		UUID id = createSession(this.mvc);
		byte[] allBytes = allByteValues();
		assertThat(putFile(this.mvc, id, "bin/all-bytes.bin", allBytes)).hasStatusOk().bodyJson().isStrictlyEqualTo("""
				{"path": "bin/all-bytes.bin", "kind": "Added", "size": 256, "hash": "%s"}
				""".formatted(ALL_BYTES_SHA256));
		// The tag is the session's version: 1 when created, 2 after the write.
		assertThat(getFile(this.mvc, id, "bin/all-bytes.bin")).hasStatusOk()
			.hasContentType(MediaType.APPLICATION_OCTET_STREAM)
			.hasHeader("ETag", "\"2\"")
			.body()
			.isEqualTo(allBytes);
	}

	@Test
	void emptyContentIsAFile() {
		UUID id = createSession(this.mvc);
		assertThat(putFile(this.mvc, id, "empty", new byte[0])).hasStatusOk().bodyJson().isStrictlyEqualTo("""
				{"path": "empty", "kind": "Added", "size": 0, "hash": "%s"}
				""".formatted(EMPTY_SHA256));
		assertThat(getFile(this.mvc, id, "empty")).hasStatusOk().body().isEmpty();
	}

	@Test
	void nestedPathWithSpacesAndNonAsciiCharactersWorks() {
		UUID id = createSession(this.mvc);
		byte[] content = "☕ naïve\n".getBytes(StandardCharsets.UTF_8);
		assertThat(fileUri(id, AWKWARD_PATH).getRawPath()).contains("dir%20with%20spaces", "na%C3%AFve");
		assertThat(putFile(this.mvc, id, AWKWARD_PATH, content)).hasStatusOk()
			.bodyJson()
			.extractingPath("$.path")
			.isEqualTo(AWKWARD_PATH);
		assertThat(getFile(this.mvc, id, AWKWARD_PATH)).hasStatusOk().body().isEqualTo(content);
		assertThat(listFiles(this.mvc, id)).bodyJson()
			.extractingPath("$.files[*].path")
			.asArray()
			.containsExactly(AWKWARD_PATH);
	}

	@Test
	void percentEncodedReservedCharactersArePartOfThePath() {
		UUID id = createSession(this.mvc);
		String path = "notes;v2 100%+=&?#.md";
		assertThat(fileUri(id, path).getRawPath()).endsWith("notes%3Bv2%20100%25%2B%3D%26%3F%23.md");
		assertThat(putFile(this.mvc, id, path, "x")).hasStatusOk().bodyJson().extractingPath("$.path").isEqualTo(path);
		assertThat(getFile(this.mvc, id, path)).hasStatusOk().hasBodyTextEqualTo("x");
	}

	@Test
	void bodyIsReadRawWhateverItsContentType() {
		UUID id = createSession(this.mvc);
		// What `curl --data-binary` sends by default: must not be parsed as a form.
		assertThat(this.mvc.put()
			.uri(fileUri(id, "form.txt"))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.content("a=1&b=2")).hasStatusOk();
		assertThat(this.mvc.put()
			.uri(fileUri(id, "data.json"))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"not\": \"parsed\"}")).hasStatusOk();
		assertThat(getFile(this.mvc, id, "form.txt")).hasBodyTextEqualTo("a=1&b=2");
		assertThat(getFile(this.mvc, id, "data.json")).hasBodyTextEqualTo("{\"not\": \"parsed\"}");
	}

	@Test
	void listShowsEveryPathWithItsKindInPathOrder() {
		UUID id = createSession(this.mvc);
		putFile(this.mvc, id, "b.txt", "b");
		putFile(this.mvc, id, "a/c.txt", "c");
		deleteFile(this.mvc, id, "d.txt");
		putFile(this.mvc, id, "m.txt", "m");
		deleteFile(this.mvc, id, "m.txt");
		putFile(this.mvc, id, "m.txt", "hello\n");
		MvcTestResult listing = listFiles(this.mvc, id);
		assertThat(listing).hasStatusOk().bodyJson().extractingPath("$.sessionId").isEqualTo(id.toString());
		assertThat(listing).bodyJson()
			.extractingPath("$.files[*].path")
			.asArray()
			.containsExactly("a/c.txt", "b.txt", "d.txt", "m.txt");
		assertThat(listing).bodyJson()
			.extractingPath("$.files[*].kind")
			.asArray()
			.containsExactly("Added", "Added", "Deleted", "Modified");
		assertThat(listing).bodyJson().extractingPath("$.files[2]").asMap().containsOnlyKeys("path", "kind");
		assertThat(listing).bodyJson()
			.extractingPath("$.files[3]")
			.asMap()
			.containsEntry("size", 6)
			.containsEntry("hash", HELLO_SHA256);
	}

	@Test
	void listOfANewSessionIsEmpty() {
		UUID id = createSession(this.mvc);
		assertThat(listFiles(this.mvc, id)).hasStatusOk().bodyJson().extractingPath("$.files").asArray().isEmpty();
	}

	@Test
	void deletedFileReads404() {
		UUID id = createSession(this.mvc);
		putFile(this.mvc, id, "gone.txt", "soon gone");
		assertThat(deleteFile(this.mvc, id, "gone.txt")).hasStatusOk();
		MvcTestResult read = getFile(this.mvc, id, "gone.txt");
		assertProblem(read, HttpStatus.NOT_FOUND, "File not found");
		assertThat(read).bodyJson().extractingPath("$.detail").asString().contains("was deleted");
		assertThat(read).bodyJson().extractingPath("$.path").isEqualTo("gone.txt");
	}

	@Test
	void fileNeverWrittenReads404() {
		UUID id = createSession(this.mvc);
		MvcTestResult read = getFile(this.mvc, id, "never.txt");
		assertProblem(read, HttpStatus.NOT_FOUND, "File not found");
		assertThat(read).bodyJson().extractingPath("$.detail").asString().contains("has not been written");
	}

	// Graph

	@Test
	void graphComesBackByteForByte() {
		UUID id = createSession(this.mvc);
		assertProblem(this.mvc.get().uri("/sessions/{id}/graph", id).exchange(), HttpStatus.NOT_FOUND, "No graph");
		assertThat(this.mvc.put().uri("/sessions/{id}/graph", id).content(allByteValues())).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("""
					{"size": 256, "hash": "%s"}
					""".formatted(ALL_BYTES_SHA256));
		assertThat(this.mvc.get().uri("/sessions/{id}/graph", id)).hasStatusOk()
			.hasContentType(MediaType.APPLICATION_OCTET_STREAM)
			.body()
			.isEqualTo(allByteValues());
		assertThat(this.mvc.put().uri("/sessions/{id}/graph", id).content(new byte[] { 42 })).hasStatusOk();
		assertThat(this.mvc.get().uri("/sessions/{id}/graph", id)).body().containsExactly(42);
	}

	// Errors

	@Test
	void unknownSessionIs404OnEveryEndpoint() {
		UUID unknown = UUID.randomUUID();
		assertUnknown(this.mvc.get().uri("/sessions/{id}", unknown).exchange(), unknown);
		assertUnknown(this.mvc.delete().uri("/sessions/{id}", unknown).exchange(), unknown);
		assertUnknown(listFiles(this.mvc, unknown), unknown);
		assertUnknown(getFile(this.mvc, unknown, "a.txt"), unknown);
		assertUnknown(putFile(this.mvc, unknown, "a.txt", "a"), unknown);
		assertUnknown(deleteFile(this.mvc, unknown, "a.txt"), unknown);
		assertUnknown(this.mvc.get().uri("/sessions/{id}/graph", unknown).exchange(), unknown);
		assertUnknown(this.mvc.put().uri("/sessions/{id}/graph", unknown).content(new byte[1]).exchange(), unknown);
	}

	@Test
	void malformedSessionIdIs400() {
		MvcTestResult result = this.mvc.get().uri("/sessions/not-a-uuid").exchange();
		assertProblem(result, HttpStatus.BAD_REQUEST, "Malformed session id");
		assertThat(result).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.startsWith("'not-a-uuid' is not a session id");
		assertProblem(this.mvc.put().uri("/sessions/123/files/a.txt").content("a").exchange(), HttpStatus.BAD_REQUEST,
				"Malformed session id");
		assertProblem(this.mvc.delete().uri("/l1/sessions/123").exchange(), HttpStatus.BAD_REQUEST,
				"Malformed session id");
	}

	@Test
	void emptyFilePathIs400() {
		UUID id = createSession(this.mvc);
		for (String url : new String[] { "/sessions/" + id + "/files/", "/sessions/" + id + "/files" }) {
			MvcTestResult result = this.mvc.put().uri(url).content("a").exchange();
			assertProblem(result, HttpStatus.BAD_REQUEST, "Invalid file path");
			assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("empty");
		}
		assertProblem(this.mvc.get().uri("/sessions/{id}/files/", id).exchange(), HttpStatus.BAD_REQUEST,
				"Invalid file path");
		assertProblem(this.mvc.delete().uri("/sessions/{id}/files/", id).exchange(), HttpStatus.BAD_REQUEST,
				"Invalid file path");
	}

	@Test
	void pathsThatNameAFileSeveralWaysAre400() {
		UUID id = createSession(this.mvc);
		for (String rawPath : new String[] { "a//b.txt", "a/b/", "./a.txt", "a/../b.txt", "%2E%2E/x" }) {
			MvcTestResult result = this.mvc.put()
				.uri(URI.create("/sessions/" + id + "/files/" + rawPath))
				.content("a")
				.exchange();
			assertProblem(result, HttpStatus.BAD_REQUEST, "Invalid file path");
		}
		assertThat(listFiles(this.mvc, id)).bodyJson().extractingPath("$.files").asArray().isEmpty();
	}

	@Test
	void contentOverTheMaxEntrySizeIs413AndNotRecorded() {
		UUID id = createSession(this.mvc);
		assertThat(putFile(this.mvc, id, "fits.bin", new byte[MAX_ENTRY_BYTES])).hasStatusOk();
		MvcTestResult tooLarge = putFile(this.mvc, id, "too-large.bin", new byte[MAX_ENTRY_BYTES + 1]);
		assertProblem(tooLarge, HttpStatus.CONTENT_TOO_LARGE, "Content too large");
		assertThat(tooLarge).bodyJson().extractingPath("$.maxBytes").isEqualTo(MAX_ENTRY_BYTES);
		assertThat(tooLarge).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.contains("65537 bytes", "workspace.cache.max-entry-size");
		assertThat(listFiles(this.mvc, id)).bodyJson()
			.extractingPath("$.files[*].path")
			.asArray()
			.containsExactly("fits.bin");
		assertProblem(this.mvc.put().uri("/sessions/{id}/graph", id).content(new byte[MAX_ENTRY_BYTES + 1]).exchange(),
				HttpStatus.CONTENT_TOO_LARGE, "Content too large");
	}

	@Test
	void createWithoutRequiredFieldsIs400NamingEachField() {
		MvcTestResult result = this.mvc.post()
			.uri("/sessions")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{}")
			.exchange();
		assertProblem(result, HttpStatus.BAD_REQUEST, "Invalid session request");
		assertThat(result).bodyJson()
			.extractingPath("$.errors")
			.asMap()
			.containsOnlyKeys("repoId", "agentId", "intent", "baseCommit", "mode");
	}

	@Test
	void createWithAnUnknownModeIs400() {
		MvcTestResult result = this.mvc.post()
			.uri("/sessions")
			.contentType(MediaType.APPLICATION_JSON)
			.content(createBody().replace("ephemeral", "forever"))
			.exchange();
		assertProblem(result, HttpStatus.BAD_REQUEST, "Invalid session request");
		assertThat(result).bodyJson()
			.extractingPath("$.errors")
			.asMap()
			.containsOnly(Map.entry("mode", "must be 'ephemeral' or 'persistent'"));
	}

	@Test
	void createWithUnreadableJsonIs400() {
		for (String body : new String[] { "{", "", "[]", createBody().replace(REPO_ID.toString(), "not-a-uuid") }) {
			assertProblem(
					this.mvc.post().uri("/sessions").contentType(MediaType.APPLICATION_JSON).content(body).exchange(),
					HttpStatus.BAD_REQUEST, "Bad Request");
		}
	}

	@Test
	void unknownUrlAndWrongMethodAreProblemsToo() {
		assertProblem(this.mvc.get().uri("/nothing-here").exchange(), HttpStatus.NOT_FOUND, "Not Found");
		assertProblem(this.mvc.patch().uri("/sessions").exchange(), HttpStatus.METHOD_NOT_ALLOWED,
				"Method Not Allowed");
		assertProblem(this.mvc.post().uri("/sessions").contentType(MediaType.TEXT_PLAIN).content("hi").exchange(),
				HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type");
	}

	// This pod's copy

	@Test
	void droppingTheL1CopyOfASessionNotHeldIs404() {
		UUID id = createSession(this.mvc);
		assertThat(this.mvc.delete().uri("/l1/sessions/{id}", id)).hasStatus(HttpStatus.NO_CONTENT);
		assertProblem(this.mvc.delete().uri("/l1/sessions/{id}", id).exchange(), HttpStatus.NOT_FOUND,
				"Session not held by this pod");
	}

	// Actuator

	@Test
	void healthIsUp() {
		assertThat(this.mvc.get().uri("/actuator/health")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.status")
			.isEqualTo("UP");
	}

	@Test
	void conditionsReportShowsWhichSessionRecoveryRuns() {
		MvcTestResult conditions = this.mvc.get().uri("/actuator/conditions").exchange();
		Class<?> present = expectedRecovery();
		Class<?> absent = (present == SharedSessionRecovery.class) ? LocalOnlySessions.class
				: SharedSessionRecovery.class;
		assertThat(conditions).hasStatusOk();
		assertThat(conditions).bodyJson()
			.extractingPath("$.contexts.*.positiveMatches." + present.getSimpleName())
			.asArray()
			.hasSize(1);
		assertThat(conditions).bodyJson()
			.extractingPath("$.contexts.*.negativeMatches." + absent.getSimpleName())
			.asArray()
			.hasSize(1);
	}

	/**
	 * Return the {@link dev.workspacecache.sample.session.SessionRecovery} of the mode
	 * tested.
	 * @return {@link SharedSessionRecovery} or {@link LocalOnlySessions}
	 */
	abstract Class<?> expectedRecovery();

	@Test
	void everyResponseAboutASessionCarriesItsVersion() {
		MvcTestResult created = create(this.mvc);
		UUID id = idOf(created);
		assertThat(created).hasHeader("ETag", "\"1\"");
		assertThat(putFile(this.mvc, id, "a.txt", "a")).hasStatusOk().hasHeader("ETag", "\"2\"");
		assertThat(deleteFile(this.mvc, id, "b.txt")).hasStatusOk().hasHeader("ETag", "\"3\"");
		assertThat(this.mvc.put().uri("/sessions/{id}/graph", id).content(new byte[] { 1 })).hasStatusOk()
			.hasHeader("ETag", "\"4\"");
		for (String uri : List.of("/sessions/{id}", "/sessions/{id}/files", "/sessions/{id}/files/a.txt",
				"/sessions/{id}/graph")) {
			assertThat(this.mvc.get().uri(uri, id)).as(uri).hasStatusOk().hasHeader("ETag", "\"4\"");
		}
	}

	@Test
	void changeMadeFromAReplacedVersionIsRefusedWithConflict() {
		UUID id = createSession(this.mvc);
		assertThat(putFileIfMatch(id, "a.txt", "first", "\"1\"")).hasStatusOk().hasHeader("ETag", "\"2\"");

		// Made from version 1, which the first write replaced: not applied.
		MvcTestResult stale = putFileIfMatch(id, "a.txt", "second", "\"1\"");
		assertProblem(stale, HttpStatus.CONFLICT, "Session changed");
		assertThat(stale).hasHeader("ETag", "\"2\"");
		assertThat(stale).bodyJson().extractingPath("$.currentVersion").isEqualTo(2);
		assertProblem(this.mvc.delete().uri(fileUri(id, "a.txt")).header("If-Match", "\"1\"").exchange(),
				HttpStatus.CONFLICT, "Session changed");
		assertProblem(this.mvc.put()
			.uri("/sessions/{id}/graph", id)
			.header("If-Match", "W/\"2\"")
			.content(new byte[] { 1 })
			.exchange(), HttpStatus.CONFLICT, "Session changed");
		assertThat(getFile(this.mvc, id, "a.txt")).hasStatusOk().hasBodyTextEqualTo("first");

		// Made from the current version, or from none: applied.
		assertThat(putFileIfMatch(id, "a.txt", "third", "\"2\"")).hasStatusOk().hasHeader("ETag", "\"3\"");
		assertThat(putFileIfMatch(id, "a.txt", "fourth", "*")).hasStatusOk().hasHeader("ETag", "\"4\"");
		assertThat(getFile(this.mvc, id, "a.txt")).hasStatusOk().hasBodyTextEqualTo("fourth");
	}

	private MvcTestResult putFileIfMatch(UUID id, String path, String content, String ifMatch) {
		return this.mvc.put()
			.uri(fileUri(id, path))
			.header("If-Match", ifMatch)
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.content(content.getBytes(StandardCharsets.UTF_8))
			.exchange();
	}

	// Requests and assertions, static so that the tests of other contexts share them

	protected static MvcTestResult create(MockMvcTester mvc) {
		return mvc.post().uri("/sessions").contentType(MediaType.APPLICATION_JSON).content(createBody()).exchange();
	}

	protected static UUID createSession(MockMvcTester mvc) {
		MvcTestResult created = create(mvc);
		assertThat(created).hasStatus(HttpStatus.CREATED);
		return idOf(created);
	}

	protected static MvcTestResult putFile(MockMvcTester mvc, UUID id, String path, String content) {
		return putFile(mvc, id, path, content.getBytes(StandardCharsets.UTF_8));
	}

	protected static MvcTestResult putFile(MockMvcTester mvc, UUID id, String path, byte[] content) {
		return mvc.put()
			.uri(fileUri(id, path))
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.content(content)
			.exchange();
	}

	protected static MvcTestResult getFile(MockMvcTester mvc, UUID id, String path) {
		return mvc.get().uri(fileUri(id, path)).exchange();
	}

	protected static MvcTestResult deleteFile(MockMvcTester mvc, UUID id, String path) {
		return mvc.delete().uri(fileUri(id, path)).exchange();
	}

	protected static MvcTestResult listFiles(MockMvcTester mvc, UUID id) {
		return mvc.get().uri("/sessions/{id}/files", id).exchange();
	}

	/**
	 * Return the entry the sample caches for content written to a path the session did
	 * not know: {@code Added}, hashed as the server hashes it.
	 */
	protected static CachedOverlayEntry added(byte[] content) {
		return new CachedOverlayEntry.Added(content, OverlayEntries.sha256(content));
	}

	protected static CachedOverlayEntry added(String content) {
		return added(content.getBytes(StandardCharsets.UTF_8));
	}

	protected static String body(MvcTestResult result) {
		return new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8);
	}

	protected static UUID idOf(MvcTestResult result) {
		return UUID.fromString(JsonPath.read(body(result), "$.sessionId"));
	}

	protected static void assertUnknown(MvcTestResult result, UUID id) {
		assertProblem(result, HttpStatus.NOT_FOUND, "Unknown session");
		assertThat(result).bodyJson().extractingPath("$.sessionId").isEqualTo(id.toString());
	}

	/**
	 * Assert that a response is an RFC 9457 problem with the given status and title, and
	 * nothing a client should not see.
	 */
	protected static void assertProblem(MvcTestResult result, HttpStatus status, String title) {
		assertThat(result).hasStatus(status).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(status.value());
		assertThat(result).bodyJson().extractingPath("$.title").isEqualTo(title);
		assertThat(result).bodyJson()
			.extractingPath("$")
			.asMap()
			.isNotEmpty()
			.satisfies((members) -> assertThat(PROBLEM_MEMBERS).containsAll(members.keySet()));
		assertThat(Arrays.asList(body(result).split("\n"))).noneMatch((line) -> line.contains("\tat "));
	}

}
