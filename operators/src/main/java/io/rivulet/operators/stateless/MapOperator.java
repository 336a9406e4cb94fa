package io.rivulet.operators.stateless;

import io.rivulet.operators.Operator;
import io.rivulet.operators.Output;

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

    /**
     * @param fn the mapping function
     */
    public MapOperator(Function<? super I, ? extends O> fn) {
        this.fn = Objects.requireNonNull(fn, "fn");
    }

    @Override
    public void process(I record, Output<O> out) {
        O result = fn.apply(record);
        if (result == null) {
            throw new NullPointerException("map function returned null for record " + record);
        }
        out.emit(result);
    }
}
