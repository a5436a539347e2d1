package dev.workspacecache.autoconfigure;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.workspacecache.valkey.ContentCompression;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains a {@code workspace.cache.*} property that cannot be bound, naming the
 * property, the value and where it was set, and for {@code mode} listing the values to
 * choose from. Runs before Spring Boot's generic bind failure analysis.
 */
class InvalidWorkspaceCachePropertyFailureAnalyzer extends AbstractFailureAnalyzer<BindException> implements Ordered {

	private static final String PREFIX = "workspace.cache.";

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
		ConfigurationProperty property = cause.getProperty();
		// A value rejected by a setter fails the binding of the whole group: the
		// property, when known, names the one at fault.
		String name = (property != null) ? property.getName().toString() : cause.getName().toString();
		if (!name.startsWith(PREFIX)) {
			return null;
		}
		StringBuilder description = new StringBuilder("Invalid workspace cache configuration: property '").append(name)
			.append("'");
		if (property != null) {
			description.append(" has the value '").append(property.getValue()).append("'");
			if (property.getOrigin() != null) {
				description.append(" (from ").append(property.getOrigin()).append(")");
			}
		}
		description.append(": ").append(reason(cause));
		return new FailureAnalysis(description.toString(), action(name), cause);
	}

	private static String reason(BindException cause) {
		Throwable reason = (cause.getCause() != null) ? cause.getCause() : cause;
		while (reason.getCause() != null && reason.getCause() != reason) {
			reason = reason.getCause();
		}
		return (reason.getMessage() != null) ? reason.getMessage() : reason.getClass().getSimpleName();
	}

	private static String action(String name) {
		return switch (name) {
			case "workspace.cache.mode" -> "Set workspace.cache.mode to one of: "
					+ Arrays.stream(WorkspaceCacheProperties.Mode.values())
						.map((mode) -> mode.name().toLowerCase(Locale.ROOT))
						.collect(Collectors.joining(", "))
					+ " ('noop', the default, stores nothing; 'valkey' shares workspaces between pods through "
					+ "Valkey/Redis; 'memory' keeps them in this JVM).";
			case "workspace.cache.ttl" -> "Set workspace.cache.ttl to a positive duration, for example 1h or 30m.";
			case "workspace.cache.key-prefix" ->
				"Set workspace.cache.key-prefix to a prefix without '{' or '}', for example 'workspace-cache:'.";
			case "workspace.cache.max-entry-size" ->
				"Set workspace.cache.max-entry-size to a positive size, for example 16MB.";
			case "workspace.cache.compression" -> "Set workspace.cache.compression to one of: "
					+ Arrays.stream(ContentCompression.Algorithm.values())
						.map((algorithm) -> algorithm.name().toLowerCase(Locale.ROOT))
						.collect(Collectors.joining(", "))
					+ " ('none', the default, stores file content raw; 'zstd' compresses it with Zstandard).";
			case "workspace.cache.compression-threshold" ->
				"Set workspace.cache.compression-threshold to a size of at least 0, for example 512B.";
			case "workspace.cache.fail-fast.consecutive-failures" ->
				"Set workspace.cache.fail-fast.consecutive-failures to a whole number of at least 1, for example 1.";
			case "workspace.cache.fail-fast.probe-interval" ->
				"Set workspace.cache.fail-fast.probe-interval to a positive duration, for example 250ms.";
			case "workspace.cache.fail-fast.max-reconnect-delay" ->
				"Set workspace.cache.fail-fast.max-reconnect-delay to a positive duration, for example 500ms.";
			case "workspace.cache.notifications.instance-id" ->
				"Set workspace.cache.notifications.instance-id to a non-blank id unique to this instance, or remove it "
						+ "to get a random one per start.";
			case "workspace.cache.notifications.retry-interval" ->
				"Set workspace.cache.notifications.retry-interval to a positive duration, for example 250ms.";
			default -> "Fix or remove the property " + name + ".";
		};
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
