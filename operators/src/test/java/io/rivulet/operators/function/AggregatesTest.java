package io.rivulet.operators.function;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AggregatesTest {
    record Trade(String symbol, double price, long qty) {
    }

    @SafeVarargs
    private static <T, A, R> R run(AggregateFunction<T, A, R> fn, T... values) throws Exception {
        A acc = fn.createAccumulator();
        for (T value : values) {
            acc = fn.add(acc, value);
        }
        return fn.result(acc);
    }

    /** Splits the values into two groups, aggregates each, merges the second into the first. */
    @SafeVarargs
    private static <T, A, R> R runMerged(AggregateFunction<T, A, R> fn, int split, T... values) throws Exception {
        A left = fn.createAccumulator();
        A right = fn.createAccumulator();
        for (int i = 0; i < values.length; i++) {
            if (i < split) {
                left = fn.add(left, values[i]);
            } else {
                right = fn.add(right, values[i]);
            }
        }
        return fn.result(fn.merge(left, right));
    }

    @Test
    void shouldComputeMinAndMaxOfDoubleAndLongFields() throws Exception {
        Trade[] trades = {new Trade("A", 3.5, 7), new Trade("B", -1.0, 2), new Trade("C", 9.0, 5)};
        assertThat(run(Aggregates.minDouble(Trade::price), trades)).isEqualTo(-1.0);
        assertThat(run(Aggregates.maxDouble(Trade::price), trades)).isEqualTo(9.0);
        assertThat(run(Aggregates.minLong(Trade::qty), trades)).isEqualTo(2L);
        assertThat(run(Aggregates.maxLong(Trade::qty), trades)).isEqualTo(7L);
        assertThat(runMerged(Aggregates.minDouble(Trade::price), 2, trades)).isEqualTo(-1.0);
        assertThat(runMerged(Aggregates.maxLong(Trade::qty), 1, trades)).isEqualTo(7L);
        assertThat(runMerged(Aggregates.maxLong(Trade::qty), 0, trades)).isEqualTo(7L);
        assertThat(runMerged(Aggregates.minLong(Trade::qty), 3, trades)).isEqualTo(2L);
    }

    @Test
    void shouldReturnNullForMinMaxFirstLastOfEmptyGroupAndNanForAverage() throws Exception {
        assertThat(run(Aggregates.<Trade>minDouble(Trade::price))).isNull();
        assertThat(run(Aggregates.<Trade>maxLong(Trade::qty))).isNull();
        assertThat(run(Aggregates.<Trade, String>first(Trade::symbol))).isNull();
        assertThat(run(Aggregates.<Trade, String>last(Trade::symbol))).isNull();
        assertThat(run(Aggregates.<Trade>average(Trade::price))).isNaN();
        assertThat(run(Aggregates.<Trade>sumDouble(Trade::price))).isEqualTo(0.0);
    }

    @Test
    void shouldOrderNanAboveEveryNumberAsSparkDoes() throws Exception {
        Trade[] trades = {new Trade("A", Double.NaN, 1), new Trade("B", 2.0, 1), new Trade("C", Double.NEGATIVE_INFINITY, 1)};
        assertThat(run(Aggregates.maxDouble(Trade::price), trades)).isNaN();
        assertThat(run(Aggregates.minDouble(Trade::price), trades)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(run(Aggregates.minDouble(Trade::price), new Trade("A", Double.NaN, 1))).isNaN();
    }

    @Test
    void shouldKeepFirstAndLastInArrivalOrderAcrossMerges() throws Exception {
        Trade[] trades = {new Trade("A", 1, 1), new Trade("B", 1, 1), new Trade("C", 1, 1)};
        assertThat(run(Aggregates.first(Trade::symbol), trades)).isEqualTo("A");
        assertThat(run(Aggregates.last(Trade::symbol), trades)).isEqualTo("C");
        assertThat(runMerged(Aggregates.first(Trade::symbol), 2, trades)).isEqualTo("A");
        assertThat(runMerged(Aggregates.last(Trade::symbol), 2, trades)).isEqualTo("C");
        assertThat(runMerged(Aggregates.first(Trade::symbol), 0, trades)).isEqualTo("A");
        assertThat(runMerged(Aggregates.last(Trade::symbol), 3, trades)).isEqualTo("C");
    }

    @Test
    void shouldSumDoubleField() throws Exception {
        assertThat(runMerged(Aggregates.sumDouble(Trade::price), 1, new Trade("A", 1.5, 1), new Trade("B", 2.25, 1)))
            .isEqualTo(3.75);
    }

    @Test
    void shouldCombineSeveralAggregatesIntoOneListInGivenOrder() throws Exception {
        AggregateFunction<Trade, Object[], List<Object>> all = Aggregates.of(Aggregates.count(), Aggregates.sumLong(Trade::qty),
            Aggregates.average(Trade::price), Aggregates.minDouble(Trade::price), Aggregates.first(Trade::symbol));
        Trade[] trades = {new Trade("A", 100.0, 10), new Trade("B", 200.0, 5), new Trade("C", 110.0, 20)};
        List<Object> result = runMerged(all, 1, trades);
        assertThat(result).containsExactly(3L, 35L, 136.66666666666666, 100.0, "A");
        assertThatThrownBy(() -> result.set(0, 1L)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(run(all)).containsExactly(0L, 0L, Double.NaN, null, null);
        assertThatThrownBy(Aggregates::of).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("fns must hold at least one aggregate");
    }

    @Test
    void shouldAllocateNothingPerRecordInCombinedAggregate() throws Exception {
        AggregateFunction<Trade, Object[], List<Object>> all =
            Aggregates.of(Aggregates.count(), Aggregates.maxDouble(Trade::price), Aggregates.last(Trade::symbol));
        Object[] acc = all.createAccumulator();
        Object[] same = all.add(acc, new Trade("A", 1, 1));
        assertThat(same).isSameAs(acc);
        assertThat(all.merge(acc, all.createAccumulator())).isSameAs(acc);
    }
}
