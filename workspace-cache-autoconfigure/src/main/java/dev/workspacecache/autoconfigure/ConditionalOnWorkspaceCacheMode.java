package dev.workspacecache.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.workspacecache.autoconfigure.WorkspaceCacheProperties.Mode;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when {@code workspace.cache.mode} binds to the given mode ({@code noop} when unset).
 * Binding, rather than comparing text as {@code @ConditionalOnProperty} does, accepts exactly the
 * spellings the properties accept ({@code valkey}, {@code VALKEY}, {@code Valkey}...), so a value
 * the application starts with always selects a cache.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnWorkspaceCacheModeCondition.class)
@interface ConditionalOnWorkspaceCacheMode {

	/**
	 * The mode the configuration is for.
	 * @return the mode
	 */
	Mode value();

}
