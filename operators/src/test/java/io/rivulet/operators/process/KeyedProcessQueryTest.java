package io.rivulet.operators.process;

import io.rivulet.operators.Output;
import io.rivulet.operators.state.KeyedStateStore;
import io.rivulet.operators.state.ListState;
import io.rivulet.operators.state.LongValueState;
import io.rivulet.operators.state.MapState;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.state.StateDescriptor;
import io.rivulet.operators.state.StateTtl;
import io.rivulet.operators.state.ValueState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Queryable state of a process function: a key reads as its states by name, equal to a direct computation. */
class KeyedProcessQueryTest {
    /** Per key: the last value, the values seen, a count per parity, and a counter that a value of 0 clears. */
    static final class Tracker extends KeyedProcessFunction<String, Long, Long> {
        ValueState<Long> last;
        ListState<Long> seen;
        MapState<String, Long> parity;

        @Override
        public void open(KeyedStateStore states) {
            last = states.state(StateDescriptor.value("last", StateCodecs.longs()));
            seen = states.state(StateDescriptor.list("seen", StateCodecs.longs()));
            parity = states.state(StateDescriptor.map("parity", StateCodecs.strings(), StateCodecs.longs()));
        }

        @Override
        public void processElement(Long value, Context<String, Long> ctx, Output<Long> out) {
            if (value == 0) {
                last.clear();
                seen.clear();
                parity.clear();
                return;
            }
            last.update(value);
            seen.add(value);
            String p = value % 2 == 0 ? "even" : "odd";
            Long count = parity.get(p);
            parity.put(p, count == null ? 1 : count + 1);
        }
    }

    @Test
    void shouldReadEachKeysStatesByNameAsCopiesEqualToADirectComputation() {
        KeyedProcessOperator<String, Long, Long> op = new KeyedProcessOperator<>(new Tracker());
        Output<Long> ignored = row -> { };
        SplittableRandom random = new SplittableRandom(11);
        TreeMap<String, Long> last = new TreeMap<>();
        TreeMap<String, List<Long>> seen = new TreeMap<>();
        TreeMap<String, Map<String, Long>> parity = new TreeMap<>();
        String[] keys = {"a", "b", "c", "d"};
        for (int i = 0; i < 200; i++) {
            String key = keys[random.nextInt(keys.length)];
            long value = random.nextInt(20);
            op.process(key, value, ignored);
            if (value == 0) {
                last.remove(key);
                seen.remove(key);
                parity.remove(key);
            } else {
                last.put(key, value);
                seen.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
                parity.computeIfAbsent(key, k -> new TreeMap<>()).merge(value % 2 == 0 ? "even" : "odd", 1L, Long::sum);
            }
            if (i % 25 == 0) {
                OperatorSnapshot snapshot = op.snapshotState(i); // reads see through copy-on-write sharing
                snapshot.release();
            }
            TreeMap<String, Map<String, Object>> scanned = new TreeMap<>();
            op.scanValues(k -> true, scanned::put);
            assertThat(scanned.keySet()).isEqualTo(last.keySet());
            for (String k : keys) {
                Map<String, Object> read = op.queryValue(k);
                if (!last.containsKey(k)) {
                    assertThat(read).as("states of %s after record %d", k, i).isNull();
                    continue;
                }
                assertThat(read).as("states of %s after record %d", k, i)
                    .containsOnlyKeys("last", "seen", "parity")
                    .containsEntry("last", last.get(k))
                    .containsEntry("seen", seen.get(k))
                    .containsEntry("parity", parity.get(k));
                assertThat(scanned.get(k)).isEqualTo(read);
                assertThatThrownBy(() -> read.put("last", -1L)).isInstanceOf(UnsupportedOperationException.class);
                @SuppressWarnings("unchecked")
                List<Long> list = (List<Long>) read.get("seen");
                assertThatThrownBy(() -> list.add(-1L)).isInstanceOf(UnsupportedOperationException.class);
            }
        }
    }

    @Test
    void shouldReadLongValueStatesAsLongsAndLeaveOutExpiredEntriesWithoutRefreshingThem() {
        KeyedProcessOperator<Long, Long, Long> op = new KeyedProcessOperator<>(new KeyedProcessFunction<>() {
            LongValueState sum;
            ValueState<String> label;

            @Override
            public void open(KeyedStateStore states) {
                sum = states.state(StateDescriptor.longValue("sum", 0));
                label = states.state(StateDescriptor.value("label", StateCodecs.strings())
                    .withTtl(StateTtl.ofMs(1_000).refreshedOnRead()));
            }

            @Override
            public void processElement(Long value, Context<Long, Long> ctx, Output<Long> out) {
                sum.addAndGet(value);
                if (value > 100) {
                    label.update("big");
                }
            }
        });
        Output<Long> ignored = row -> { };
        op.onProcessingTime(0, ignored);
        op.process(7L, 150L, ignored);
        op.process(7L, 1L, ignored);
        op.process(8L, 2L, ignored);
        assertThat(op.queryValue(7L)).isEqualTo(Map.of("sum", 151L, "label", "big"));
        assertThat(op.queryValue(8L)).isEqualTo(Map.of("sum", 2L));
        assertThat(op.queryValue(9L)).isNull();
        op.onProcessingTime(999, ignored);
        assertThat(op.queryValue(7L)).containsEntry("label", "big"); // a read does not refresh the TTL...
        op.onProcessingTime(1_000, ignored);
        assertThat(op.queryValue(7L)).isEqualTo(Map.of("sum", 151L)); // ...so the entry expires on time
        TreeMap<Long, Map<String, Object>> scanned = new TreeMap<>();
        op.scanValues(k -> k >= 8, scanned::put);
        assertThat(scanned).isEqualTo(Map.of(8L, Map.of("sum", 2L)));
    }
}
