package io.rivulet.operators.window;

import io.rivulet.operators.OutputMode;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.state.KeyGroupBuffers;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorContractHarness;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.state.StateFormatException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every window operator configuration through the {@link OperatorContractHarness}: restore into a
 * fresh instance after every step, snapshots written after later mutation, and rescaling 2 → 1 and
 * 2 → 3 partitions, with late records and a late output.
 */
class WindowSnapshotContractTest {
    record Event(String key, long ts, long value) {
    }

    /** Count and sum: an {@code Object[]} accumulator holding two {@code long[]}s, results a list. */
    private static final AggregateFunction<Event, Object[], List<Object>> COUNT_AND_SUM =
        Aggregates.of(Aggregates.count(), Aggregates.sumLong(Event::value));

    static Stream<Arguments> configurations() {
        List<Arguments> all = new ArrayList<>();
        for (OutputMode mode : OutputMode.values()) {
            all.add(Arguments.of("tumbling(10) " + mode, windows(WindowAssigner.tumbling(10), mode)));
            all.add(Arguments.of("sliding(10, 4) " + mode + (mode == OutputMode.APPEND ? " panes" : " per window"),
                windows(WindowAssigner.sliding(10, 4), mode)));
            all.add(Arguments.of("sliding(9, 3, offset 1) " + mode, windows(WindowAssigner.sliding(9, 3, 1), mode)));
            all.add(Arguments.of("session(gap 3) " + mode, sessions(mode)));
        }
        return all.stream();
    }

    private static OperatorContractHarness.Factory<String, Event, WindowedValue<String, List<Object>>> windows(
        WindowAssigner assigner, OutputMode mode) {
        return late -> new WindowAggregateOperator<>(assigner, Event::ts, COUNT_AND_SUM, mode, late::emit);
    }

    private static OperatorContractHarness.Factory<String, Event, WindowedValue<String, List<Object>>> sessions(
        OutputMode mode) {
        return late -> new SessionWindowOperator<>(3, Event::ts, COUNT_AND_SUM, mode, late::emit);
    }

