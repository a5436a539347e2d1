package dev.workspacecache.sample.web;

import java.util.UUID;

import dev.workspacecache.sample.session.FileNotInSessionException;
import dev.workspacecache.sample.session.GraphNotSetException;
import dev.workspacecache.sample.session.InvalidFilePathException;
import dev.workspacecache.sample.session.SessionRecoveryFailedException;
import dev.workspacecache.sample.session.SessionVersionConflictException;
import dev.workspacecache.sample.session.UnknownSessionException;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure of a request into an RFC 9457 problem
 * ({@code application/problem+json}): the sample's own exceptions here, Spring MVC's
 * (malformed JSON, unknown URL, wrong method...) through
 * {@link ResponseEntityExceptionHandler}. Bodies say what was wrong and never carry a
 * stack trace.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	@ExceptionHandler
	ProblemDetail unknownSession(UnknownSessionException ex) {
		return problem(HttpStatus.NOT_FOUND, "Unknown session", ex.getMessage(), ex.getSessionId());
	}

	@ExceptionHandler
	ProblemDetail recoveryFailed(SessionRecoveryFailedException ex) {
		return problem(HttpStatus.SERVICE_UNAVAILABLE, "Shared cache unavailable", ex.getMessage(), ex.getSessionId());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> versionConflict(SessionVersionConflictException ex) {
		ProblemDetail problem = problem(HttpStatus.CONFLICT, "Session changed", ex.getMessage(), ex.getSessionId());
		problem.setProperty("currentVersion", ex.getCurrentVersion());
		return ResponseEntity.status(HttpStatus.CONFLICT)
			.eTag(SessionVersionTags.etag(ex.getCurrentVersion()))
			.body(problem);
	}

	@ExceptionHandler
	ProblemDetail fileNotInSession(FileNotInSessionException ex) {
		ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "File not found", ex.getMessage(), ex.getSessionId());
		problem.setProperty("path", ex.getPath());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail graphNotSet(GraphNotSetException ex) {
		return problem(HttpStatus.NOT_FOUND, "No graph", ex.getMessage(), ex.getSessionId());
	}

	@ExceptionHandler
	ProblemDetail invalidFilePath(InvalidFilePathException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid file path", ex.getMessage(), null);
		problem.setProperty("path", ex.getPath());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail invalidCreateRequest(InvalidCreateSessionRequestException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid session request", ex.getMessage(), null);
		problem.setProperty("errors", ex.getErrors());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail payloadTooLarge(PayloadTooLargeException ex) {
		ProblemDetail problem = problem(HttpStatus.CONTENT_TOO_LARGE, "Content too large", ex.getMessage(), null);
		problem.setProperty("maxBytes", ex.getMaxBytes());
		return problem;
	}

	/**
	 * Say which path variable is malformed in terms of the API, rather than Spring's
	 * "Failed to convert 'id' with value...".
	 */
	@Override
	protected @Nullable ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		if (ex instanceof MethodArgumentTypeMismatchException mismatch && mismatch.getRequiredType() == UUID.class) {
			ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Malformed session id", "'" + mismatch.getValue()
					+ "' is not a session id: session ids are UUIDs such as " + "123e4567-e89b-12d3-a456-426614174000.",
					null);
			return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
		}
		return super.handleTypeMismatch(ex, headers, status, request);
	}

	private static ProblemDetail problem(HttpStatus status, String title, @Nullable String detail,
			@Nullable UUID sessionId) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		if (sessionId != null) {
			problem.setProperty("sessionId", sessionId);
		}
		return problem;
	}

}
