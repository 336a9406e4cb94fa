package io.rivulet.operators.stateless;

import io.rivulet.operators.Operator;
import io.rivulet.operators.Output;
import io.rivulet.operators.function.FlatMapFunction;
import io.rivulet.operators.function.Sneaky;

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

    /**
     * @param fn the expanding function
     */
    public FlatMapOperator(FlatMapFunction<? super I, O> fn) {
        this.fn = Objects.requireNonNull(fn, "fn");
    }

    @Override
    public void process(I record, Output<O> out) {
        try {
            fn.flatMap(record, out);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw Sneaky.rethrow(e);
        }
    }
}
