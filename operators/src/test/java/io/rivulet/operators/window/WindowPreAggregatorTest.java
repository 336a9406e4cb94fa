package io.rivulet.operators.window;

import io.rivulet.operators.OutputMode;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.function.AggregateFunction;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The producer's half of local-global window aggregation, driven by hand, and the keyed stage's merge of its partials. */
class WindowPreAggregatorTest {
    record Event(String key, long ts, long value) {
    }

    /** A mutable sum: {@code add} returns its accumulator. */
    static final AggregateFunction<Event, long[], Long> SUM = new AggregateFunction<>() {
        @Override
        public long[] createAccumulator() {
            return new long[1];
        }

        @Override
        public long[] add(long[] sum, Event event) {
            sum[0] += event.value();
            return sum;
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            a[0] += b[0];
            return a;
        }

        @Override
        public Long result(long[] sum) {
            return sum[0];
        }
    };

    private final List<String> partials = new ArrayList<>();
    private final WindowPreAggregator.PartialOutput<String, long[]> out =
        (key, start, partial, records) -> partials.add(key + "@" + start + "=" + partial[0] + "/" + records);

    private WindowPreAggregator<String, Event, long[]> preAggregator() {
        return new WindowPreAggregator<>(WindowAssigner.tumbling(10), Event::ts, SUM);
    }

    @Test
    void shouldFoldEachKeyAndWindowIntoOnePartialFlushedInKeyArrivalOrder() {
        WindowPreAggregator<String, Event, long[]> pre = preAggregator();
        pre.add("b", new Event("b", 1, 1));
        pre.add("a", new Event("a", 2, 10));
        pre.add("b", new Event("b", 12, 100));
        pre.add("b", new Event("b", 3, 2));
        assertThat(pre.heldPartials()).isEqualTo(3);
        assertThat(pre.heldRecords()).isEqualTo(4);
        pre.flushAll(out);
        assertThat(partials).containsExactly("b@0=3/2", "a@0=10/1", "b@10=100/1");
        assertThat(pre.heldPartials()).isZero();
        assertThat(pre.heldRecords()).isZero();
    }

    @Test
    void shouldDropRecordWithoutEventTimeAsTheWindowOperatorWould() {
        WindowPreAggregator<String, Event, long[]> pre = preAggregator();
        assertThat(pre.add("a", new Event("a", Window.NO_EVENT_TIME, 7))).as("consumed, not handed back").isTrue();
        pre.add("a", new Event("a", 2, 1));
        assertThat(pre.heldRecords()).isEqualTo(1);
        pre.flushAll(out);
        assertThat(partials).containsExactly("a@0=1/1");
    }

    @Test
    void shouldFlushOnlyWindowsEndingAtOrBeforeTheWatermark() {
        WindowPreAggregator<String, Event, long[]> pre = preAggregator();
        pre.add("a", new Event("a", 5, 1));
        pre.add("a", new Event("a", 15, 2));
        pre.flushUpTo(9, out);
        assertThat(partials).as("window [0, 10) is still open at 9").isEmpty();
        pre.flushUpTo(10, out);
        assertThat(partials).containsExactly("a@0=1/1");
        assertThat(pre.closedMs()).isEqualTo(10);
    }

    @Test
    void shouldRefuseARecordWhoseWindowItAlreadyClosed() {
        WindowPreAggregator<String, Event, long[]> pre = preAggregator();
        pre.flushUpTo(20, out);
        assertThat(pre.add("a", new Event("a", 19, 1))).as("window [10, 20) ended at the watermark").isFalse();
        assertThat(pre.add("a", new Event("a", 20, 1))).isTrue();
        assertThat(pre.heldRecords()).isEqualTo(1);
    }

    @Test
    void shouldRefuseRecordsBelowARestoredFloorWithoutLoweringIt() {
        WindowPreAggregator<String, Event, long[]> pre = preAggregator();
        pre.closeUpTo(30);
        pre.closeUpTo(5);
        assertThat(pre.closedMs()).isEqualTo(30);
        assertThat(pre.add("a", new Event("a", 29, 1))).isFalse();
        assertThat(pre.add("a", new Event("a", 30, 1))).isTrue();
    }

    @Test
    void shouldKeepWindowsOpenAfterAnEpochFlushAndStartNewPartials() {
        WindowPreAggregator<String, Event, long[]> pre = preAggregator();
        pre.add("a", new Event("a", 5, 1));
        pre.flushAll(out);
        assertThat(pre.add("a", new Event("a", 6, 2))).isTrue();
        pre.flushAll(out);
        assertThat(partials).containsExactly("a@0=1/1", "a@0=2/1");
    }

    @Test
    void shouldRejectSlidingWindows() {
        assertThatThrownBy(() -> new WindowPreAggregator<String, Event, long[]>(WindowAssigner.sliding(10, 5), Event::ts, SUM))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tumbling");
    }

    @Test
    void shouldMergePartialsIntoTheRowsTheirRecordsWouldHaveBuilt() {
        WindowAggregateOperator<String, Event, long[], Long> op =
            new WindowAggregateOperator<>(WindowAssigner.tumbling(10), Event::ts, SUM, OutputMode.APPEND);
        List<WindowedValue<String, Long>> rows = new ArrayList<>();
        op.processPartial("b", 0, new long[] {3}, rows::add);
        op.process("a", new Event("a", 1, 10), rows::add);
        op.processPartial("a", 0, new long[] {5}, rows::add);
        op.processPartial("b", 0, new long[] {4}, rows::add);
        op.onWatermark(10, rows::add);
        assertThat(rows).containsExactly(new WindowedValue<>("b", new Window(0, 10), 7L),
            new WindowedValue<>("a", new Window(0, 10), 15L));
    }

    @Test
    void shouldCountALatePartialOnceAsALateGroupAsItsRecordsWouldCount() {
        WindowAggregateOperator<String, Event, long[], Long> op =
            new WindowAggregateOperator<>(WindowAssigner.tumbling(10), Event::ts, SUM, OutputMode.APPEND);
        List<WindowedValue<String, Long>> rows = new ArrayList<>();
        op.onWatermark(10, rows::add);
        op.processPartial("a", 0, new long[] {1}, rows::add);
        op.process("a", new Event("a", 3, 1), rows::add);
        op.onEpoch(0, rows::add);
        StateMetrics metrics = new StateMetrics();
        op.stateMetrics(metrics);
        assertThat(metrics.numRowsDroppedByWatermark()).isEqualTo(1);
        assertThat(metrics.numRowsTotal()).isZero();
        assertThat(rows).isEmpty();
    }

    @Test
    void shouldRefuseAPartialForSlidingWindows() {
        WindowAggregateOperator<String, Event, long[], Long> op =
            new WindowAggregateOperator<>(WindowAssigner.sliding(10, 5), Event::ts, SUM, OutputMode.APPEND);
        assertThatThrownBy(() -> op.processPartial("a", 0, new long[] {1}, row -> { }))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("tumbling");
    }
}
