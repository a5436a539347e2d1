/**
 * Micrometer Observation instrumentation of every
 * {@link dev.workspacecache.WorkspaceCache} call: the context, conventions and documented
 * key names of the {@code workspace.cache.operations} observation, and the handler that
 * records the bytes each call read or wrote.
 */
@NullMarked
package dev.workspacecache.observation;

import org.jspecify.annotations.NullMarked;
