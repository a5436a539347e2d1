package dev.workspacecache;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedOverlayEntry.Added;
import dev.workspacecache.CachedOverlayEntry.Deleted;
import dev.workspacecache.CachedOverlayEntry.Modified;

import static dev.workspacecache.WorkspaceFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Tests for the value semantics of {@link CachedOverlayEntry}. They replace the
 * original's JSON round-trip test: what a round trip through any codec relies on is that
 * an entry rebuilt from its components equals the original.
 */
class CachedOverlayEntryTests {

	@Test
	void entryRebuiltFromItsComponentsEqualsTheOriginal() {
		Modified modified = new Modified(utf8("fn foo() {}"), "abc123");
		Added added = new Added(utf8("new file"), "def456");
		assertThat(new Modified(modified.content(), modified.hash())).isEqualTo(modified).hasSameHashCodeAs(modified);
		assertThat(new Added(added.content(), added.hash())).isEqualTo(added).hasSameHashCodeAs(added);
		assertThat(new Deleted()).isEqualTo(new Deleted()).hasSameHashCodeAs(new Deleted());
	}

	@Test
	void equalsComparesContentBytesNotArrayIdentity() {
		assertThat(new Modified(utf8("x"), "h")).isEqualTo(new Modified(utf8("x"), "h"))
			.hasSameHashCodeAs(new Modified(utf8("x"), "h"));
		assertThat(new Added(new byte[0], "h")).isEqualTo(new Added(new byte[0], "h"));
	}

	@Test
	void entriesWithDifferentContentHashOrKindDiffer() {
		Modified modified = new Modified(utf8("x"), "h");
		assertThat(modified).isNotEqualTo(new Modified(utf8("y"), "h"))
			.isNotEqualTo(new Modified(utf8("x"), "other"))
			.isNotEqualTo(new Modified(utf8("xx"), "h"))
			.isNotEqualTo(new Added(utf8("x"), "h"))
			.isNotEqualTo(new Deleted())
			.isNotEqualTo(null);
		assertThat(new Added(utf8("x"), "h")).isNotEqualTo(new Added(utf8("y"), "h")).isNotEqualTo(modified);
	}

	@Test
	void contentIsCopiedIn() {
		byte[] content = utf8("abc");
		Modified modified = new Modified(content, "h");
		Added added = new Added(content, "h");
		content[0] = 'X';
		assertThat(modified.content()).containsExactly(utf8("abc"));
		assertThat(added.content()).containsExactly(utf8("abc"));
	}

	@Test
	void contentIsCopiedOut() {
		Modified modified = new Modified(utf8("abc"), "h");
		Added added = new Added(utf8("abc"), "h");
		modified.content()[0] = 'X';
		added.content()[0] = 'X';
		assertThat(modified.content()).containsExactly(utf8("abc"));
		assertThat(added.content()).containsExactly(utf8("abc"));
		assertThat(modified.content()).isNotSameAs(modified.content());
	}

	@Test
	void sizeIsTheContentLength() {
		assertThat(new Modified(utf8("abcd"), "h").size()).isEqualTo(4);
		assertThat(new Added(new byte[0], "h").size()).isZero();
	}

	@Test
	void toStringShowsTheSizeNotTheBytes() {
		assertThat(new Modified(utf8("fn foo() {}"), "abc123")).hasToString("Modified[size=11, hash=abc123]");
		assertThat(new Added(utf8("secret"), "def456")).hasToString("Added[size=6, hash=def456]");
		assertThat(new Modified(new byte[] { 1, 2, 3 }, "h").toString()).doesNotContain("[B@", "1, 2, 3");
	}

	@Test
	void nullComponentsAreRejected() {
		assertThatNullPointerException().isThrownBy(() -> new Modified(null, "h")).withMessageContaining("content");
		assertThatNullPointerException().isThrownBy(() -> new Modified(utf8("x"), null)).withMessageContaining("hash");
		assertThatNullPointerException().isThrownBy(() -> new Added(null, "h")).withMessageContaining("content");
		assertThatNullPointerException().isThrownBy(() -> new Added(utf8("x"), null)).withMessageContaining("hash");
	}

	@Test
	void onlyTheThreeKindsArePermitted() {
		assertThat(CachedOverlayEntry.class.isSealed()).isTrue();
		assertThat(List.of(CachedOverlayEntry.class.getPermittedSubclasses()))
			.containsExactlyInAnyOrder(CachedOverlayEntry.WithContent.class, Deleted.class);
		assertThat(CachedOverlayEntry.WithContent.class.isSealed()).isTrue();
		assertThat(List.of(CachedOverlayEntry.WithContent.class.getPermittedSubclasses()))
			.containsExactlyInAnyOrder(Modified.class, Added.class);
	}

	@Test
	void entriesWithContentShareTheirAccessors() {
		CachedOverlayEntry.WithContent modified = new Modified(new byte[] { 1, 2, 3 }, "h1");
		CachedOverlayEntry.WithContent added = new Added(new byte[] { 4 }, "h2");
		assertThat(modified.size()).isEqualTo(3);
		assertThat(modified.content()).containsExactly(1, 2, 3);
		assertThat(modified.hash()).isEqualTo("h1");
		assertThat(added.size()).isEqualTo(1);
		assertThat(added.hash()).isEqualTo("h2");
	}

}
