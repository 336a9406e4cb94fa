package io.rivulet.operators.stateless;

import io.rivulet.operators.Operator;
import io.rivulet.operators.Output;

import java.lang.invoke.MethodHandles;
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
    /** In a stage clone the exact class of its function, else {@link Predicate}. */
    private static final Class<?> FUNCTION = StageTargets.of(MethodHandles.lookup(), StageTargets.FUNCTION, Predicate.class);
    /** In a stage clone the exact class of the link its output goes to, else {@link Output}. */
    private static final Class<?> NEXT = StageTargets.of(MethodHandles.lookup(), StageTargets.NEXT, Output.class);

    /**
     * @param predicate which records to keep
     */
    public FilterOperator(Predicate<? super T> predicate) {
        this.predicate = Objects.requireNonNull(predicate, "predicate");
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(T record, Output<T> out) {
        if (((Predicate<? super T>) FUNCTION.cast(predicate)).test(record)) {
            ((Output<T>) NEXT.cast(out)).emit(record);
        }
    }
}
