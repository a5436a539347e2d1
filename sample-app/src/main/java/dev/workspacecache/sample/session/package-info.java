/**
 * Live sessions: this pod's in-memory copy of each session (L1), the write-through of
 * every change to the shared {@link dev.workspacecache.WorkspaceCache} (L2), and the
 * recovery of sessions this pod does not hold.
 */
@NullMarked
package dev.workspacecache.sample.session;

import org.jspecify.annotations.NullMarked;
