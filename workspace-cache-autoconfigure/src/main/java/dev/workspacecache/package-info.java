/**
 * The {@link dev.workspacecache.WorkspaceCache} contract: an L2 cache of session
 * workspace state (snapshot, overlay of changed files, session graph) shared by the pods
 * of a service, and its no-op default.
 */
@NullMarked
package dev.workspacecache;

import org.jspecify.annotations.NullMarked;
