package io.rivulet.operators.process;

import io.rivulet.operators.Output;

/**
 * Resolves a side output's tag to where its records go; given to a {@link KeyedProcessOperator} by
 * whoever wires the plan. The operator resolves each tag once and caches the result.
 */
@FunctionalInterface
public interface SideOutputs {
    /** Resolves nothing: any side output fails. */
    SideOutputs NONE = new SideOutputs() {
        @Override
        public <X> Output<X> outputFor(OutputTag<X> tag) {
            return null;
        }
    };

    /**
     * @param tag a tag
     * @param <X> its record type
     * @return where its records go, or {@code null} if this plan has no such side output
     */
    <X> Output<X> outputFor(OutputTag<X> tag);
}
