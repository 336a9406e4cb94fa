/**
 * Interfaces for user functions that operators call. Where the JDK already has the shape
 * ({@link java.util.function.Function} for map and keyBy, {@link java.util.function.Predicate}
 * for filter) Rivulet uses it; the interfaces here cover the shapes it lacks.
 *
 * <p>A user function that throws fails its query with that exception as the cause.
 */
package io.rivulet.operators.function;
