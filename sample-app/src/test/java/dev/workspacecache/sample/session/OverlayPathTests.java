package dev.workspacecache.sample.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.workspacecache.WorkspaceCache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class OverlayPathTests {

	@ParameterizedTest
	@ValueSource(strings = { "a", "README.md", "src/main/dir with spaces/naïve café ☕.txt", ".gitignore", "a/.b/..c",
			"back\\slash", "odd:{chars}*?;%", "  leading and trailing spaces  " })
	void acceptsRelativePathsOfNonEmptySegments(String value) {
		assertThat(new OverlayPath(value).value()).isEqualTo(value);
	}

	@Test
	void acceptsPathsUpToTheCacheLimit() {
		String longest = "a".repeat(WorkspaceCache.MAX_PATH_LENGTH);
		assertThat(new OverlayPath(longest).value()).hasSize(WorkspaceCache.MAX_PATH_LENGTH);
		assertThatExceptionOfType(InvalidFilePathException.class).isThrownBy(() -> new OverlayPath(longest + "a"))
			.withMessageContaining("4097 characters long, over the limit of 4096");
	}

	@Test
	void rejectsTheEmptyPath() {
		assertThatExceptionOfType(InvalidFilePathException.class).isThrownBy(() -> new OverlayPath(""))
			.withMessage("Invalid file path: the file path is empty.")
			.satisfies((ex) -> assertThat(ex.getPath()).isEmpty());
	}

	@ParameterizedTest
	@ValueSource(strings = { "/a", "a/", "a//b", "/" })
	void rejectsEmptySegments(String value) {
		assertThatExceptionOfType(InvalidFilePathException.class).isThrownBy(() -> new OverlayPath(value))
			.withMessageContaining("empty segment")
			.satisfies((ex) -> assertThat(ex.getPath()).isEqualTo(value));
	}

	@ParameterizedTest
	@ValueSource(strings = { ".", "..", "./a", "a/./b", "../a", "a/..", "a/../b" })
	void rejectsDotSegments(String value) {
		assertThatExceptionOfType(InvalidFilePathException.class).isThrownBy(() -> new OverlayPath(value))
			.withMessageContaining("segment; paths are relative to the session root");
	}

}
