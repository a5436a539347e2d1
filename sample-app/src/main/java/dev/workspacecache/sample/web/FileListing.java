package dev.workspacecache.sample.web;

import java.util.List;
import java.util.UUID;

/**
 * The overlay of a session, as {@code GET /sessions/{id}/files} returns it.
 *
 * @param sessionId the session id
 * @param files the files, by path in lexicographic order, deleted ones included
 */
public record FileListing(UUID sessionId, List<FileView> files) {

}
