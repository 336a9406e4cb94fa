package io.rivulet.operators.stateless;

import io.rivulet.operators.Operator;
import io.rivulet.operators.Output;

import java.lang.invoke.MethodHandles;
import java.util.Objects;
import java.util.function.Function;

/**
 * Emits {@code fn(record)} for every record. A {@code null} result fails the query: streams carry
 * no null records.
 *
 * <p>Not thread-safe; owned by the thread running its chain.
 *
 * @param <I> input type
 * @param <O> output type
 */
public final class MapOperator<I, O> implements Operator<I, O> {
    private final Function<? super I, ? extends O> fn;
    /** In a stage clone the exact class of its function, else {@link Function}. */
    private static final Class<?> FUNCTION = StageTargets.of(MethodHandles.lookup(), StageTargets.FUNCTION, Function.class);
    /** In a stage clone the exact class of the link its output goes to, else {@link Output}. */
    private static final Class<?> NEXT = StageTargets.of(MethodHandles.lookup(), StageTargets.NEXT, Output.class);

    /**
     * @param fn the mapping function
     */
    public MapOperator(Function<? super I, ? extends O> fn) {
        this.fn = Objects.requireNonNull(fn, "fn");
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(I record, Output<O> out) {
        O result = ((Function<? super I, ? extends O>) FUNCTION.cast(fn)).apply(record);
        if (result == null) {
            throw new NullPointerException("map function returned null for record " + record);
        }
        ((Output<O>) NEXT.cast(out)).emit(result);
    }
}
