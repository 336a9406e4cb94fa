package io.rivulet.operators.function;

import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Ready-made {@link AggregateFunction}s.
 */
public final class Aggregates {
    private Aggregates() {
    }

    /**
     * Counts records.
     *
     * @param <T> input type
     * @return a count aggregate
     */
    public static <T> AggregateFunction<T, long[], Long> count() {
        return sumLong(value -> 1L);
    }

    /**
     * Sums a long field.
     *
     * @param field extracts the value to sum
     * @param <T> input type
     * @return a sum aggregate
     */
    public static <T> AggregateFunction<T, long[], Long> sumLong(ToLongFunction<? super T> field) {
        Objects.requireNonNull(field, "field");
        return new AggregateFunction<>() {
            @Override
            public long[] createAccumulator() {
                return new long[1];
            }

            @Override
            public long[] add(long[] acc, T value) {
                acc[0] += field.applyAsLong(value);
                return acc;
            }

            @Override
            public long[] merge(long[] a, long[] b) {
                a[0] += b[0];
                return a;
            }

            @Override
            public Long result(long[] acc) {
                return acc[0];
            }
        };
    }

    /**
     * Averages a double field; the result of an empty group is {@code NaN}.
     *
     * @param field extracts the value to average
     * @param <T> input type
     * @return an average aggregate
     */
    public static <T> AggregateFunction<T, double[], Double> average(ToDoubleFunction<? super T> field) {
        Objects.requireNonNull(field, "field");
        return new AggregateFunction<>() {
            @Override
            public double[] createAccumulator() {
                return new double[2];
            }

            @Override
            public double[] add(double[] acc, T value) {
                acc[0] += field.applyAsDouble(value);
                acc[1]++;
                return acc;
            }

            @Override
            public double[] merge(double[] a, double[] b) {
                a[0] += b[0];
                a[1] += b[1];
                return a;
            }

            @Override
            public Double result(double[] acc) {
                return acc[1] == 0 ? Double.NaN : acc[0] / acc[1];
            }
        };
    }
}
