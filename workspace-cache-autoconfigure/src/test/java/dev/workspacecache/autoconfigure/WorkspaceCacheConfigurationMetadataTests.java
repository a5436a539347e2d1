package dev.workspacecache.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.workspacecache.valkey.ContentCompression;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the configuration metadata of {@link WorkspaceCacheProperties} that IDEs read,
 * and of its agreement with the properties' defaults.
 */
class WorkspaceCacheConfigurationMetadataTests {

	@Test
	void configurationMetadataDocumentsEveryPropertyWithDefaultsAndModeHints() throws IOException {
		JsonNode metadata = workspaceCacheMetadata();
		List<String> names = new ArrayList<>();
		for (JsonNode property : metadata.get("properties")) {
			String name = property.get("name").asString();
			if (name.startsWith("workspace.cache.")) {
				names.add(name);
				assertThat(property.path("description").asString("")).as("description of %s", name).isNotBlank();
			}
		}
		assertThat(names).containsExactlyInAnyOrder("workspace.cache.mode", "workspace.cache.ttl",
				"workspace.cache.key-prefix", "workspace.cache.max-entry-size", "workspace.cache.compression",
				"workspace.cache.compression-threshold", "workspace.cache.fail-fast.enabled",
				"workspace.cache.fail-fast.consecutive-failures", "workspace.cache.fail-fast.probe-interval",
				"workspace.cache.fail-fast.reject-commands-while-disconnected",
				"workspace.cache.fail-fast.max-reconnect-delay", "workspace.cache.notifications.enabled",
				"workspace.cache.notifications.instance-id", "workspace.cache.notifications.retry-interval");
		assertThat(defaultValue(metadata, "workspace.cache.mode")).isEqualTo("noop");
		assertThat(defaultValue(metadata, "workspace.cache.ttl")).isEqualTo("1h");
		assertThat(defaultValue(metadata, "workspace.cache.key-prefix")).isEqualTo("workspace-cache:");
		assertThat(defaultValue(metadata, "workspace.cache.max-entry-size")).isEqualTo("16MB");
		assertThat(defaultValue(metadata, "workspace.cache.compression")).isEqualTo("none");
		assertThat(defaultValue(metadata, "workspace.cache.compression-threshold")).isEqualTo("512B");
		assertThat(defaultValue(metadata, "workspace.cache.fail-fast.enabled")).isEqualTo("true");
		assertThat(defaultValue(metadata, "workspace.cache.fail-fast.consecutive-failures")).isEqualTo("1");
		assertThat(defaultValue(metadata, "workspace.cache.fail-fast.probe-interval")).isEqualTo("250ms");
		assertThat(defaultValue(metadata, "workspace.cache.fail-fast.reject-commands-while-disconnected"))
			.isEqualTo("true");
		assertThat(defaultValue(metadata, "workspace.cache.fail-fast.max-reconnect-delay")).isEqualTo("500ms");
		assertThat(defaultValue(metadata, "workspace.cache.notifications.enabled")).isEqualTo("true");
		assertThat(defaultValue(metadata, "workspace.cache.notifications.retry-interval")).isEqualTo("250ms");
		assertThat(hintValues(metadata, "workspace.cache.mode")).containsExactlyInAnyOrder("noop", "valkey", "memory");
		assertThat(hintValues(metadata, "workspace.cache.compression")).containsExactlyInAnyOrder("none", "zstd");
	}

	private static List<String> hintValues(JsonNode metadata, String name) {
		List<String> hintValues = new ArrayList<>();
		for (JsonNode hint : metadata.get("hints")) {
			if (hint.get("name").asString().equals(name)) {
				for (JsonNode value : hint.get("values")) {
					hintValues.add(value.get("value").asString());
					assertThat(value.path("description").asString("")).isNotBlank();
				}
			}
		}
		return hintValues;
	}

	@Test
	void metadataDefaultsMatchTheProperties() throws IOException {
		JsonNode metadata = workspaceCacheMetadata();
		WorkspaceCacheProperties properties = new WorkspaceCacheProperties();
		assertThat(properties.getMode().name().toLowerCase()).isEqualTo(defaultValue(metadata, "workspace.cache.mode"));
		assertThat(properties.getTtl()).isEqualTo(Duration.ofHours(1));
		assertThat(properties.getKeyPrefix()).isEqualTo(defaultValue(metadata, "workspace.cache.key-prefix"));
		assertThat(properties.getMaxEntrySize().toMegabytes()).isEqualTo(16);
		assertThat(properties.getCompression()).isEqualTo(ContentCompression.Algorithm.NONE);
		assertThat(properties.getCompressionThreshold().toBytes()).isEqualTo(512);
		WorkspaceCacheProperties.FailFast failFast = properties.getFailFast();
		assertThat(failFast.isEnabled()).isTrue();
		assertThat(failFast.getConsecutiveFailures()).isEqualTo(1);
		assertThat(failFast.getProbeInterval()).isEqualTo(Duration.ofMillis(250));
		assertThat(failFast.isRejectCommandsWhileDisconnected()).isTrue();
		assertThat(failFast.getMaxReconnectDelay()).isEqualTo(Duration.ofMillis(500));
	}

	static JsonNode workspaceCacheMetadata() throws IOException {
		JsonMapper mapper = JsonMapper.builder().build();
		List<URL> resources = Collections.list(WorkspaceCacheConfigurationMetadataTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"));
		for (URL resource : resources) {
			try (InputStream in = resource.openStream()) {
				JsonNode metadata = mapper.readTree(in);
				for (JsonNode group : metadata.path("groups")) {
					if (group.path("name").asString("").equals("workspace.cache")) {
						return metadata;
					}
				}
			}
		}
		throw new AssertionError(
				"No META-INF/spring-configuration-metadata.json declares the workspace.cache group in " + resources);
	}

	private static String defaultValue(JsonNode metadata, String name) {
		for (JsonNode property : metadata.get("properties")) {
			if (property.get("name").asString().equals(name)) {
				return property.path("defaultValue").asString(null);
			}
		}
		throw new AssertionError("No metadata for " + name);
	}

}
