package dev.workspacecache;

import java.util.Arrays;
import java.util.Objects;

/**
 * One file of a workspace overlay, relative to the workspace's base commit.
 * <p>
 * {@link Modified} and {@link Added} carry the file content inline so that a pod can
 * rebuild the overlay without another round trip. They have value semantics:
 * {@code equals} and {@code hashCode} compare the content bytes, content is copied in and
 * out, and {@code toString} shows the content size rather than the bytes.
 */
public sealed interface CachedOverlayEntry {

	/**
	 * An entry that carries file content: {@link Modified} or {@link Added}.
	 */
	sealed interface WithContent extends CachedOverlayEntry permits Modified, Added {

		/**
		 * Return a copy of the content.
		 * @return the content bytes
		 */
		byte[] content();

		/**
		 * Return the content hash.
		 * @return the hash
		 */
		String hash();

		/**
		 * Return the content size, without copying the content.
		 * @return the number of content bytes
		 */
		int size();

	}

	/**
	 * The file was modified relative to the base commit.
	 *
	 * @param content the new file content
	 * @param hash the content hash
	 */
	record Modified(byte[] content, String hash) implements WithContent {

		public Modified {
			content = Objects.requireNonNull(content, "content must not be null").clone();
			Objects.requireNonNull(hash, "hash must not be null");
		}

		/**
		 * Return a copy of the content.
		 * @return the content bytes
		 */
		@Override
		public byte[] content() {
			return this.content.clone();
		}

		@Override
		public int size() {
			return this.content.length;
		}

		@Override
		public boolean equals(Object other) {
			return (this == other) || (other instanceof Modified that && this.hash.equals(that.hash)
					&& Arrays.equals(this.content, that.content));
		}

		@Override
		public int hashCode() {
			return 31 * Arrays.hashCode(this.content) + this.hash.hashCode();
		}

		@Override
		public String toString() {
			return "Modified[size=" + this.content.length + ", hash=" + this.hash + "]";
		}

	}

	/**
	 * The file was added: it did not exist in the base commit.
	 *
	 * @param content the file content
	 * @param hash the content hash
	 */
	record Added(byte[] content, String hash) implements WithContent {

		public Added {
			content = Objects.requireNonNull(content, "content must not be null").clone();
			Objects.requireNonNull(hash, "hash must not be null");
		}

		/**
		 * Return a copy of the content.
		 * @return the content bytes
		 */
		@Override
		public byte[] content() {
			return this.content.clone();
		}

		@Override
		public int size() {
			return this.content.length;
		}

		@Override
		public boolean equals(Object other) {
			return (this == other) || (other instanceof Added that && this.hash.equals(that.hash)
					&& Arrays.equals(this.content, that.content));
		}

		@Override
		public int hashCode() {
			return 31 * Arrays.hashCode(this.content) + this.hash.hashCode();
		}

		@Override
		public String toString() {
			return "Added[size=" + this.content.length + ", hash=" + this.hash + "]";
		}

	}

	/**
	 * The file was deleted.
	 */
	record Deleted() implements CachedOverlayEntry {

	}

}
