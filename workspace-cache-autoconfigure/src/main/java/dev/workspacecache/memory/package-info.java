/**
 * An in-process {@link dev.workspacecache.WorkspaceCache} with the semantics of the
 * Valkey one, expiry included: {@link dev.workspacecache.memory.InMemoryWorkspaceCache}.
 */
@NullMarked
package dev.workspacecache.memory;

import org.jspecify.annotations.NullMarked;
