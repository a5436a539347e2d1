/**
 * Actuator support for the {@link dev.workspacecache.WorkspaceCache}: the
 * {@code workspaceCache} health indicator and the {@code workspacecache} endpoint.
 */
@NullMarked
package dev.workspacecache.actuate;

import org.jspecify.annotations.NullMarked;
