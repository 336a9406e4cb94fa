package io.rivulet.operators.keyed;

import io.rivulet.operators.KeyValue;
import io.rivulet.operators.Output;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.process.KeyedProcessFunction;
import io.rivulet.operators.process.KeyedProcessOperator;
import io.rivulet.operators.state.KeyedStateStore;
import io.rivulet.operators.state.OperatorContractHarness;
import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.state.StateDescriptor;
import io.rivulet.operators.state.ValueState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The running aggregations and the keyed process operator through the shared operator contract harness. */
class RunningAndProcessContractTest {
    record Event(String key, long ts, long qty) {
    }

    /** Records over 10 keys, epochs and rising watermarks now and then. */
    static OperatorContractHarness.Script script(long seed, int records) {
        SplittableRandom random = new SplittableRandom(seed);
        OperatorContractHarness.Script script = OperatorContractHarness.script();
        long clock = 0;
        for (int i = 0; i < records; i++) {
            clock += random.nextInt(3);
            String key = "k" + random.nextInt(10);
            script.record(key, new Event(key, clock, random.nextInt(50)));
            if (random.nextInt(5) == 0) {
                script.watermark(clock - 2);
            }
            if (random.nextInt(7) == 0) {
                script.epoch();
            }
        }
        return script.epoch().end();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(EmitPolicy.class)
    void shouldProduceTheSameRunningSumsWhenRestoredAtAnyBarrierOrRescaled(EmitPolicy policy) {
        for (long seed = 1; seed <= 3; seed++) {
            List<Object> output = OperatorContractHarness.<String, Event, KeyValue<String, Long>>of(
                late -> new KeyedAggregateOperator<String, Event, long[], Long>(Aggregates.sumLong(Event::qty), policy),
                script(seed, 80)).snapshotPoints(OperatorContractHarness.SnapshotPoints.AFTER_EPOCH).run();
            assertThat(output).isNotEmpty();
        }
    }

    /** Sums per key; at each key's first record, a timer 5 ms of event time later emits the sum so far. */
    static final class SumWithTimer extends KeyedProcessFunction<String, Event, String> {
        private ValueState<Long> sum;

        @Override
        public void open(KeyedStateStore states) {
            sum = states.state(StateDescriptor.value("sum", StateCodecs.longs()));
        }

        @Override
        public void processElement(Event value, Context<String, String> ctx, Output<String> out) {
            if (sum.value() == null) {
                ctx.timerService().registerEventTimeTimer(value.ts() + 5);
            }
            sum.update((sum.value() == null ? 0 : sum.value()) + value.qty());
        }

        @Override
        public void onTimer(long timestampMs, Context<String, String> ctx, Output<String> out) {
            out.emit(ctx.currentKey() + "@" + timestampMs + "=" + sum.value());
            sum.clear();
        }
    }

    @Test
    void shouldFireTheSameTimersWithTheSameStateWhenRestoredAtAnyStepOrRescaled() {
        for (long seed = 1; seed <= 3; seed++) {
            List<Object> output = OperatorContractHarness.<String, Event, String>of(
                late -> new KeyedProcessOperator<>(new SumWithTimer()), script(seed, 80)).run();
            assertThat(output).as("timers fired").anyMatch(r -> r instanceof String s && s.contains("="));
        }
    }
}
