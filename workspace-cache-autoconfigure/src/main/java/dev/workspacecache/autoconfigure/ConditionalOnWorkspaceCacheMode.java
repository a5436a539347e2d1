package dev.workspacecache.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.workspacecache.autoconfigure.WorkspaceCacheProperties.Mode;

import org.springframework.context.annotation.Conditional;

/**
 * {@link Conditional @Conditional} that matches when {@code workspace.cache.mode} binds
 * to one of the given modes ({@code noop} when unset): the one way to decide on the mode,
 * for the library's own configurations and for an application's beans alike.
 * <p>
 * Binding, rather than comparing text as {@code @ConditionalOnProperty} does, accepts
 * exactly the spellings the properties accept ({@code valkey}, {@code VALKEY},
 * {@code Val_Key}...), so a bean conditional on a mode always agrees with the cache the
 * library built. <pre class="code">
 * &#064;Component
 * &#064;ConditionalOnWorkspaceCacheMode(Mode.VALKEY)
 * class SharedSessionRecovery { ... }
 * </pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnWorkspaceCacheModeCondition.class)
public @interface ConditionalOnWorkspaceCacheMode {

	/**
	 * The modes the configuration is for: it matches when the mode is any of them.
	 * @return the modes
	 */
	Mode[] value();

}
