/**
 * Spring Boot auto-configuration of the {@link dev.workspacecache.WorkspaceCache} bean,
 * chosen by {@code workspace.cache.mode}.
 */
@NullMarked
package dev.workspacecache.autoconfigure;

import org.jspecify.annotations.NullMarked;
