package dev.workspacecache.autoconfigure;

import java.util.Locale;

import dev.workspacecache.autoconfigure.WorkspaceCacheProperties.Mode;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition behind {@link ConditionalOnWorkspaceCacheMode}. An unparseable mode matches no
 * configuration; binding {@link WorkspaceCacheProperties} then fails startup with a report
 * ({@link InvalidWorkspaceCachePropertyFailureAnalyzer}).
 */
class OnWorkspaceCacheModeCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Mode required = metadata.getAnnotations().get(ConditionalOnWorkspaceCacheMode.class).getEnum("value", Mode.class);
		ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnWorkspaceCacheMode.class,
				required.name().toLowerCase(Locale.ROOT));
		Mode mode;
		try {
			mode = Binder.get(context.getEnvironment())
				.bind(WorkspaceCacheProperties.MODE_PROPERTY, Mode.class)
				.orElse(Mode.NOOP);
		}
		catch (BindException ex) {
			return ConditionOutcome.noMatch(message.because(WorkspaceCacheProperties.MODE_PROPERTY
					+ " has a value that is not a mode"));
		}
		String found = WorkspaceCacheProperties.MODE_PROPERTY + " is "
				+ mode.name().toLowerCase(Locale.ROOT);
		return (mode == required) ? ConditionOutcome.match(message.because(found))
				: ConditionOutcome.noMatch(message.because(found));
	}

}
