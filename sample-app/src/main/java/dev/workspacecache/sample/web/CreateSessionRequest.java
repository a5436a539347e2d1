package dev.workspacecache.sample.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.workspacecache.sample.session.NewSession;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * The JSON body of {@code POST /sessions}. Every field is required; {@code mode} is
 * {@code ephemeral} or {@code persistent}.
 *
 * @param repoId the repository the session works on
 * @param agentId the agent's identifier
 * @param intent what the agent means to do
 * @param baseCommit the commit the session starts from
 * @param mode {@code ephemeral} or {@code persistent}
 */
public record CreateSessionRequest(@Nullable UUID repoId, @Nullable String agentId, @Nullable String intent,
		@Nullable String baseCommit, @Nullable String mode) {

	private static final Set<String> MODES = Set.of("ephemeral", "persistent");

	/**
	 * Check every field and return the request as a {@link NewSession}.
	 * @return the valid request
	 * @throws InvalidCreateSessionRequestException naming every invalid field
	 */
	NewSession validate() {
		Map<String, String> errors = new LinkedHashMap<>();
		if (this.repoId == null) {
			errors.put("repoId", "is required (a UUID)");
		}
		requireText(errors, "agentId", this.agentId);
		requireText(errors, "intent", this.intent);
		requireText(errors, "baseCommit", this.baseCommit);
		if (this.mode == null) {
			errors.put("mode", "is required ('ephemeral' or 'persistent')");
		}
		else if (!MODES.contains(this.mode)) {
			errors.put("mode", "must be 'ephemeral' or 'persistent'");
		}
		UUID repoId = this.repoId;
		String agentId = this.agentId;
		String intent = this.intent;
		String baseCommit = this.baseCommit;
		String mode = this.mode;
		// No errors means every field is there; the null checks say so to the compiler.
		if (!errors.isEmpty() || repoId == null || agentId == null || intent == null || baseCommit == null
				|| mode == null) {
			throw new InvalidCreateSessionRequestException(errors);
		}
		return new NewSession(repoId, agentId, intent, baseCommit, mode);
	}

	private static void requireText(Map<String, String> errors, String field, @Nullable String value) {
		if (!StringUtils.hasText(value)) {
			errors.put(field, "is required (non-blank text)");
		}
	}

}
