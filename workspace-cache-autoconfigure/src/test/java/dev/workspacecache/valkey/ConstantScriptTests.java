package dev.workspacecache.valkey;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConstantScript}.
 */
class ConstantScriptTests {

	@Test
	void sha1SourceAndResultTypeAreThoseSpringDataRedisGives() {
		for (RedisScript<?> script : List.of(WorkspaceScripts.WRITE, WorkspaceScripts.REPLACE,
				WorkspaceScripts.EVICT)) {
			RedisScript<?> reference = RedisScript.of(script.getScriptAsString(), script.getResultType());
			assertThat(script.getSha1()).isEqualTo(reference.getSha1()).hasSize(40);
			assertThat(script.returnsRawValue()).isEqualTo(reference.returnsRawValue());
		}
	}

	@Test
	void aScriptIsItsSourceResultTypeAndTheSha1OfTheSource() {
		RedisScript<Long> script = ConstantScript.of("return 1", Long.class);
		// sha1("return 1"), as the server names the script.
		assertThat(script.getSha1()).isEqualTo("e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
		assertThat(script.getScriptAsString()).isEqualTo("return 1");
		assertThat(script.getResultType()).isEqualTo(Long.class);
	}

}
