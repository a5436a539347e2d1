package dev.workspacecache.sample.session;

/**
 * What a request read or wrote, with the version of the session it belongs to: the
 * session's version when it was read (taken before the value, so never newer than it), or
 * the version a write reached.
 *
 * @param <T> the value's type
 * @param value the value
 * @param version the version
 */
public record Versioned<T>(T value, long version) {

}
