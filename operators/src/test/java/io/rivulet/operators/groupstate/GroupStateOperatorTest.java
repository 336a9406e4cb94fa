package io.rivulet.operators.groupstate;

import io.rivulet.operators.Output;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.state.KeyGroupBuffers;
import io.rivulet.operators.state.OperatorSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupStateOperatorTest {
    record Event(String key, long ts, long qty) {
    }

    /** h1's function: running total per key; timeout at the latest event time + 10; on timeout "expired" and removed. */
    static Iterator<String> runningTotal(String key, Iterator<Event> values, GroupState<long[]> state) {
        if (state.hasTimedOut()) {
            long[] s = state.get();
            state.remove();
            return List.of(key + " " + s[0] + " " + s[1] + " expired").iterator();
        }
        long[] s = state.exists() ? state.get() : new long[] {0, 0, Long.MIN_VALUE};
        while (values.hasNext()) {
            Event e = values.next();
            s[0] += e.qty();
            s[1]++;
            s[2] = Math.max(s[2], e.ts());
        }
        state.update(s);
        // In a micro-batch the watermark may have passed the batch's rows (they were judged against the previous one).
        state.setTimeoutTimestamp(Math.max(s[2] + 10, state.getCurrentWatermarkMs()));
        return List.of(key + " " + s[0] + " " + s[1] + " running").iterator();
    }

    static GroupStateOperator<String, Event, long[], String> eventTimeOperator(boolean microBatch, List<Object> late) {
        return eventTimeOperator(microBatch, late == null ? null : (Output<Object>) late::add);
    }

    static GroupStateOperator<String, Event, long[], String> eventTimeOperator(boolean microBatch, Output<Object> late) {
        return GroupStateOperator.flatMapGroups(GroupStateOperatorTest::runningTotal,
            GroupStateSettings.<String, Event, long[]>of(GroupStateTimeout.EVENT_TIME_TIMEOUT).withMicroBatch(microBatch)
                .withLateRows(Event::ts, late));
    }

    @Test
    void shouldThrowNoSuchElementWhenGettingAbsentStateAndRejectNullUpdate() {
        GroupStateImpl<String> state = new GroupStateImpl<>(GroupStateTimeout.NO_TIMEOUT, true, "mapGroupsWithState");
        state.reset(null, false, Long.MIN_VALUE, 0);
        assertThat(state.exists()).isFalse();
        assertThat(state.getOption()).isEmpty();
        assertThatThrownBy(state::get).isInstanceOf(NoSuchElementException.class)
            .hasMessageContaining("State is either not defined or has already been removed");
        assertThatThrownBy(() -> state.update(null)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'null' is not a valid state value");
        state.update("a");
        assertThat(state.get()).isEqualTo("a");
        assertThat(state.getOption()).contains("a");
        state.remove();
        assertThat(state.exists()).isFalse();
    }

    @Test
    void shouldRejectTimeoutsOfAnotherKindThanTheOperatorsAsSparkDoes() {
        GroupStateImpl<String> none = new GroupStateImpl<>(GroupStateTimeout.NO_TIMEOUT, true, "mapGroupsWithState");
        none.reset(null, false, 1000, 5000);
        assertThatThrownBy(() -> none.setTimeoutDuration(10)).isInstanceOf(UnsupportedOperationException.class)
            .hasMessageContaining("Cannot set timeout duration without enabling processing time timeout");
        assertThatThrownBy(() -> none.setTimeoutTimestamp(2000)).isInstanceOf(UnsupportedOperationException.class)
            .hasMessageContaining("Cannot set timeout timestamp without enabling event time timeout");
        GroupStateImpl<String> eventTime = new GroupStateImpl<>(GroupStateTimeout.EVENT_TIME_TIMEOUT, true, "x");
        eventTime.reset(null, false, 1000, 5000);
        assertThatThrownBy(() -> eventTime.setTimeoutDuration(Duration.ofSeconds(1)))
            .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> eventTime.setTimeoutTimestamp(999)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("Timeout timestamp (999) cannot be earlier than the current watermark (1000)");
        eventTime.setTimeoutTimestamp(1000);
        assertThat(eventTime.timeoutMs()).isEqualTo(1000);
        eventTime.setTimeoutTimestamp(1000, Duration.ofMillis(5));
        assertThat(eventTime.timeoutMs()).isEqualTo(1005);
        GroupStateImpl<String> processing = new GroupStateImpl<>(GroupStateTimeout.PROCESSING_TIME_TIMEOUT, false, "x");
        processing.reset(null, false, Long.MIN_VALUE, 5000);
        assertThatThrownBy(() -> processing.setTimeoutDuration(0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("Timeout duration must be positive");
        processing.setTimeoutDuration(Duration.ofSeconds(2));
        assertThat(processing.timeoutMs()).isEqualTo(7000);
        assertThatThrownBy(processing::getCurrentWatermarkMs).isInstanceOf(UnsupportedOperationException.class)
            .hasMessageContaining("Cannot get event time watermark timestamp without setting watermark");
        assertThat(processing.getCurrentProcessingTimeMs()).isEqualTo(5000);
    }

    @Test
    void shouldCallOncePerRecordInContinuousMode() {
        GroupStateOperator<String, Event, long[], String> op = eventTimeOperator(false, (List<Object>) null);
        List<String> out = new ArrayList<>();
        op.process("a", new Event("a", 1000, 10), out::add);
        op.process("a", new Event("a", 2000, 5), out::add);
        op.process("b", new Event("b", 1500, 1), out::add);
        assertThat(out).containsExactly("a 10 1 running", "a 15 2 running", "b 1 1 running");
    }

    @Test
    void shouldPassAKeysValuesOfOneBatchInOneCallAtTheEpochEndInKeyArrivalOrder() {
        GroupStateOperator<String, Event, long[], String> op = eventTimeOperator(true, (List<Object>) null);
        List<String> out = new ArrayList<>();
        op.process("b", new Event("b", 1500, 1), out::add);
        op.process("a", new Event("a", 1000, 10), out::add);
        op.process("b", new Event("b", 2000, 5), out::add);
        assertThat(out).isEmpty();
        op.onEpoch(0, out::add);
        assertThat(out).containsExactly("b 6 2 running", "a 10 1 running");
    }

    @Test
    void shouldFireEventTimeTimeoutOnlyWhenTheWatermarkIsStrictlyPastTheTimestamp() {
        GroupStateOperator<String, Event, long[], String> op = eventTimeOperator(false, (List<Object>) null);
        List<String> out = new ArrayList<>();
        op.process("a", new Event("a", 1000, 10), out::add);
        op.onWatermark(1010, out::add);
        assertThat(out).containsExactly("a 10 1 running");
        op.onWatermark(1011, out::add);
        assertThat(out).containsExactly("a 10 1 running", "a 10 1 expired");
        StateMetrics metrics = new StateMetrics();
        op.stateMetrics(metrics);
        assertThat(metrics.numRowsTotal()).as("removed on timeout").isZero();
        op.process("a", new Event("a", 2000, 3), out::add);
        assertThat(out).last().as("a removed key starts fresh").isEqualTo("a 3 1 running");
    }

    @Test
    void shouldFireTimeoutsAfterTheBatchsDataCallsInMicroBatchMode() {
        GroupStateOperator<String, Event, long[], String> op = eventTimeOperator(true, (List<Object>) null);
        List<String> out = new ArrayList<>();
        op.process("a", new Event("a", 1000, 10), out::add);
        op.process("b", new Event("b", 1000, 1), out::add);
        op.onEpoch(0, out::add);
        out.clear();
        op.process("b", new Event("b", 5000, 2), out::add);
        op.onWatermark(3000, out::add);
        assertThat(out).as("nothing before the epoch ends").isEmpty();
        op.onEpoch(1, out::add);
        assertThat(out).as("b's data call moved its timeout; a timed out").containsExactly("b 3 2 running", "a 10 1 expired");
    }

    @Test
    void shouldNeverTimeOutAKeyWhoseFunctionDidNotRenewItsTimeout() {
        GroupStateOperator<String, String, Long, String> op = GroupStateOperator.mapGroups((key, values, state) -> {
            long n = state.getOption().orElse(0L) + 1;
            state.update(n);
            if (n == 1) {
                state.setTimeoutTimestamp(100);
            }
            return state.hasTimedOut() ? key + " timed out" : key + "=" + n;
        }, GroupStateSettings.of(GroupStateTimeout.EVENT_TIME_TIMEOUT));
        List<String> out = new ArrayList<>();
        op.process("a", "x", out::add);
        op.process("a", "y", out::add);
        op.onWatermark(1000, out::add);
        assertThat(out).containsExactly("a=1", "a=2");
        assertThat(op.backend().timers().size()).isZero();
    }

    @Test
    void shouldDropRowsAtOrBehindTheWatermarkBeforeTheFunctionCountThemAndSendThemToTheLateOutput() {
        List<Object> late = new ArrayList<>();
        GroupStateOperator<String, Event, long[], String> op = eventTimeOperator(false, late);
        List<String> out = new ArrayList<>();
        op.onWatermark(1000, out::add);
        Event atWatermark = new Event("a", 1000, 1);
        op.process("a", atWatermark, out::add);
        op.process("a", new Event("a", 1001, 2), out::add);
        assertThat(out).containsExactly("a 2 1 running");
        assertThat(late).containsExactly(atWatermark);
        StateMetrics metrics = new StateMetrics();
        op.stateMetrics(metrics);
        assertThat(metrics.numRowsDroppedByWatermark()).isEqualTo(1);
        assertThat(metrics.numRowsTotal()).isEqualTo(1);
    }

    @Test
    void shouldFireProcessingTimeTimeoutsAsTheClockPassesThem() {
        GroupStateOperator<String, String, Long, String> op = GroupStateOperator.mapGroups((key, values, state) -> {
            if (state.hasTimedOut()) {
                assertThat(values.hasNext()).isFalse();
                state.remove();
                return key + " idle";
            }
            state.update(state.getOption().orElse(0L) + 1);
            state.setTimeoutDuration(Duration.ofSeconds(10));
            return key + "=" + state.get();
        }, GroupStateSettings.<String, String, Long>of(GroupStateTimeout.PROCESSING_TIME_TIMEOUT).withWatermarkPresent(false));
        List<String> out = new ArrayList<>();
        op.onProcessingTime(1_000, out::add);
        op.process("a", "x", out::add);
        op.onProcessingTime(5_000, out::add);
        op.process("a", "y", out::add);
        op.onProcessingTime(15_000, out::add);
        assertThat(out).as("a's timeout moved to 15 000 at its second call").containsExactly("a=1", "a=2");
        op.onProcessingTime(15_001, out::add);
        assertThat(out).containsExactly("a=1", "a=2", "a idle");
    }

    @Test
    void shouldKeepARemovedKeysTimeoutAndCallItWithNoStateWhenItFires() {
        GroupStateOperator<String, String, String, String> op = GroupStateOperator.mapGroups((key, values, state) -> {
            if (state.hasTimedOut()) {
                return key + " fired exists=" + state.exists();
            }
            state.remove();
            state.setTimeoutTimestamp(50);
            return key + " removed";
        }, GroupStateSettings.of(GroupStateTimeout.EVENT_TIME_TIMEOUT));
        List<String> out = new ArrayList<>();
        op.process("a", "x", out::add);
        op.onWatermark(51, out::add);
        assertThat(out).containsExactly("a removed", "a fired exists=false");
    }

    @Test
    void shouldKeepStateAndTimeoutsAcrossASnapshotAndRestoreIntoAFreshInstance() {
        GroupStateOperator<String, Event, long[], String> op = eventTimeOperator(false, (List<Object>) null);
        List<String> out = new ArrayList<>();
        op.process("a", new Event("a", 1000, 10), out::add);
        op.process("b", new Event("b", 3000, 1), out::add);
        op.onWatermark(500, out::add);
        KeyGroupBuffers buffers = KeyGroupBuffers.all(128);
        OperatorSnapshot snapshot = op.snapshotState(0);
        snapshot.writeTo(buffers);
        snapshot.release();
        GroupStateOperator<String, Event, long[], String> fresh = eventTimeOperator(false, (List<Object>) null);
        buffers.restoreInto(fresh, buffers.range());
        out.clear();
        fresh.process("a", new Event("a", 400, 99), out::add);
        assertThat(out).as("the restored watermark still drops late rows").isEmpty();
        fresh.onWatermark(2000, out::add);
        assertThat(out).containsExactly("a 10 1 expired");
        fresh.process("b", new Event("b", 3500, 2), out::add);
        assertThat(out).last().isEqualTo("b 3 2 running");
    }
}
