package dev.workspacecache.autoconfigure;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the configuration metadata IDEs read for the health contributor and the
 * endpoint.
 */
class ActuatorConfigurationMetadataTests {

	@Test
	void documentsTheHealthIndicatorSwitchAndTheEndpointsAccess() throws IOException {
		JsonNode metadata = WorkspaceCacheConfigurationMetadataTests.workspaceCacheMetadata();
		JsonNode health = property(metadata, "management.health.workspacecache.enabled");
		assertThat(health.path("type").asString()).isEqualTo("java.lang.Boolean");
		assertThat(health.path("defaultValue").asBoolean(false)).isTrue();
		assertThat(health.path("description").asString("")).contains("PING");
		assertThat(property(metadata, "management.endpoint.workspacecache.access").isMissingNode()).isFalse();
	}

	private static JsonNode property(JsonNode metadata, String name) {
		for (JsonNode property : metadata.get("properties")) {
			if (property.get("name").asString().equals(name)) {
				return property;
			}
		}
		throw new AssertionError("No metadata for " + name);
	}

}
