package io.apfmalloc.core.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a stress test: many real threads hammering the allocator for seconds, to catch races, lost blocks and
 * overshot limits that only real scheduling shows. Such tests carry the JUnit tag {@value #TAG} and run in a surefire
 * execution of their own ({@code stress-tests}, after the plain tests), so that the plain tests stay quick and a
 * stress run does not share its JVM with them; {@code -DexcludedGroups=stress} skips them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag(Stress.TAG)
public @interface Stress {
    /** The JUnit tag, as the build's surefire executions name it. */
    String TAG = "stress";
}
