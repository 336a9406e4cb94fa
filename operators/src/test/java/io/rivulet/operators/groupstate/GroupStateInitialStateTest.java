package io.rivulet.operators.groupstate;

import io.rivulet.operators.state.KeyGroupBuffers;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorSnapshot;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Spark's initial state of mapGroupsWithState, the String timeout overloads, and null results. */
class GroupStateInitialStateTest {
    /** Adds the values to the state (0 if none) and reports "key state-before values -> state-after". */
    static String sum(String key, Iterator<Long> values, GroupState<Long> state) {
        long before = state.exists() ? state.get() : -1;
        long sum = Math.max(before, 0);
        List<Long> seen = new ArrayList<>();
        while (values.hasNext()) {
            long v = values.next();
            seen.add(v);
            sum += v;
        }
        state.update(sum);
        return key + " " + before + " " + seen + " -> " + sum;
    }

    private static GroupStateOperator<String, Long, Long, String> operator(boolean microBatch, Map<String, Long> initial) {
        return GroupStateOperator.mapGroups(GroupStateInitialStateTest::sum,
            GroupStateSettings.<String, Long, Long>of(GroupStateTimeout.NO_TIMEOUT).withMicroBatch(microBatch)
                .withInitialState(initial));
    }

    private static Map<String, Long> initial() {
        Map<String, Long> initial = new LinkedHashMap<>();
        initial.put("a", 10L);
        initial.put("b", 20L);
        return initial;
    }

    @Test
    void shouldCallEveryInitialKeyInTheFirstBatchAKeyWithDataSeeingItsInitialState() {
        GroupStateOperator<String, Long, Long, String> op = operator(true, initial());
        List<String> out = new ArrayList<>();
        op.process("c", 1L, out::add);
        op.process("a", 2L, out::add);
        op.process("a", 3L, out::add);
        assertThat(op.queryValue("a")).as("not applied before the first batch ends").isNull();
        op.onEpoch(0, out::add);
        assertThat(out).containsExactly("c -1 [1] -> 1", "a 10 [2, 3] -> 15", "b 20 [] -> 20");
        out.clear();
        op.process("a", 1L, out::add);
        op.onEpoch(1, out::add);
        assertThat(out).as("applied once").containsExactly("a 15 [1] -> 16");
    }

    @Test
    void shouldApplyTheInitialStateBeforeTheFirstRecordInContinuousMode() {
        GroupStateOperator<String, Long, Long, String> op = operator(false, initial());
        List<String> out = new ArrayList<>();
        op.process("a", 5L, out::add);
        op.process("a", 1L, out::add);
        assertThat(out).containsExactly("a 10 [] -> 10", "b 20 [] -> 20", "a 10 [5] -> 15", "a 15 [1] -> 16");
    }

    @Test
    void shouldApplyOnlyTheKeysOfThePartitionsKeyGroups() {
        int max = KeyGroups.DEFAULT_MAX_PARALLELISM;
        int groupOfA = KeyGroups.keyGroupOf("a", max);
        GroupStateOperator<String, Long, Long, String> op = GroupStateOperator.mapGroups(GroupStateInitialStateTest::sum,
            GroupStateSettings.<String, Long, Long>of(GroupStateTimeout.NO_TIMEOUT).withMicroBatch(true)
                .withKeyGroups(max, new KeyGroupRange(groupOfA, groupOfA + 1)).withInitialState(Map.of("a", 1L, "zz", 2L)));
        assumeDifferentGroups(groupOfA, KeyGroups.keyGroupOf("zz", max));
        List<String> out = new ArrayList<>();
        op.onEpoch(0, out::add);
        assertThat(out).containsExactly("a 1 [] -> 1");
    }

    private static void assumeDifferentGroups(int a, int b) {
        Assumptions.assumeTrue(a != b, "keys share a key group");
    }

    @Test
    void shouldNotApplyTheInitialStateAgainAfterARestoreFromACheckpointTakenOnceItWasApplied() {
        GroupStateOperator<String, Long, Long, String> op = operator(true, initial());
        List<String> out = new ArrayList<>();
        op.process("a", 5L, out::add);
        op.onEpoch(0, out::add);
        GroupStateOperator<String, Long, Long, String> restored = restore(op, operator(true, initial()));
        out.clear();
        restored.process("a", 1L, out::add);
        restored.onEpoch(1, out::add);
        assertThat(out).containsExactly("a 15 [1] -> 16");
        assertThat(restored.queryValue("b")).isEqualTo(20L);
    }

    @Test
    void shouldApplyTheInitialStateAfterARestoreFromACheckpointTakenBeforeItWasApplied() {
        GroupStateOperator<String, Long, Long, String> restored = restore(operator(false, initial()), operator(false, initial()));
        List<String> out = new ArrayList<>();
        restored.process("b", 1L, out::add);
        assertThat(out).containsExactly("a 10 [] -> 10", "b 20 [] -> 20", "b 20 [1] -> 21");
    }

