package io.rivulet.operators.dstream;

import io.rivulet.operators.KeyValue;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.OperatorContractHarness;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.StateCodecs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DStream operators through the shared operator contract harness: snapshot at every step, restore
 * into a fresh instance, snapshots taken then mutated, long chains of them, rescale from 2 partitions
 * to 1 and 3. Without processing time in the script each epoch is the next batch.
 */
class DStreamContractTest {
    private static final long INTERVAL_MS = 1_000;

    /** Records over 8 keys, an epoch (batch) now and then, some epochs empty. */
    static OperatorContractHarness.Script script(long seed, int records) {
        SplittableRandom random = new SplittableRandom(seed);
        OperatorContractHarness.Script script = OperatorContractHarness.script();
        for (int i = 0; i < records; i++) {
            script.record("k" + random.nextInt(8), 1L + random.nextInt(3));
            while (random.nextInt(4) == 0) {
                script.epoch();
            }
        }
        for (int i = 0; i < 6; i++) {
            script.epoch();
        }
        return script.end();
    }

    private static DStreamSettings<String, Long> settings() {
        return DStreamSettings.of(INTERVAL_MS);
    }

    @Test
    void shouldWindowTheSameWayWhenRestoredAtAnyStepOrRescaled() {
        for (long seed = 1; seed <= 3; seed++) {
            List<Object> plain = OperatorContractHarness.<String, Long, Object>of(side -> sorted(BatchWindowOperator.reduce(
                Long::sum, settings(), 3 * INTERVAL_MS, 2 * INTERVAL_MS)), script(seed, 60)).run();
            assertThat(plain).as("windows emitted").isNotEmpty();
            List<Object> inverse = OperatorContractHarness.<String, Long, Object>of(side -> sorted(
                BatchWindowOperator.reduceWithInverse(Long::sum, (a, b) -> a - b, kv -> kv.value() != 0L, settings(),
                    3 * INTERVAL_MS, INTERVAL_MS)), script(seed, 60)).run();
            assertThat(inverse).isNotEmpty();
        }
    }

    @Test
    void shouldUpdateStateByKeyTheSameWayWhenRestoredAtAnyStepOrRescaled() {
        for (long seed = 1; seed <= 3; seed++) {
            List<Object> out = OperatorContractHarness.<String, Long, Object>of(side -> sorted(
                new UpdateStateByKeyOperator<String, Long, Long>((values, state) -> {
                    long sum = state.orElse(0L);
                    for (long v : values) {
                        sum += v;
                    }
                    return values.isEmpty() && sum > 4 ? Optional.empty() : Optional.of(sum);
                }, settings(), StateCodecs.longs())), script(seed, 60)).run();
            assertThat(out).isNotEmpty();
        }
    }

    @Test
    void shouldMapWithStateAndTimeOutTheSameWayWhenRestoredAtAnyStepOrRescaled() {
        MapWithStateFunction<String, Long, Long, String> fn = (key, value, state) -> {
            if (state.isTimingOut()) {
                return key + " idle at " + state.get();
            }
            long sum = state.getOption().orElse(0L) + value.orElseThrow();
            state.update(sum);
            return key + "=" + sum;
        };
        for (long seed = 1; seed <= 3; seed++) {
            List<Object> mapped = OperatorContractHarness.<String, Long, Object>of(side -> sorted(
                MapWithStateOperator.mapped(fn, 2 * INTERVAL_MS, settings(), StateCodecs.longs())), script(seed, 60)).run();
            assertThat(mapped).as("timeouts fired").anyMatch(r -> r.toString().contains("idle"));
            List<Object> snapshots = OperatorContractHarness.<String, Long, Object>of(side -> sorted(
                MapWithStateOperator.snapshots(fn, 2 * INTERVAL_MS, settings(), StateCodecs.longs())), script(seed, 60)).run();
            assertThat(snapshots).anyMatch(r -> r instanceof KeyValue<?, ?>);
        }
    }

    /**
     * The order of keys a batch's end visits is the state's hash order, which a restore may change
     * (Spark leaves it unspecified too): sort what each {@code onEpoch} emits, pass the rest through.
     */
    @SuppressWarnings("unchecked")
    static <O> KeyedOperator<String, Long, Object> sorted(KeyedOperator<String, Long, O> operator) {
        return new Sorted((KeyedOperator<String, Long, Object>) operator);
    }

    private static final class Sorted implements KeyedOperator<String, Long, Object>, CheckpointedOperator {
        private final KeyedOperator<String, Long, Object> operator;
        private final List<Object> epochOut = new ArrayList<>();

        Sorted(KeyedOperator<String, Long, Object> operator) {
            this.operator = operator;
        }

        @Override
        public void process(String key, Long record, Output<Object> out) {
            operator.process(key, record, out);
        }

        @Override
        public void onEpoch(long epochId, Output<Object> out) {
            epochOut.clear();
            operator.onEpoch(epochId, epochOut::add);
            epochOut.sort(Comparator.comparing(Object::toString));
            for (Object o : epochOut) {
                out.emit(o);
            }
        }

        @Override
        public OperatorSnapshot snapshotState(long epochId) {
            return ((CheckpointedOperator) operator).snapshotState(epochId);
        }

        @Override
        public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
            ((CheckpointedOperator) operator).restoreKeyGroup(keyGroup, in);
        }

        @Override
        public void restoreOperatorState(SnapshotInput in) {
            ((CheckpointedOperator) operator).restoreOperatorState(in);
        }
    }
}
