package dev.workspacecache.sample.web;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import dev.workspacecache.NoOpCache;
import dev.workspacecache.WorkspaceCache;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RequestBodyReaderTests {

	private final RequestBodyReader reader = new RequestBodyReader(cacheWithMaxEntrySize(8));

	@Test
	void readsABodyUpToTheLimit() throws IOException {
		assertThat(this.reader.read(request(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 8), "Body")).hasSize(8);
		assertThat(this.reader.read(request(new byte[0], 0), "Body")).isEmpty();
	}

	@Test
	void rejectsADeclaredLengthOverTheLimitWithoutReading() throws IOException {
		MockHttpServletRequest request = request(new byte[] { 42 }, 1L << 40);
		assertThatExceptionOfType(PayloadTooLargeException.class).isThrownBy(() -> this.reader.read(request, "File"))
			.withMessage("File is 1099511627776 bytes, over the limit of 8 bytes set by "
					+ "workspace.cache.max-entry-size.");
		assertThat(request.getInputStream().read()).isEqualTo(42);
	}

	@Test
	void rejectsABodyOfUndeclaredLengthOverTheLimit() {
		assertThatExceptionOfType(PayloadTooLargeException.class)
			.isThrownBy(() -> this.reader.read(request(new byte[9], -1), "The graph"))
			.withMessageStartingWith("The graph is more than 8 bytes")
			.satisfies((ex) -> assertThat(ex.getMaxBytes()).isEqualTo(8));
	}

	@Test
	void readsABodyOfUndeclaredLengthUpToTheLimit() throws IOException {
		assertThat(this.reader.read(request(new byte[8], -1), "Body")).hasSize(8);
	}

	@Test
	void limitsOverTheLargestArrayAreCapped() throws IOException {
		RequestBodyReader huge = new RequestBodyReader(cacheWithMaxEntrySize(1L << 40));
		assertThat(huge.read(request(new byte[3], -1), "Body")).hasSize(3);
	}

	private static WorkspaceCache cacheWithMaxEntrySize(long bytes) {
		// The limit comes from the cache bean, whichever cache it is.
		return new NoOpCache(bytes);
	}

	/**
	 * Return a request with the given body, declaring the given content length
	 * ({@code -1} for none, as with chunked transfer encoding).
	 */
	private static MockHttpServletRequest request(byte[] body, long declaredLength) {
		MockHttpServletRequest request = new MockHttpServletRequest() {

			@Override
			public long getContentLengthLong() {
				return declaredLength;
			}

		};
		request.setContent(body);
		return request;
	}

}