    private static GroupStateOperator<String, Long, Long, String> restore(GroupStateOperator<String, Long, Long, String> from,
                                                                         GroupStateOperator<String, Long, Long, String> into) {
        KeyGroupBuffers buffers = KeyGroupBuffers.all(KeyGroups.DEFAULT_MAX_PARALLELISM);
        OperatorSnapshot snapshot = from.snapshotState(0);
        snapshot.writeTo(buffers);
        snapshot.release();
        buffers.restoreInto(into, buffers.range());
        return into;
    }

    @Test
    void shouldRefuseANullInitialStateValueNamingTheKey() {
        Map<String, Long> initial = new LinkedHashMap<>();
        initial.put("k7", null);
        assertThatThrownBy(() -> operator(true, initial)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("initialState of key k7 is null");
    }

    @Test
    void shouldFailANullMapGroupsResultNamingTheKey() {
        GroupStateOperator<String, Long, Long, String> op = GroupStateOperator.mapGroups((key, values, state) -> null,
            GroupStateSettings.of(GroupStateTimeout.NO_TIMEOUT));
        assertThatThrownBy(() -> op.process("k9", 1L, row -> { })).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("returned null for key k9").hasMessageContaining("flatMapGroupsWithState");
    }

    @Test
    void shouldFailANullFlatMapGroupsElementNamingTheKey() {
        GroupStateOperator<String, Long, Long, String> op = GroupStateOperator.flatMapGroups(
            (key, values, state) -> Arrays.asList("x", null).iterator(), GroupStateSettings.of(GroupStateTimeout.NO_TIMEOUT));
        assertThatThrownBy(() -> op.process("k3", 1L, row -> { })).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("null element for key k3");
    }

    @Test
    void shouldSetTimeoutsFromSparksIntervalStrings() {
        GroupStateImpl<Long> state = new GroupStateImpl<>(GroupStateTimeout.PROCESSING_TIME_TIMEOUT, false, "mapGroupsWithState");
        state.reset(null, false, Long.MIN_VALUE, 1_000);
        state.setTimeoutDuration("10 seconds");
        assertThat(state.timeoutMs()).isEqualTo(11_000);
        state.setTimeoutDuration("interval 1 hour 30 minutes 1.5 seconds");
        assertThat(state.timeoutMs()).isEqualTo(1_000 + 5_401_500);
        assertThatThrownBy(() -> state.setTimeoutDuration("-1 day")).hasMessage("Provided duration (-1 day) is negative");
        assertThatThrownBy(() -> state.setTimeoutDuration("10 secs"))
            .hasMessageStartingWith("Error parsing '10 secs' to interval, invalid unit 'secs'");
        assertThatThrownBy(() -> state.setTimeoutDuration("0 seconds")).hasMessageContaining("must be positive");
        GroupStateImpl<Long> eventTime = new GroupStateImpl<>(GroupStateTimeout.EVENT_TIME_TIMEOUT, true, "mapGroupsWithState");
        eventTime.reset(null, false, 500, 0);
        eventTime.setTimeoutTimestamp(1_000, "2 minutes");
        assertThat(eventTime.timeoutMs()).isEqualTo(121_000);
        assertThatThrownBy(() -> eventTime.setTimeoutDuration("1 minute")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> state.setTimeoutTimestamp(1, "1 minute")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldParseSparksIntervalUnitsAndRefuseMalformedStrings() {
        assertThat(IntervalStrings.parseDurationMs("1 week 2 days")).isEqualTo(9 * 86_400_000L);
        assertThat(IntervalStrings.parseDurationMs("1 MONTH")).isEqualTo(31 * 86_400_000L);
        assertThat(IntervalStrings.parseDurationMs("1 year")).isEqualTo(372 * 86_400_000L);
        assertThat(IntervalStrings.parseDurationMs("  250 milliseconds 1500 microseconds ")).isEqualTo(251);
        assertThat(IntervalStrings.parseDurationMs("1 hour -30 minutes")).isEqualTo(1_800_000);
        assertThat(IntervalStrings.parseDurationMs(".5 second")).isEqualTo(500);
        assertThatThrownBy(() -> IntervalStrings.parseDurationMs("")).hasMessageContaining("at least one time unit");
        assertThatThrownBy(() -> IntervalStrings.parseDurationMs("interval")).hasMessageContaining("at least one time unit");
        assertThatThrownBy(() -> IntervalStrings.parseDurationMs("10")).hasMessage(
            "Error parsing '10' to interval, expect a unit name after '10' but hit EOL");
        assertThatThrownBy(() -> IntervalStrings.parseDurationMs("ten seconds")).hasMessage(
            "Error parsing 'ten seconds' to interval, unrecognized number 'ten'");
        assertThatThrownBy(() -> IntervalStrings.parseDurationMs("1.5 days")).hasMessageContaining("invalid value '1.5'");
        assertThatThrownBy(() -> IntervalStrings.parseDurationMs(null)).hasMessageContaining("cannot be null");
        assertThatThrownBy(() -> IntervalStrings.parseDurationMs("999999999999 years")).hasMessageContaining("overflows");
    }
}
