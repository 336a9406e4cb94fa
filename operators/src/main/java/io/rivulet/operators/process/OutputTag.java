package io.rivulet.operators.process;

import java.util.Objects;

/**
 * A typed, named side output of a {@link KeyedProcessFunction}: records sent to it with
 * {@link KeyedProcessFunction.Context#output} go to the {@link io.rivulet.operators.Output} the
 * operator's {@link SideOutputs} resolves it to, not to the main output. Tags are equal by name.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <X> type of the records sent to it
 */
public final class OutputTag<X> {
    private final String name;

    /**
     * @param name the side output's name; non-empty
     */
    public OutputTag(String name) {
        if (Objects.requireNonNull(name, "name").isEmpty()) {
            throw new IllegalArgumentException("output tag name must be non-empty");
        }
        this.name = name;
    }

    /**
     * @param name the side output's name; non-empty
     * @param <X> type of its records
     * @return a tag
     */
    public static <X> OutputTag<X> of(String name) {
        return new OutputTag<>(name);
    }

    /** @return the name */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputTag<?> t && t.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "OutputTag(" + name + ")";
    }
}
