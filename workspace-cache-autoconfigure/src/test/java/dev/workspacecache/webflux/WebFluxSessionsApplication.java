package dev.workspacecache.webflux;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A WebFlux application that keeps coding-agent sessions in memory and shares them
 * between its instances through the {@link dev.workspacecache.ReactiveWorkspaceCache}, as
 * the blocking sample app does through the {@code WorkspaceCache}: the recovery flow of
 * the README, reactive end to end ({@link Sessions}).
 * <p>
 * Test code, run by {@code TwoWebFluxPodsIntegrationTests}. It is configured like any
 * application of the starter, by auto-configuration and properties
 * ({@code workspace.cache.mode=valkey}, {@code spring.data.redis.*}); its component scan
 * covers this package only, where no other test configuration lives.
 */
@SpringBootApplication
public class WebFluxSessionsApplication {

}
