/**
 * A session service that shares live session workspaces between pods through
 * {@code workspace-cache-starter}.
 */
@NullMarked
package dev.workspacecache.sample;

import org.jspecify.annotations.NullMarked;
