package dev.workspacecache.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Qualifies the {@code RedisConnectionFactory} the workspace cache should use in
 * {@code valkey} mode, when it must not be the application's main one (for example a
 * separate Valkey for the cache). Without such a bean, the cache uses the application's
 * {@code RedisConnectionFactory}. <pre class="code">
 * &#64;Bean
 * &#64;WorkspaceCacheConnectionFactory
 * LettuceConnectionFactory workspaceCacheRedis() {
 *     return new LettuceConnectionFactory(new RedisStandaloneConfiguration("cache-host", 6379));
 * }
 * </pre>
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface WorkspaceCacheConnectionFactory {

}
