package io.rivulet.operators.stateless;

import io.rivulet.operators.Operator;
import io.rivulet.operators.Output;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Emits the records for which the predicate holds.
 *
 * <p>Not thread-safe; owned by the thread running its chain.
 *
 * @param <T> record type
 */
public final class FilterOperator<T> implements Operator<T, T> {
    private final Predicate<? super T> predicate;

    /**
     * @param predicate which records to keep
     */
    public FilterOperator(Predicate<? super T> predicate) {
        this.predicate = Objects.requireNonNull(predicate, "predicate");
    }

    @Override
    public void process(T record, Output<T> out) {
        if (predicate.test(record)) {
            out.emit(record);
        }
    }
}
