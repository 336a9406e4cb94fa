package io.rivulet.operators.process;

import io.rivulet.operators.Output;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.state.KeyGroupBuffers;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroupWriter;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.KeyedStateStore;
import io.rivulet.operators.state.ListState;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.state.StateDescriptor;
import io.rivulet.operators.state.TimeDomain;
import io.rivulet.operators.state.ValueState;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyedProcessOperatorTest {
    private static final int MAX = 16;
    private static final OutputTag<String> NEGATIVE = OutputTag.of("negative");

    record Event(long ts, long value) {
    }

    /** Counts per key; an event-time timer 10 ms after each record emits and resets; a processing-time one reports. */
    static final class Counter extends KeyedProcessFunction<String, Event, String> {
        private ValueState<Long> count;
        private ListState<Long> values;

        @Override
        public void open(KeyedStateStore states) {
            count = states.state(StateDescriptor.value("count", StateCodecs.longs()));
            values = states.state(StateDescriptor.list("values", StateCodecs.longs()));
        }

        @Override
        public void processElement(Event e, Context<String, String> ctx, Output<String> out) throws IOException {
            if (e.value() == 666) {
                throw new IOException("bad value for " + ctx.currentKey());
            }
            if (e.value() < 0) {
                ctx.output(NEGATIVE, ctx.currentKey() + ":" + e.value());
                return;
            }
            Long c = count.value();
            count.update(c == null ? 1 : c + 1);
            values.add(e.value());
            ctx.timerService().registerEventTimeTimer(e.ts() + 10);
            ctx.timerService().deleteEventTimeTimer(e.ts());
            ctx.timerService().registerProcessingTimeTimer(ctx.currentProcessingTimeMs() + 100);
        }

        @Override
        public void onTimer(long ts, Context<String, String> ctx, Output<String> out) {
            out.emit(ctx.currentKey() + " " + ctx.timeDomain() + "@" + ts + " count=" + count.value() + " values="
                + values.get() + " wm=" + ctx.currentWatermarkMs());
            if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
                count.clear();
                values.clear();
            }
        }
    }

    /** One step of a test stream. */
    private record Step(String key, Event event, long watermarkMs, long processingTimeMs) {
        static Step record(String key, long ts, long value) {
            return new Step(key, new Event(ts, value), 0, 0);
        }

        static Step watermark(long ms) {
            return new Step(null, null, ms, 0);
        }

        static Step processingTime(long ms) {
            return new Step(null, null, 0, ms);
        }
    }

    private static List<Step> stream() {
        List<Step> steps = new ArrayList<>();
        String[] keys = {"apple", "pear", "plum", "fig", "kiwi", "lime"};
        long ts = 1_000;
        for (int i = 0; i < 120; i++) {
            ts += i % 3;
            steps.add(Step.record(keys[(i * 7) % keys.length], ts, i % 11 == 5 ? -i : i));
            if (i % 9 == 8) {
                steps.add(Step.watermark(ts - 5));
            }
            if (i % 25 == 24) {
                steps.add(Step.processingTime(1_000 * i));
            }
        }
        steps.add(Step.watermark(Long.MAX_VALUE));
        steps.add(Step.processingTime(Long.MAX_VALUE / 2));
        return steps;
    }

    private static final class Collected {
        final List<String> main = new ArrayList<>();
        final List<String> side = new ArrayList<>();
        final Output<String> mainOut = main::add;
        final SideOutputs sideOutputs = new SideOutputs() {
            @Override
            @SuppressWarnings("unchecked")
            public <X> Output<X> outputFor(OutputTag<X> tag) {
                return tag.equals(NEGATIVE) ? x -> side.add((String) x) : null;
            }
        };
    }

    private static KeyedProcessOperator<String, Event, String> operator(Collected c, KeyGroupRange range) {
        return new KeyedProcessOperator<>(new Counter(), StateCodecs.strings(), MAX, range, c.sideOutputs);
    }

    private static void apply(KeyedProcessOperator<String, Event, String> op, Step s, Output<String> out) {
        if (s.event != null) {
            op.process(s.key, s.event, out);
        } else if (s.processingTimeMs != 0) {
            op.onProcessingTime(s.processingTimeMs, out);
        } else {
            op.onWatermark(s.watermarkMs, out);
        }
    }

    private static KeyGroupBuffers snapshot(KeyedProcessOperator<?, ?, ?> op, long epoch) {
        KeyGroupBuffers buffers = KeyGroupBuffers.all(MAX);
        OperatorSnapshot snapshot = op.snapshotState(epoch);
        snapshot.writeTo(buffers);
        snapshot.release();
        return buffers;
    }

    @Test
    void shouldGiveTheSameOutputWhenRestoredIntoAFreshOperatorBeforeEveryStep() {
        List<Step> steps = stream();
        Collected straight = new Collected();
        KeyedProcessOperator<String, Event, String> op = operator(straight, new KeyGroupRange(0, MAX));
        steps.forEach(s -> apply(op, s, straight.mainOut));

        Collected restarted = new Collected();
        KeyedProcessOperator<String, Event, String> current = operator(restarted, new KeyGroupRange(0, MAX));
        long epoch = 0;
        for (Step s : steps) {
            KeyGroupBuffers buffers = snapshot(current, ++epoch);
            current = operator(restarted, new KeyGroupRange(0, MAX));
            buffers.restoreInto(current, new KeyGroupRange(0, MAX));
            apply(current, s, restarted.mainOut);
        }
        assertThat(straight.main).hasSizeGreaterThan(40).anyMatch(l -> l.contains("PROCESSING_TIME"));
        assertThat(straight.side).isNotEmpty();
        assertThat(restarted.main).isEqualTo(straight.main);
        assertThat(restarted.side).isEqualTo(straight.side);
    }

    @Test
    void shouldGiveTheSameResultsWhenTwoPartitionsAreRestoredIntoOneOrThree() {
        List<Step> steps = stream();
        int cut = steps.size() / 2;
        List<String> expected = new ArrayList<>();
        for (int parallelismAfter : new int[] {2, 1, 3}) {
            Collected c = new Collected();
            List<KeyedProcessOperator<String, Event, String>> before = partitions(c, 2);
            for (Step s : steps.subList(0, cut)) {
                route(before, s, c.mainOut);
            }
            KeyGroupBuffers buffers = KeyGroupBuffers.all(MAX);
            for (KeyedProcessOperator<String, Event, String> p : before) {
                OperatorSnapshot snapshot = p.snapshotState(1);
                snapshot.writeTo(new KeyGroupBuffersOperatorStateAppender(buffers));
            }
            List<KeyedProcessOperator<String, Event, String>> after = partitions(c, parallelismAfter);
            for (int p = 0; p < after.size(); p++) {
                buffers.restoreInto(after.get(p), KeyGroups.rangeOf(p, MAX, parallelismAfter));
            }
            for (Step s : steps.subList(cut, steps.size())) {
                route(after, s, c.mainOut);
            }
            List<String> all = new ArrayList<>(c.main);
            all.addAll(c.side);
            Collections.sort(all);
            if (parallelismAfter == 2) {
                expected.addAll(all);
            } else {
                assertThat(all).as("2 partitions restored into %d", parallelismAfter).isEqualTo(expected);
            }
        }
        assertThat(expected).hasSizeGreaterThan(40);
    }

    @Test
    void shouldRestoreTheWatermarkAsTheMinimumOverOldPartitions() {
        Collected c = new Collected();
        KeyedProcessOperator<String, Event, String> op = operator(c, new KeyGroupRange(0, MAX));
        SnapshotOutput a = new SnapshotOutput().writeLong(500).writeLong(7);
        SnapshotOutput b = new SnapshotOutput().writeLong(300).writeLong(9);
        op.restoreOperatorState(a.asInput());
        op.restoreOperatorState(b.asInput());
        op.process("apple", new Event(305, 1), c.mainOut);
        op.onWatermark(310, c.mainOut);
        assertThat(c.main).isEmpty();
        op.onWatermark(315, c.mainOut);
        assertThat(c.main).containsExactly("apple EVENT_TIME@315 count=1 values=[1] wm=315");
        op.onProcessingTime(108, c.mainOut);
        assertThat(c.main).as("processing time restored as the maximum, 9").hasSize(1);
        op.onProcessingTime(109, c.mainOut);
        assertThat(c.main).hasSize(2);
    }

    @Test
    void shouldFailWithTheTagsNameWhenASideOutputIsUnknown() {
        KeyedProcessOperator<String, Event, String> op = new KeyedProcessOperator<>(new Counter());
        assertThatThrownBy(() -> op.process("apple", new Event(1, -1), x -> { }))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'negative'");
    }

    @Test
    void shouldRethrowTheUserFunctionsCheckedException() {
        KeyedProcessOperator<String, Event, String> op = new KeyedProcessOperator<>(new Counter());
        assertThatThrownBy(() -> op.process("apple", new Event(1, 666), x -> { }))
            .isInstanceOf(IOException.class).hasMessage("bad value for apple");
    }

    @Test
    void shouldReportItsKeyedStateRows() {
        Collected c = new Collected();
        KeyedProcessOperator<String, Event, String> op = operator(c, new KeyGroupRange(0, MAX));
        op.process("apple", new Event(1, 1), c.mainOut);
        op.process("pear", new Event(1, 1), c.mainOut);
        StateMetrics metrics = new StateMetrics();
        op.stateMetrics(metrics);
        assertThat(metrics.numRowsTotal()).as("count and values of 2 keys").isEqualTo(4);
    }

    private static List<KeyedProcessOperator<String, Event, String>> partitions(Collected c, int parallelism) {
        List<KeyedProcessOperator<String, Event, String>> ops = new ArrayList<>();
        for (int p = 0; p < parallelism; p++) {
            ops.add(operator(c, KeyGroups.rangeOf(p, MAX, parallelism)));
        }
        return ops;
    }

    private static void route(List<KeyedProcessOperator<String, Event, String>> ops, Step s, Output<String> out) {
        if (s.event != null) {
            apply(ops.get(KeyGroups.partitionOf(KeyGroups.keyGroupOf(s.key, MAX), MAX, ops.size())), s, out);
        } else {
            ops.forEach(op -> apply(op, s, out));
        }
    }

    /**
     * Writes several partitions' snapshots into one set of buffers: key groups do not overlap, but
     * each partition's operator state is one long (the watermark), kept as the minimum like a restore
     * over old partitions would.
     */
    private static final class KeyGroupBuffersOperatorStateAppender implements KeyGroupWriter {
        private final KeyGroupBuffers buffers;
        private final SnapshotOutput scratch = new SnapshotOutput();

        KeyGroupBuffersOperatorStateAppender(KeyGroupBuffers buffers) {
            this.buffers = buffers;
        }

        @Override
        public SnapshotOutput forKey(Object key) {
            return buffers.forKey(key);
        }

        @Override
        public SnapshotOutput forKeyGroup(int keyGroup) {
            return buffers.forKeyGroup(keyGroup);
        }

        @Override
        public SnapshotOutput operatorState() {
            // Both partitions saw the same watermarks: keep one copy.
            return buffers.operatorState().length() == 0 ? buffers.operatorState() : scratch;
        }

        @Override
        public int maxParallelism() {
            return MAX;
        }
    }
}
