package dev.workspacecache.valkey;

import java.util.UUID;
import java.util.function.Predicate;

import dev.workspacecache.WorkspaceCacheException;
import dev.workspacecache.WorkspaceCacheOperation;
import org.jspecify.annotations.Nullable;

/**
 * What the caches make of a server's errors, the same for {@link ValkeyCache} and
 * {@link ReactiveValkeyCache}.
 */
final class ServerErrors {

	/**
	 * What Redis and Valkey answer a script that writes a key its node no longer holds.
	 */
	private static final String NON_LOCAL_KEY = "non local key";

	private ServerErrors() {
	}

	static boolean isWrongType(Throwable ex) {
		return hasMessage(ex, (message) -> message.startsWith("WRONGTYPE"));
	}

	static boolean isNoScript(Throwable ex) {
		return hasMessage(ex, (message) -> message.startsWith("NOSCRIPT"));
	}

	static boolean isNonLocalKey(Throwable ex) {
		return hasMessage(ex, (message) -> message.contains(NON_LOCAL_KEY));
	}

	private static boolean hasMessage(Throwable ex, Predicate<String> condition) {
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			String message = candidate.getMessage();
			if (message != null && condition.test(message)) {
				return true;
			}
		}
		return false;
	}

	static WorkspaceCacheException failure(WorkspaceCacheOperation operation, @Nullable UUID id, Throwable ex) {
		return new WorkspaceCacheException(operation, id, CredentialMasking.rootCauseMessage(ex), ex);
	}

}
