package dev.workspacecache.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import dev.workspacecache.CachedOverlayEntry;
import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.testsupport.SpringCoreSources;

/**
 * Workloads of real source code, for the compression scenario: the files of spring-core's
 * sources jar ({@link SpringCoreSources}), whole, one workspace per package, or cut to
 * one size, as {@link Workloads} makes random ones.
 */
final class RealSourceWorkloads {

	private RealSourceWorkloads() {
	}

	/**
	 * Return one workspace per package of the sources, every file whole, with a snapshot
	 * and no graph.
	 * @return the workspaces, in package order
	 */
	static List<CachedWorkspace> packages() {
		List<CachedWorkspace> workspaces = new ArrayList<>();
		for (SortedMap<String, byte[]> files : SpringCoreSources.packages().values()) {
			Map<String, CachedOverlayEntry> overlay = new LinkedHashMap<>();
			files.forEach((path, content) -> overlay.put(path, modified(content)));
			workspaces.add(CachedWorkspace.of(Workloads.snapshot(), overlay, null));
		}
		return workspaces;
	}

	/**
	 * Return {@code files} source files cut to their first {@code size} bytes, from the
	 * files at least that long, in path order.
	 * @param files the number of files
	 * @param size the content size of each
	 * @return the entries by path
	 */
	static Map<String, CachedOverlayEntry> overlay(int files, int size) {
		Map<String, CachedOverlayEntry> overlay = new LinkedHashMap<>();
		for (SortedMap<String, byte[]> sourcePackage : SpringCoreSources.packages().values()) {
			for (Map.Entry<String, byte[]> file : sourcePackage.entrySet()) {
				if (file.getValue().length >= size) {
					overlay.put(file.getKey(), modified(Arrays.copyOf(file.getValue(), size)));
					if (overlay.size() == files) {
						return overlay;
					}
				}
			}
		}
		throw new IllegalStateException("Only " + overlay.size() + " source files of at least " + size + " bytes");
	}

	private static CachedOverlayEntry.Modified modified(byte[] content) {
		return new CachedOverlayEntry.Modified(content, Workloads.hash(content));
	}

}
