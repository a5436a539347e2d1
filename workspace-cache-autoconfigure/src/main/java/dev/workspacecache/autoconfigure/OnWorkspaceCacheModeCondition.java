package dev.workspacecache.autoconfigure;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.workspacecache.autoconfigure.WorkspaceCacheProperties.Mode;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition behind {@link ConditionalOnWorkspaceCacheMode}. An unparseable mode
 * matches no configuration; binding {@link WorkspaceCacheProperties} then fails startup
 * with a report ({@link InvalidWorkspaceCachePropertyFailureAnalyzer}).
 */
class OnWorkspaceCacheModeCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Mode[] accepted = metadata.getAnnotations()
			.get(ConditionalOnWorkspaceCacheMode.class)
			.getEnumArray("value", Mode.class);
		ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnWorkspaceCacheMode.class,
				Arrays.stream(accepted).map(OnWorkspaceCacheModeCondition::name).collect(Collectors.joining(" or ")));
		Mode mode;
		try {
			mode = Mode.of(context.getEnvironment());
		}
		catch (BindException ex) {
			return ConditionOutcome
				.noMatch(message.because(WorkspaceCacheProperties.MODE_PROPERTY + " has a value that is not a mode"));
		}
		String found = WorkspaceCacheProperties.MODE_PROPERTY + " is " + name(mode);
		return Arrays.asList(accepted).contains(mode) ? ConditionOutcome.match(message.because(found))
				: ConditionOutcome.noMatch(message.because(found));
	}

	private static String name(Mode mode) {
		return mode.name().toLowerCase(Locale.ROOT);
	}

}
