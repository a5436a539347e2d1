package dev.workspacecache.sample.web;

/**
 * What {@code PUT /sessions/{id}/graph} stored.
 *
 * @param size the graph size in bytes
 * @param hash the SHA-256 of the graph, in hex
 */
public record GraphView(int size, String hash) {

}
