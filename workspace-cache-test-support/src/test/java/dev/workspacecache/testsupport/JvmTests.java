package dev.workspacecache.testsupport;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link Jvm}.
 */
class JvmTests {

	@Test
	void theCurrentJavaIsTheOneRunningTheTests() {
		Jvm current = Jvm.current();
		assertThat(current.feature()).isEqualTo(Runtime.version().feature());
		assertThat(current.java()).isExecutable();
		assertThat(current.options()).isEmpty();
	}

	@Test
	void aJavaRecentEnoughIsTheCurrentOne() {
		assertThat(Jvm.atLeast(Runtime.version().feature())).isEqualTo(Jvm.current());
	}

	@Test
	void aNewerJavaIsOneInstalledAndAtLeastThatRecent() {
		// Whatever this machine has: the check is that what is found is what was asked.
		int current = Runtime.version().feature();
		try {
			Jvm newer = Jvm.atLeast(current + 1);
			assertThat(newer.feature()).isGreaterThan(current);
			assertThat(newer.java()).isExecutable();
			assertThat(Files.isRegularFile(newer.java().getParent().getParent().resolve("release"))).isTrue();
		}
		catch (AssertionError ex) {
			assertThat(ex).hasMessageContaining("needs Java " + (current + 1) + " or newer");
		}
	}

	@Test
	void noJavaRecentEnoughFailsSayingWhereItLooked() {
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> Jvm.atLeast(999))
			.withMessageContaining("needs Java 999 or newer")
			.withMessageContaining("/usr/lib/jvm");
	}

	@Test
	void optionsAreAddedAfterTheOnesBefore() {
		Jvm jvm = Jvm.current().withOptions("-Da=1").withOptions("-Db=2", "-Dc=3");
		assertThat(jvm.options()).containsExactly("-Da=1", "-Db=2", "-Dc=3");
		assertThat(jvm.java()).isEqualTo(Jvm.current().java());
	}

}
