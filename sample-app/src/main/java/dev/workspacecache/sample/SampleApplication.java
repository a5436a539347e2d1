package dev.workspacecache.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A session service that keeps session workspaces in memory and shares them with its
 * other pods through the {@link dev.workspacecache.WorkspaceCache} of
 * {@code workspace-cache-starter}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
