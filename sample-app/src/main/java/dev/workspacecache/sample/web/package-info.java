/**
 * The JSON/HTTP API of the sample: sessions, their files and graph, and the mapping of
 * every failure to an RFC 9457 problem response.
 */
@NullMarked
package dev.workspacecache.sample.web;

import org.jspecify.annotations.NullMarked;
