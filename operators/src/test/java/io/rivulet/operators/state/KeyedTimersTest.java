package io.rivulet.operators.state;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeyedTimersTest {
    private static final int MAX = 8;
    private static final StateDescriptor<ValueState<String>> NOTE = StateDescriptor.value("note", StateCodecs.strings());

    private final KeyedStateBackend<String> backend =
        new KeyedStateBackend<>(StateCodecs.strings(), MAX, new KeyGroupRange(0, MAX));
    private final List<String> fired = new ArrayList<>();
    private final KeyedTimers.Handler record = (ts, domain) ->
        fired.add(backend.currentKey() + "@" + ts + (domain == TimeDomain.EVENT_TIME ? "e" : "p"));

    private void register(String key, TimeDomain domain, long ts) {
        backend.setCurrentKey(key);
        backend.timers().register(domain, ts);
    }

    @Test
    void shouldFireEventTimeTimersInTimestampOrderAndTiesInRegistrationOrder() {
        register("b", TimeDomain.EVENT_TIME, 30);
        register("a", TimeDomain.EVENT_TIME, 10);
        register("c", TimeDomain.EVENT_TIME, 20);
        register("z", TimeDomain.EVENT_TIME, 20);
        register("a", TimeDomain.EVENT_TIME, 20);
        register("a", TimeDomain.EVENT_TIME, 40);
        assertThat(backend.timers().advanceWatermark(19, record)).isEqualTo(1);
        assertThat(backend.timers().advanceWatermark(30, record)).isEqualTo(4);
        assertThat(fired).containsExactly("a@10e", "c@20e", "z@20e", "a@20e", "b@30e");
        assertThat(backend.timers().size()).isEqualTo(1);
        assertThat(backend.timers().nextTimestampMs(TimeDomain.EVENT_TIME)).isEqualTo(40);
    }

    @Test
    void shouldFireATimerRegisteredTwiceOnceAndADeletedTimerNever() {
        register("a", TimeDomain.EVENT_TIME, 10);
        register("a", TimeDomain.EVENT_TIME, 10);
        register("a", TimeDomain.PROCESSING_TIME, 10);
        register("b", TimeDomain.EVENT_TIME, 10);
        backend.setCurrentKey("b");
        backend.timers().delete(TimeDomain.EVENT_TIME, 10);
        backend.timers().delete(TimeDomain.EVENT_TIME, 11);
        backend.timers().advanceWatermark(100, record);
        assertThat(fired).containsExactly("a@10e");
        backend.timers().advanceProcessingTime(100, record);
        assertThat(fired).containsExactly("a@10e", "a@10p");
    }

    @Test
    void shouldFireProcessingTimeTimersOnlyWhenThePassedInTimeReachesThem() {
        register("a", TimeDomain.PROCESSING_TIME, 1_000);
        register("b", TimeDomain.EVENT_TIME, 500);
        backend.timers().advanceProcessingTime(999, record);
        assertThat(fired).isEmpty();
        backend.timers().advanceProcessingTime(1_000, record);
        assertThat(fired).containsExactly("a@1000p");
        assertThat(backend.processingTimeMs()).isEqualTo(1_000);
    }

    @Test
    void shouldFireTimersRegisteredWhileFiringAtAPassedTimeInTheSameAdvance() {
        register("a", TimeDomain.EVENT_TIME, 10);
        KeyedTimers.Handler chain = (ts, domain) -> {
            fired.add(backend.currentKey() + "@" + ts);
            if (ts < 13) {
                backend.timers().register(TimeDomain.EVENT_TIME, ts + 1);
            }
            backend.timers().register(TimeDomain.EVENT_TIME, 100);
        };
        backend.timers().advanceWatermark(50, chain);
        assertThat(fired).containsExactly("a@10", "a@11", "a@12", "a@13");
        assertThat(backend.timers().nextTimestampMs(TimeDomain.EVENT_TIME)).isEqualTo(100);
    }

    @Test
    void shouldMakeTheTimersKeyCurrentSoStateReadsThatKey() {
        ValueState<String> note = backend.state(NOTE);
        backend.setCurrentKey("a");
        note.update("of a");
        backend.timers().register(TimeDomain.EVENT_TIME, 5);
        backend.setCurrentKey("b");
        note.update("of b");
        List<String> seen = new ArrayList<>();
        backend.timers().advanceWatermark(5, (ts, d) -> seen.add(note.value()));
        assertThat(seen).containsExactly("of a");
    }

    @Test
    void shouldSnapshotTimersAtTheSnapshotMomentAndRestoreTheirOrder() {
        for (int k = 0; k < 40; k++) {
            register("k" + k, TimeDomain.EVENT_TIME, 100 - k % 5);
            register("k" + k, TimeDomain.PROCESSING_TIME, 7);
        }
        OperatorSnapshot snapshot = backend.snapshotState(1);
        for (int k = 0; k < 40; k += 2) {
            backend.setCurrentKey("k" + k);
            backend.timers().delete(TimeDomain.EVENT_TIME, 100 - k % 5);
            backend.timers().register(TimeDomain.EVENT_TIME, 1);
        }
        KeyGroupBuffers buffers = KeyGroupBuffers.all(MAX);
        snapshot.writeTo(buffers);
        backend.timers().advanceWatermark(0, record);

        List<String> expected = new ArrayList<>();
        KeyedStateBackend<String> reference = new KeyedStateBackend<>(StateCodecs.strings(), MAX, new KeyGroupRange(0, MAX));
        for (int k = 0; k < 40; k++) {
            reference.setCurrentKey("k" + k);
            reference.timers().register(TimeDomain.EVENT_TIME, 100 - k % 5);
            reference.timers().register(TimeDomain.PROCESSING_TIME, 7);
        }
        reference.timers().advanceWatermark(Long.MAX_VALUE, (ts, d) -> expected.add(reference.currentKey() + "@" + ts));

        KeyedStateBackend<String> restored = new KeyedStateBackend<>(StateCodecs.strings(), MAX, new KeyGroupRange(0, MAX));
        for (int g = 0; g < MAX; g++) {
            byte[] bytes = buffers.keyGroupBytes(g);
            if (bytes != null) {
                restored.restoreKeyGroup(g, new SnapshotInput(bytes));
            }
        }
        assertThat(restored.timers().size()).isEqualTo(80);
        List<String> actual = new ArrayList<>();
        restored.timers().advanceWatermark(Long.MAX_VALUE, (ts, d) -> actual.add(restored.currentKey() + "@" + ts));
        assertThat(actual).hasSize(40).isEqualTo(expected);
    }
}
