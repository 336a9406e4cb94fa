package io.rivulet.operators.function;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Ready-made {@link AggregateFunction}s.
 *
 * <p>Their accumulators are mutable ({@code add} and {@code merge} update and return their first
 * argument), so adding a record allocates nothing. Results of a group without records: count and
 * sums are 0, {@link #average} is {@code NaN}; min, max, first and last are {@code null} (Spark's
 * SQL {@code NULL} for an empty group). Windowed operators never emit an empty group.
 *
 * <p>Doubles compare as {@link Double#compare} does, which is Spark's order too: {@code NaN} is
 * greater than every other value (so {@code max} of a group holding {@code NaN} is {@code NaN}, and
 * {@code min} ignores it unless every value is {@code NaN}), and {@code -0.0 < 0.0}.
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

    /**
     * Sums a double field, adding in arrival order.
     *
     * @param field extracts the value to sum
     * @param <T> input type
     * @return a sum aggregate; 0.0 for an empty group
     */
    public static <T> AggregateFunction<T, double[], Double> sumDouble(ToDoubleFunction<? super T> field) {
        Objects.requireNonNull(field, "field");
        return new AggregateFunction<>() {
            @Override
            public double[] createAccumulator() {
                return new double[1];
            }

            @Override
            public double[] add(double[] acc, T value) {
                acc[0] += field.applyAsDouble(value);
                return acc;
            }

            @Override
            public double[] merge(double[] a, double[] b) {
                a[0] += b[0];
                return a;
            }

            @Override
            public Double result(double[] acc) {
                return acc[0];
            }
        };
    }

    /**
     * Smallest value of a double field.
     *
     * @param field extracts the value
     * @param <T> input type
     * @return a min aggregate; {@code null} for an empty group
     */
    public static <T> AggregateFunction<T, double[], Double> minDouble(ToDoubleFunction<? super T> field) {
        return extremeDouble(field, -1);
    }

    /**
     * Largest value of a double field.
     *
     * @param field extracts the value
     * @param <T> input type
     * @return a max aggregate; {@code null} for an empty group
     */
    public static <T> AggregateFunction<T, double[], Double> maxDouble(ToDoubleFunction<? super T> field) {
        return extremeDouble(field, 1);
    }

    /**
     * Smallest value of a long field.
     *
     * @param field extracts the value
     * @param <T> input type
     * @return a min aggregate; {@code null} for an empty group
     */
    public static <T> AggregateFunction<T, long[], Long> minLong(ToLongFunction<? super T> field) {
        return extremeLong(field, -1);
    }

    /**
     * Largest value of a long field.
     *
     * @param field extracts the value
     * @param <T> input type
     * @return a max aggregate; {@code null} for an empty group
     */
    public static <T> AggregateFunction<T, long[], Long> maxLong(ToLongFunction<? super T> field) {
        return extremeLong(field, 1);
    }

    /**
     * The value of the group's first record, in arrival order. When two groups merge (sessions),
     * the first argument of {@code merge} (the earlier session) wins.
     *
     * @param field extracts the value
     * @param <T> input type
     * @param <V> value type
     * @return a first aggregate; {@code null} for an empty group
     */
    public static <T, V> AggregateFunction<T, Object[], V> first(Function<? super T, ? extends V> field) {
        return firstOrLast(field, true);
    }

    /**
     * The value of the group's last record, in arrival order. When two groups merge (sessions),
     * the second argument of {@code merge} (the later session) wins if it holds a value.
     *
     * @param field extracts the value
     * @param <T> input type
     * @param <V> value type
     * @return a last aggregate; {@code null} for an empty group
     */
    public static <T, V> AggregateFunction<T, Object[], V> last(Function<? super T, ? extends V> field) {
        return firstOrLast(field, false);
    }

    /**
     * Computes several aggregates over one grouping in one pass, like Spark's
     * {@code agg(count("*"), sum("qty"), ...)}. The accumulator holds each aggregate's accumulator;
     * the result is an unmodifiable list of their results, in the order given (elements may be
     * {@code null}, e.g. the min of an empty group).
     *
     * @param fns the aggregates; at least one
     * @param <T> input type
     * @return the combined aggregate
     * @throws IllegalArgumentException if {@code fns} is empty
     */
    @SafeVarargs
    public static <T> AggregateFunction<T, Object[], List<Object>> of(AggregateFunction<? super T, ?, ?>... fns) {
        Objects.requireNonNull(fns, "fns");
        if (fns.length == 0) {
            throw new IllegalArgumentException("fns must hold at least one aggregate");
        }
        @SuppressWarnings("unchecked")
        AggregateFunction<T, Object, Object>[] parts = new AggregateFunction[fns.length];
        for (int i = 0; i < fns.length; i++) {
            @SuppressWarnings("unchecked")
            AggregateFunction<T, Object, Object> part =
                (AggregateFunction<T, Object, Object>) Objects.requireNonNull(fns[i], "fns[" + i + "]");
            parts[i] = part;
        }
        return new AggregateFunction<>() {
            @Override
            public Object[] createAccumulator() {
                Object[] acc = new Object[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    acc[i] = parts[i].createAccumulator();
                }
                return acc;
            }

            @Override
            public Object[] add(Object[] acc, T value) throws Exception {
                for (int i = 0; i < parts.length; i++) {
                    acc[i] = parts[i].add(acc[i], value);
                }
                return acc;
            }

            @Override
            public Object[] merge(Object[] a, Object[] b) {
                for (int i = 0; i < parts.length; i++) {
                    a[i] = parts[i].merge(a[i], b[i]);
                }
                return a;
            }

            @Override
            public List<Object> result(Object[] acc) {
                Object[] results = new Object[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    results[i] = parts[i].result(acc[i]);
                }
                return Collections.unmodifiableList(Arrays.asList(results));
            }
        };
    }

    /** {@code sign} -1: keeps the smallest value; 1: the largest. Accumulator: value, count. */
    private static <T> AggregateFunction<T, double[], Double> extremeDouble(ToDoubleFunction<? super T> field, int sign) {
        Objects.requireNonNull(field, "field");
        return new AggregateFunction<>() {
            @Override
            public double[] createAccumulator() {
                return new double[2];
            }

            @Override
            public double[] add(double[] acc, T value) {
                keep(acc, field.applyAsDouble(value));
                acc[1]++;
                return acc;
            }

            @Override
            public double[] merge(double[] a, double[] b) {
                if (b[1] != 0) {
                    keep(a, b[0]);
                    a[1] += b[1];
                }
                return a;
            }

            private void keep(double[] acc, double candidate) {
                if (acc[1] == 0 || Integer.signum(Double.compare(candidate, acc[0])) == sign) {
                    acc[0] = candidate;
                }
            }

            @Override
            public Double result(double[] acc) {
                return acc[1] == 0 ? null : acc[0];
            }
        };
    }

    /** {@code sign} -1: keeps the smallest value; 1: the largest. Accumulator: value, count. */
    private static <T> AggregateFunction<T, long[], Long> extremeLong(ToLongFunction<? super T> field, int sign) {
        Objects.requireNonNull(field, "field");
        return new AggregateFunction<>() {
            @Override
            public long[] createAccumulator() {
                return new long[2];
            }

            @Override
            public long[] add(long[] acc, T value) {
                keep(acc, field.applyAsLong(value));
                acc[1]++;
                return acc;
            }

            @Override
            public long[] merge(long[] a, long[] b) {
                if (b[1] != 0) {
                    keep(a, b[0]);
                    a[1] += b[1];
                }
                return a;
            }

            private void keep(long[] acc, long candidate) {
                if (acc[1] == 0 || Integer.signum(Long.compare(candidate, acc[0])) == sign) {
                    acc[0] = candidate;
                }
            }

            @Override
            public Long result(long[] acc) {
                return acc[1] == 0 ? null : acc[0];
            }
        };
    }

    /** Accumulator: {@code [value, Boolean.TRUE once a value is held]}. */
    private static <T, V> AggregateFunction<T, Object[], V> firstOrLast(Function<? super T, ? extends V> field, boolean first) {
        Objects.requireNonNull(field, "field");
        return new AggregateFunction<>() {
            @Override
            public Object[] createAccumulator() {
                return new Object[2];
            }

            @Override
            public Object[] add(Object[] acc, T value) {
                if (!first || acc[1] == null) {
                    acc[0] = field.apply(value);
                    acc[1] = Boolean.TRUE;
                }
                return acc;
            }

            @Override
            public Object[] merge(Object[] a, Object[] b) {
                if (b[1] != null && (a[1] == null || !first)) {
                    a[0] = b[0];
                    a[1] = Boolean.TRUE;
                }
                return a;
            }

            @Override
            @SuppressWarnings("unchecked")
            public V result(Object[] acc) {
                return (V) acc[0];
            }
        };
    }
}
