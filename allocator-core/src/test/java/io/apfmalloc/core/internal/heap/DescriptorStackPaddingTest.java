package io.apfmalloc.core.internal.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The head of each partial list is padded by inheritance (the JVM lays superclass fields first): at least 120 bytes
 * of padding on each side keep two adjacent stacks' heads off one cache line pair, even with adjacent-line prefetch.
 */
class DescriptorStackPaddingTest {
    private static long paddingBytes(Class<?> type) {
        return Arrays.stream(type.getDeclaredFields())
            .filter(field -> !Modifier.isStatic(field.getModifiers()) && field.getType() == long.class)
            .count() * Long.BYTES;
    }

    @Test
    void headSitsBetweenTwoPaddingClasses() throws NoSuchFieldException {
        Class<?> rightPad = DescriptorStack.class.getSuperclass();
        Class<?> head = rightPad.getSuperclass();
        Class<?> leftPad = head.getSuperclass();
        Field headField = head.getDeclaredField("head");
        assertEquals(long.class, headField.getType());
        assertEquals(1, head.getDeclaredFields().length, "the head class holds the head alone");
        assertTrue(paddingBytes(leftPad) >= 120, "left padding: " + paddingBytes(leftPad));
        assertTrue(paddingBytes(rightPad) >= 120, "right padding: " + paddingBytes(rightPad));
        assertEquals(Object.class, leftPad.getSuperclass());
    }
}
