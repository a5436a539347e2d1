/**
 * A {@link dev.workspacecache.WorkspaceCache} stored in Valkey or Redis through Spring
 * Data Redis, shared by every pod of a service:
 * {@link dev.workspacecache.valkey.ValkeyCache}.
 */
@NullMarked
package dev.workspacecache.valkey;

import org.jspecify.annotations.NullMarked;
