package dev.workspacecache.benchmarks;

import java.util.UUID;

/**
 * The keys {@link dev.workspacecache.valkey.ValkeyCache} writes, as its Javadoc and README
 * document them ({@code <prefix>{<uuid>}:meta|graph|files}), so that benchmarks can read the very
 * bytes it stored with raw commands.
 */
public final class OurKeyLayout {

	private OurKeyLayout() {
	}

	/**
	 * Return the overlay hash of a workspace: field = path, value = encoded entry.
	 * @param prefix the cache's key prefix
	 * @param id the workspace id
	 * @return the key
	 */
	public static byte[] overlay(String prefix, UUID id) {
		return Workloads.utf8(prefix + "{" + id + "}:files");
	}

	/**
	 * Return the snapshot key of a workspace.
	 * @param prefix the cache's key prefix
	 * @param id the workspace id
	 * @return the key
	 */
	public static byte[] snapshot(String prefix, UUID id) {
		return Workloads.utf8(prefix + "{" + id + "}:meta");
	}

	/**
	 * Return the graph key of a workspace.
	 * @param prefix the cache's key prefix
	 * @param id the workspace id
	 * @return the key
	 */
	public static byte[] graph(String prefix, UUID id) {
		return Workloads.utf8(prefix + "{" + id + "}:graph");
	}

}
