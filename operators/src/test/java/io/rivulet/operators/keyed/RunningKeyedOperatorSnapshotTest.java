package io.rivulet.operators.keyed;

import io.rivulet.operators.KeyValue;
import io.rivulet.operators.Output;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.state.KeyGroupBuffers;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.StateCodecs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Running aggregations snapshotted and restored mid-stream, at every epoch barrier, in every emit policy. */
class RunningKeyedOperatorSnapshotTest {
    private static final int EPOCHS = 12;
    private static final int PER_EPOCH = 40;

    /** Count and sum in a {@code long[]} updated in place: the case copy-on-write must protect. */
    private static final class CountSum implements AggregateFunction<Long, long[], String> {
        @Override
        public long[] createAccumulator() {
            return new long[2];
        }

        @Override
        public long[] add(long[] acc, Long value) {
            acc[0]++;
            acc[1] += value;
            return acc;
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            a[0] += b[0];
            a[1] += b[1];
            return a;
        }

        @Override
        public String result(long[] acc) {
            return acc[0] + "/" + acc[1];
        }
    }

    private static String key(int epoch, int i) {
        return "k" + ((epoch * 7 + i * 13) % (epoch < 3 ? 9 : 23));
    }

    private static List<List<String>> run(EmitPolicy policy, boolean restoreAtEveryBarrier, boolean writeLate) {
        List<List<String>> epochs = new ArrayList<>();
        KeyedAggregateOperator<String, Long, long[], String> op =
            new KeyedAggregateOperator<>(new CountSum(), policy, StateCodecs.strings(), null);
        KeyGroupRange all = new KeyGroupRange(0, KeyGroups.DEFAULT_MAX_PARALLELISM);
        for (int e = 0; e < EPOCHS; e++) {
            List<String> emitted = new ArrayList<>();
            Output<KeyValue<String, String>> out = kv -> emitted.add(kv.key() + "=" + kv.value());
            for (int i = 0; i < PER_EPOCH; i++) {
                op.process(key(e, i), (long) e * i, out);
            }
            op.onEpoch(e, out);
            if (policy == EmitPolicy.ALL_ON_EPOCH) {
                emitted.sort(Comparator.naturalOrder());
            }
            epochs.add(emitted);
            if (restoreAtEveryBarrier) {
                OperatorSnapshot snapshot = op.snapshotState(e);
                KeyGroupBuffers buffers = KeyGroupBuffers.all(KeyGroups.DEFAULT_MAX_PARALLELISM);
                if (writeLate) {
                    // The old operator goes on mutating its accumulators in place before the snapshot is written.
                    for (int i = 0; i < PER_EPOCH; i++) {
                        op.process(key(e + 1, i), 1_000_000L, kv -> { });
                    }
                }
                snapshot.writeTo(buffers);
                snapshot.release();
                op = new KeyedAggregateOperator<>(new CountSum(), policy, StateCodecs.strings(), null);
                buffers.restoreInto(op, all);
            }
        }
        return epochs;
    }

    @ParameterizedTest
    @EnumSource(EmitPolicy.class)
    void shouldEmitTheSameAfterARestoreAtEveryBarrier(EmitPolicy policy) {
        List<List<String>> straight = run(policy, false, false);
        assertThat(straight.get(EPOCHS - 1)).isNotEmpty();
        assertThat(run(policy, true, false)).isEqualTo(straight);
    }

    @ParameterizedTest
    @EnumSource(EmitPolicy.class)
    void shouldSnapshotTheBarrierStateEvenWhenTheOperatorMutatesAccumulatorsBeforeTheWrite(EmitPolicy policy) {
        assertThat(run(policy, true, true)).isEqualTo(run(policy, false, false));
    }

    @ParameterizedTest
    @EnumSource(EmitPolicy.class)
    void shouldEmitTheSameAfterRestoringTwoPartitionsIntoOneAndThree(EmitPolicy policy) {
        int max = KeyGroups.DEFAULT_MAX_PARALLELISM;
        List<String> expected = null;
        for (int after : new int[] {2, 1, 3}) {
            List<KeyedReduceOperator<String, Long>> ops = reducers(policy, 2);
            List<String> emitted = new ArrayList<>();
            Output<Long> ignore = x -> { };
            for (int i = 0; i < 200; i++) {
                String key = "k" + (i % 17);
                ops.get(owner(key, 2)).process(key, (long) i, ignore);
            }
            KeyGroupBuffers buffers = KeyGroupBuffers.all(max);
            for (KeyedReduceOperator<String, Long> op : ops) {
                op.onEpoch(0, ignore);
                op.snapshotState(0).writeTo(buffers);
            }
            List<KeyedReduceOperator<String, Long>> next = reducers(policy, after);
            for (int p = 0; p < after; p++) {
                buffers.restoreInto(next.get(p), KeyGroups.rangeOf(p, max, after));
            }
            for (int i = 0; i < 60; i++) {
                String key = "k" + (i % 19);
                next.get(owner(key, after)).process(key, 1000L + i, v -> emitted.add(key + "=" + v));
            }
            for (KeyedReduceOperator<String, Long> op : next) {
                op.onEpoch(1, v -> emitted.add("epoch=" + v));
            }
            emitted.sort(Comparator.naturalOrder());
            if (expected == null) {
                expected = emitted;
                assertThat(expected).isNotEmpty();
            } else {
                assertThat(emitted).as("into %d partitions", after).isEqualTo(expected);
            }
        }
    }

    private static int owner(String key, int parallelism) {
        int max = KeyGroups.DEFAULT_MAX_PARALLELISM;
        return KeyGroups.partitionOf(KeyGroups.keyGroupOf(key, max), max, parallelism);
    }

    private static List<KeyedReduceOperator<String, Long>> reducers(EmitPolicy policy, int parallelism) {
        int max = KeyGroups.DEFAULT_MAX_PARALLELISM;
        List<KeyedReduceOperator<String, Long>> ops = new ArrayList<>();
        for (int p = 0; p < parallelism; p++) {
            ops.add(new KeyedReduceOperator<>(Long::sum, policy, StateCodecs.strings(), StateCodecs.longs(), max,
                KeyGroups.rangeOf(p, max, parallelism)));
        }
        return ops;
    }
}
