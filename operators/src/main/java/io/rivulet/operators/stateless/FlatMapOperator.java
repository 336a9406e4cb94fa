package io.rivulet.operators.stateless;

import io.rivulet.operators.Operator;
import io.rivulet.operators.Output;
import io.rivulet.operators.function.FlatMapFunction;
import io.rivulet.operators.function.Sneaky;

import java.lang.invoke.MethodHandles;
import java.util.Objects;

/**
 * Emits the zero or more records the function produces for each record.
 *
 * <p>Not thread-safe; owned by the thread running its chain.
 *
 * @param <I> input type
 * @param <O> output type
 */
public final class FlatMapOperator<I, O> implements Operator<I, O> {
    private final FlatMapFunction<? super I, O> fn;
    /** In a stage clone the exact class of its function, else {@link FlatMapFunction}. */
    private static final Class<?> FUNCTION = StageTargets.of(MethodHandles.lookup(), StageTargets.FUNCTION, FlatMapFunction.class);
    /** In a stage clone the exact class of the link its output goes to, else {@link Output}. */
    private static final Class<?> NEXT = StageTargets.of(MethodHandles.lookup(), StageTargets.NEXT, Output.class);

    /**
     * @param fn the expanding function
     */
    public FlatMapOperator(FlatMapFunction<? super I, O> fn) {
        this.fn = Objects.requireNonNull(fn, "fn");
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(I record, Output<O> out) {
        try {
            ((FlatMapFunction<? super I, O>) FUNCTION.cast(fn)).flatMap(record, (Output<O>) NEXT.cast(out));
        } catch (Exception e) {
            throw Sneaky.rethrow(e);
        }
    }
}
