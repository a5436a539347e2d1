package dev.workspacecache.valkey;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CredentialMasking}.
 */
class CredentialMaskingTests {

	@Test
	void credentialMaskingHidesPasswords() {
		assertThat(CredentialMasking.mask("redis://user:secret@host:6379")).doesNotContain("secret")
			.contains("redis://user:")
			.contains("@host:6379");
		assertThat(CredentialMasking.mask("failed to connect to rediss://:secret@cache.example.com:6380/0"))
			.doesNotContain("secret")
			.contains("cache.example.com:6380");
		assertThat(CredentialMasking.mask("password=secret, user=bob")).doesNotContain("secret").contains("user=bob");
		assertThat(CredentialMasking.mask("Password: secret")).doesNotContain("secret");
		assertThat(CredentialMasking.mask("Command timed out after 1 second(s)"))
			.isEqualTo("Command timed out after 1 second(s)");
		assertThat(CredentialMasking.mask("redis://host:6379")).isEqualTo("redis://host:6379");
	}

}
