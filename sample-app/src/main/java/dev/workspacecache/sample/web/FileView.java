package dev.workspacecache.sample.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.sample.session.OverlayEntries;
import org.jspecify.annotations.Nullable;

/**
 * A file of a session's overlay as the API shows it, without its content.
 *
 * @param path the file path
 * @param kind {@code Added}, {@code Modified} or {@code Deleted}
 * @param size the content size in bytes; absent for {@code Deleted}
 * @param hash the SHA-256 of the content, in hex; absent for {@code Deleted}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileView(String path, String kind, @Nullable Integer size, @Nullable String hash) {

	static FileView of(String path, CachedOverlayEntry entry) {
		return new FileView(path, OverlayEntries.kind(entry), OverlayEntries.size(entry), OverlayEntries.hash(entry));
	}

}
