/**
 * What the tests of every module share: real {@code redis-server}/{@code valkey-server}
 * processes in every topology, packaged applications run as separate JVMs, free ports,
 * process logs, raw connections to inspect a server, and test values.
 */
@NullMarked
package dev.workspacecache.testsupport;

import org.jspecify.annotations.NullMarked;