    /** Records over 12 keys with event times wandering around a rising clock, some far behind (late). */
    static OperatorContractHarness.Script script(long seed, int records) {
        SplittableRandom random = new SplittableRandom(seed);
        OperatorContractHarness.Script script = OperatorContractHarness.script();
        long clock = 0;
        long watermark = Long.MIN_VALUE;
        for (int i = 0; i < records; i++) {
            clock += random.nextInt(3);
            long ts = random.nextInt(10) == 0 ? clock - 15 - random.nextInt(10) : clock + random.nextInt(5) - 2;
            String key = "k" + random.nextInt(12);
            script.record(key, new Event(key, ts, random.nextInt(100)));
            if (random.nextInt(6) == 0 && clock - 4 > watermark) {
                watermark = clock - 4;
                script.watermark(watermark);
            }
            if (random.nextInt(9) == 0) {
                script.epoch();
            }
        }
        return script.epoch().end();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void shouldProduceTheSameOutputWhenRestoredAtAnyPointOrRescaled(
        String name, OperatorContractHarness.Factory<String, Event, WindowedValue<String, List<Object>>> factory) {
        for (long seed = 1; seed <= 2; seed++) {
            List<Object> output = OperatorContractHarness.of(factory, script(seed, 70)).run();
            assertThat(output).as("the script emits rows").anyMatch(r -> r instanceof WindowedValue<?, ?>);
        }
    }

    @Test
    void shouldExerciseLateRecordsInTheScript() {
        List<Object> output = OperatorContractHarness.of(windows(WindowAssigner.tumbling(10), OutputMode.APPEND),
            script(1, 70)).run();
        assertThat(output).as("late records reach the late output").anyMatch(r -> r instanceof OperatorContractHarness.Side);
    }

    @Test
    void shouldRestoreWatermarkAsMinimumAndSumLateCountersOverOldPartitions() {
        List<Event> late = new ArrayList<>();
        Function<Long, WindowAggregateOperator<String, Event, long[], Long>> withWatermark = wm -> {
            var op = new WindowAggregateOperator<String, Event, long[], Long>(WindowAssigner.tumbling(10), Event::ts,
                Aggregates.count(), OutputMode.APPEND, late::add);
            op.onWatermark(wm, r -> { });
            op.process("a", new Event("a", 0, 1), r -> { });
            op.onEpoch(0, r -> { });
            return op;
        };
        KeyGroupBuffers first = KeyGroupBuffers.all(128);
        withWatermark.apply(30L).snapshotState(0).writeTo(first);
        KeyGroupBuffers second = KeyGroupBuffers.all(128);
        withWatermark.apply(20L).snapshotState(0).writeTo(second);
        var restored = new WindowAggregateOperator<String, Event, long[], Long>(WindowAssigner.tumbling(10), Event::ts,
            Aggregates.count(), OutputMode.APPEND, late::add);
        restored.restoreOperatorState(new SnapshotInput(first.operatorStateBytes()));
        restored.restoreOperatorState(new SnapshotInput(second.operatorStateBytes()));
        assertThat(restored.watermarkMs()).isEqualTo(20);
        StateMetrics metrics = new StateMetrics();
        restored.stateMetrics(metrics);
        assertThat(metrics.numRowsDroppedByWatermark()).isEqualTo(2);
    }

    @Test
    void shouldRestoreSessionWatermarkAsMinimumAndSumLateCounters() {
        Function<Long, SessionWindowOperator<String, Event, long[], Long>> withWatermark = wm -> {
            var op = new SessionWindowOperator<String, Event, long[], Long>(5, Event::ts, Aggregates.count(),
                OutputMode.UPDATE, null, StateCodecs.strings(), StateCodecs.longArrays());
            op.onWatermark(wm, r -> { });
            op.process("a", new Event("a", 0, 1), r -> { });
            op.process("b", new Event("b", wm, 1), r -> { });
            op.onEpoch(0, r -> { });
            return op;
        };
        KeyGroupBuffers first = KeyGroupBuffers.all(128);
        withWatermark.apply(30L).snapshotState(0).writeTo(first);
        KeyGroupBuffers second = KeyGroupBuffers.all(128);
        withWatermark.apply(20L).snapshotState(0).writeTo(second);
        var restored = new SessionWindowOperator<String, Event, long[], Long>(5, Event::ts, Aggregates.count(),
            OutputMode.UPDATE, null, StateCodecs.strings(), StateCodecs.longArrays());
        restored.restoreKeyGroup(KeyGroups.keyGroupOf("b", 128),
            new SnapshotInput(first.keyGroupBytes(KeyGroups.keyGroupOf("b", 128))));
        restored.restoreOperatorState(new SnapshotInput(first.operatorStateBytes()));
        restored.restoreOperatorState(new SnapshotInput(second.operatorStateBytes()));
        assertThat(restored.watermarkMs()).isEqualTo(20);
        assertThat(restored.sessionCount()).isEqualTo(1);
        StateMetrics metrics = new StateMetrics();
        restored.stateMetrics(metrics);
        assertThat(metrics.numRowsDroppedByWatermark()).isEqualTo(2);
        List<WindowedValue<String, Long>> out = new ArrayList<>();
        restored.process("b", new Event("b", 33, 1), out::add);
        restored.onEpoch(1, out::add);
        assertThat(out).containsExactly(new WindowedValue<>("b", new Window(30, 38), 2L));
    }

    @Test
    void shouldRejectOperatorStateOfADifferentWindow() {
        var tumbling = new WindowAggregateOperator<String, Event, long[], Long>(WindowAssigner.tumbling(10), Event::ts,
            Aggregates.count(), OutputMode.APPEND);
        KeyGroupBuffers buffers = KeyGroupBuffers.all(128);
        tumbling.snapshotState(0).writeTo(buffers);
        var other = new WindowAggregateOperator<String, Event, long[], Long>(WindowAssigner.tumbling(20), Event::ts,
            Aggregates.count(), OutputMode.APPEND);
        assertThatThrownBy(() -> other.restoreOperatorState(new SnapshotInput(buffers.operatorStateBytes())))
            .isInstanceOf(StateFormatException.class).hasMessageContaining("windows of 10 ms")
            .hasMessageContaining("windows of 20 ms");
    }

    @Test
    void shouldRejectAKeyRestoredTwiceInOneWindowWhenTheWindowIsFirstUsed() {
        var op = new WindowAggregateOperator<String, Event, long[], Long>(WindowAssigner.tumbling(10), Event::ts,
            Aggregates.count(), OutputMode.APPEND);
        op.process("a", new Event("a", 1, 1), r -> { });
        KeyGroupBuffers buffers = KeyGroupBuffers.all(128);
        op.snapshotState(0).writeTo(buffers);
        byte[] block = buffers.keyGroupBytes(KeyGroups.keyGroupOf("a", 128));
        var restored = new WindowAggregateOperator<String, Event, long[], Long>(WindowAssigner.tumbling(10), Event::ts,
            Aggregates.count(), OutputMode.APPEND);
        restored.restoreKeyGroup(0, new SnapshotInput(block));
        restored.restoreKeyGroup(1, new SnapshotInput(block));
        assertThatThrownBy(() -> restored.process("b", new Event("b", 2, 1), r -> { }))
            .isInstanceOf(StateFormatException.class).hasMessageContaining("key a restored twice in slice");
    }

    @Test
    void shouldFindRestoredEntriesByKeyWhenARecordArrivesBeforeTheFirstWatermark() {
        var op = new WindowAggregateOperator<String, Event, long[], Long>(WindowAssigner.tumbling(10), Event::ts,
            Aggregates.count(), OutputMode.APPEND);
        for (int k = 0; k < 1000; k++) {
            op.process("k" + k, new Event("k" + k, 1, 1), r -> { });
        }
        KeyGroupBuffers buffers = KeyGroupBuffers.all(128);
        op.snapshotState(0).writeTo(buffers);
        var restored = new WindowAggregateOperator<String, Event, long[], Long>(WindowAssigner.tumbling(10), Event::ts,
            Aggregates.count(), OutputMode.APPEND);
        buffers.restoreInto(restored, buffers.range());
        for (int k = 0; k < 1000; k += 2) {
            restored.process("k" + k, new Event("k" + k, 2, 1), r -> { });
        }
        List<WindowedValue<String, Long>> out = new ArrayList<>();
        restored.onWatermark(10, out::add);
        assertThat(out).hasSize(1000);
        for (int k = 0; k < 1000; k++) {
            assertThat(out.get(k)).isEqualTo(new WindowedValue<>("k" + k, new Window(0, 10), k % 2 == 0 ? 2L : 1L));
        }
    }

    @Test
    void shouldWriteKeysAndAccumulatorsWithTheGivenCodecs() {
        var op = new WindowAggregateOperator<String, Event, long[], Long>(WindowAssigner.tumbling(10), Event::ts,
            Aggregates.count(), OutputMode.APPEND, null, StateCodecs.strings(), StateCodecs.longArrays());
        op.process("a", new Event("a", 1, 0), r -> { });
        KeyGroupBuffers buffers = KeyGroupBuffers.all(128);
        OperatorSnapshot snapshot = op.snapshotState(0);
        snapshot.writeTo(buffers);
        int group = KeyGroups.keyGroupOf("a", 128);
        // tag, slice start, arrival sequence, "a" (length + 1 byte), long[1] (length + 8 bytes)
        assertThat(buffers.keyGroupBytes(group)).hasSize(1 + 8 + 1 + 2 + 9);
        List<WindowedValue<String, Long>> out = new ArrayList<>();
        var restored = new WindowAggregateOperator<String, Event, long[], Long>(WindowAssigner.tumbling(10), Event::ts,
            Aggregates.count(), OutputMode.APPEND, null, StateCodecs.strings(), StateCodecs.longArrays());
        buffers.restoreInto(restored, buffers.range());
        restored.onEnd(out::add);
        assertThat(out).containsExactly(new WindowedValue<>("a", new Window(0, 10), 1L));
    }
}
