package io.rivulet.operators;

import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.keyed.EmitPolicy;
import io.rivulet.operators.keyed.KeyedAggregateOperator;
import io.rivulet.operators.keyed.KeyedReduceOperator;
import io.rivulet.operators.stateless.FilterOperator;
import io.rivulet.operators.stateless.FlatMapOperator;
import io.rivulet.operators.stateless.MapOperator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Operators driven by hand, one record at a time, on the test thread. */
class OperatorsTest {
    private final List<Object> out = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private <T> Output<T> output() {
        return record -> out.add(record);
    }

    @Test
    void shouldMapFilterAndFlatMapRecordAtATime() {
        new MapOperator<Integer, String>(i -> "v" + i).process(7, output());
        new FilterOperator<Integer>(i -> i > 2).process(1, output());
        new FilterOperator<Integer>(i -> i > 2).process(3, output());
        new FlatMapOperator<String, Character>((s, o) -> s.chars().forEach(c -> o.emit((char) c))).process("ab", output());
        assertThat(out).containsExactly("v7", 3, 'a', 'b');
    }

    @Test
    void shouldRejectNullFromMapNamingTheRecord() {
        assertThatThrownBy(() -> new MapOperator<Integer, String>(i -> null).process(42, output()))
            .isInstanceOf(NullPointerException.class).hasMessageContaining("42");
    }

    @Test
    void shouldRethrowCheckedExceptionOfFlatMapUnchanged() {
        FlatMapOperator<String, String> failing = new FlatMapOperator<>((s, o) -> {
            throw new IOException("cannot expand " + s);
        });
        assertThatThrownBy(() -> failing.process("x", output())).isInstanceOf(IOException.class).hasMessage("cannot expand x");
    }

    @Test
    void shouldEmitRunningReduceAfterEveryRecordPerKey() {
        KeyedReduceOperator<String, Integer> sum = new KeyedReduceOperator<>(Integer::sum, EmitPolicy.EVERY_RECORD);
        sum.process("a", 1, output());
        sum.process("b", 10, output());
        sum.process("a", 2, output());
        sum.onEpoch(0, output());
        assertThat(out).containsExactly(1, 10, 3);
        assertThat(sum.keyCount()).isEqualTo(2);
    }

    @Test
    void shouldEmitEachChangedKeyOncePerEpochWithLatestValueInFirstChangeOrder() {
        KeyedAggregateOperator<String, String, long[], Long> count =
            new KeyedAggregateOperator<>(Aggregates.count(), EmitPolicy.ON_EPOCH);
        count.process("b", "x", output());
        count.process("a", "x", output());
        count.process("b", "x", output());
        assertThat(out).isEmpty();
        count.onEpoch(0, output());
        assertThat(out).containsExactly(new KeyValue<>("b", 2L), new KeyValue<>("a", 1L));
        out.clear();
        count.onEpoch(1, output());
        assertThat(out).isEmpty();
        count.process("a", "x", output());
        count.onEnd(output());
        assertThat(out).containsExactly(new KeyValue<>("a", 2L));
    }

    @Test
    void shouldAggregateWithUserFunctionAndBuiltIns() throws Exception {
        AggregateFunction<Integer, double[], Double> avg = Aggregates.average(i -> i);
        KeyedAggregateOperator<Integer, Integer, double[], Double> op = new KeyedAggregateOperator<>(avg, EmitPolicy.EVERY_RECORD);
        op.process(0, 2, output());
        op.process(0, 4, output());
        assertThat(out).containsExactly(new KeyValue<>(0, 2.0), new KeyValue<>(0, 3.0));
        assertThat(avg.result(avg.createAccumulator())).isNaN();
        AggregateFunction<String, long[], Long> sum = Aggregates.sumLong(String::length);
        assertThat(sum.result(sum.merge(sum.add(sum.createAccumulator(), "abc"), sum.add(sum.createAccumulator(), "de")))).isEqualTo(5L);
    }

    @Test
    void shouldRejectNullStateFromUserAggregate() {
        KeyedReduceOperator<String, String> op = new KeyedReduceOperator<>((a, b) -> null, EmitPolicy.EVERY_RECORD);
        op.process("k", "first", output());
        assertThatThrownBy(() -> op.process("k", "second", output())).isInstanceOf(NullPointerException.class).hasMessageContaining("k");
    }
}
