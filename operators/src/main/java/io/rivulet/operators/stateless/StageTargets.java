package io.rivulet.operators.stateless;

import java.lang.constant.ConstantDescs;
import java.lang.invoke.MethodHandles;
import java.util.List;

/**
 * The classes a stateless operator's per-record calls reach, for the engine's stage clones (hidden
 * classes defined from an operator's bytes, one per shape of stage, whose class data is the shape: the
 * template, then its user function's class, then the class of the link its output goes to).
 *
 * <p>An operator keeps them in {@code static final} fields and casts the field or parameter it calls
 * through with {@link Class#cast}: in a clone the constant is the exact class, so the JIT binds the call
 * without a type profile; in the class itself (no class data) it is the declared type, and the cast
 * costs nothing. Stateless; thread-safe.
 */
final class StageTargets {
    /** Shape position of the user function's class. */
    static final int FUNCTION = 1;
    /** Shape position of the next link's class. */
    static final int NEXT = 2;

    private StageTargets() {
    }

    /**
     * @param lookup the calling class's own lookup, from its static initialiser
     * @param index {@link #FUNCTION} or {@link #NEXT}
     * @param fallback the declared type, used outside a clone
     * @return the shape's class at {@code index}, or {@code fallback} when the caller is not a clone
     * @throws IllegalStateException if the class data cannot be read or has no such index
     */
    static Class<?> of(MethodHandles.Lookup lookup, int index, Class<?> fallback) {
        List<?> shape;
        try {
            shape = MethodHandles.classData(lookup, ConstantDescs.DEFAULT_NAME, List.class);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read the class data of " + lookup.lookupClass().getName(), e);
        }
        if (shape == null) {
            return fallback;
        }
        if (index >= shape.size()) {
            throw new IllegalStateException("shape of " + lookup.lookupClass().getName() + " has no class at " + index
                + ": " + shape);
        }
        return (Class<?>) shape.get(index);
    }
}
