package io.rivulet.operators.window;

import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.function.Sneaky;

/**
 * Calls a user's {@link AggregateFunction#add} for the window operators and the pre-aggregator, whose record paths
 * declare no checked exception: the user's exception, checked or not, leaves unchanged (no wrapper), so the query fails
 * with it as its cause.
 */
final class UserAggregates {
    private UserAggregates() {
    }

    static <T, A> A add(AggregateFunction<? super T, A, ?> fn, A accumulator, T record) {
        try {
            return fn.add(accumulator, record);
        } catch (Exception e) {
            throw Sneaky.rethrow(e);
        }
    }
}
