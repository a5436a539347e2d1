package dev.workspacecache.sample.session;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedOverlayEntry.Added;
import dev.workspacecache.CachedOverlayEntry.Deleted;
import dev.workspacecache.CachedOverlayEntry.Modified;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OverlayEntriesTests {

	private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

	/** FIPS 180-2, appendix B.1. */
	private static final String ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

	@Test
	void writeOfAPathNeverSeenIsAdded() {
		assertThat(OverlayEntries.written(null, ABC)).isEqualTo(new Added(ABC, ABC_SHA256));
	}

	@Test
	void writeOfAnAddedPathStaysAdded() {
		assertThat(OverlayEntries.written(new Added(new byte[] { 1 }, "h"), ABC)).isEqualTo(new Added(ABC, ABC_SHA256));
	}

	@Test
	void writeOfAModifiedPathIsModified() {
		assertThat(OverlayEntries.written(new Modified(new byte[] { 1 }, "h"), ABC))
			.isEqualTo(new Modified(ABC, ABC_SHA256));
	}

	@Test
	void writeOfADeletedPathIsModified() {
		assertThat(OverlayEntries.written(new Deleted(), ABC)).isEqualTo(new Modified(ABC, ABC_SHA256));
	}

	@Test
	void sha256IsLowerCaseHex() {
		assertThat(OverlayEntries.sha256(ABC)).isEqualTo(ABC_SHA256);
		assertThat(OverlayEntries.sha256(new byte[0]))
			.isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	}

	@Test
	void kindsAreNamedAsTheEntryTypes() {
		assertThat(OverlayEntries.kind(new Added(ABC, "h"))).isEqualTo("Added");
		assertThat(OverlayEntries.kind(new Modified(ABC, "h"))).isEqualTo("Modified");
		assertThat(OverlayEntries.kind(new Deleted())).isEqualTo("Deleted");
	}

	@Test
	void deletedEntriesHaveNoContentSizeOrHash() {
		CachedOverlayEntry deleted = new Deleted();
		assertThat(OverlayEntries.size(deleted)).isNull();
		assertThat(OverlayEntries.hash(deleted)).isNull();
		assertThatIllegalArgumentException().isThrownBy(() -> OverlayEntries.content(deleted))
			.withMessage("Deleted entries have no content");
	}

	@Test
	void contentSizeAndHashOfFileEntries() {
		for (CachedOverlayEntry entry : new CachedOverlayEntry[] { new Added(ABC, "h1"), new Modified(ABC, "h1") }) {
			assertThat(OverlayEntries.content(entry)).isEqualTo(ABC);
			assertThat(OverlayEntries.size(entry)).isEqualTo(3);
			assertThat(OverlayEntries.hash(entry)).isEqualTo("h1");
		}
	}

}
