package io.rivulet.operators.groupstate;

import io.rivulet.operators.Output;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Queryable group state: a read between records equals the state a direct computation gives. */
class GroupStateQueryTest {
    private static final String[] KEYS = {"a", "b", "c", "d"};

    @ParameterizedTest(name = "microBatch={0}")
    @ValueSource(booleans = {false, true})
    void shouldReadEachKeysStateAsACopyEqualToADirectComputation(boolean microBatch) {
        GroupStateOperator<String, GroupStateOperatorTest.Event, long[], String> op =
            GroupStateOperatorTest.eventTimeOperator(microBatch, (List<Object>) null);
        Output<String> ignored = row -> { };
        SplittableRandom random = new SplittableRandom(7);
        TreeMap<String, long[]> applied = new TreeMap<>();
        TreeMap<String, long[]> pending = new TreeMap<>();
        for (int i = 0; i < 300; i++) {
            String key = KEYS[random.nextInt(KEYS.length)];
            var event = new GroupStateOperatorTest.Event(key, 1_000 + i, random.nextInt(50));
            op.process(key, event, ignored);
            long[] s = (microBatch ? pending : applied).computeIfAbsent(key, k -> new long[] {0, 0, Long.MIN_VALUE});
            s[0] += event.qty();
            s[1]++;
            s[2] = Math.max(s[2], event.ts());
            if (microBatch && i % 10 == 9) {
                op.onEpoch(i, ignored);
                pending.forEach((k, p) -> {
                    long[] a = applied.computeIfAbsent(k, x -> new long[] {0, 0, Long.MIN_VALUE});
                    a[0] += p[0];
                    a[1] += p[1];
                    a[2] = Math.max(a[2], p[2]);
                });
                pending.clear();
            }
            TreeMap<String, long[]> scanned = new TreeMap<>();
            op.scanValues(k -> true, scanned::put);
            assertThat(scanned.keySet()).isEqualTo(applied.keySet());
            for (String k : KEYS) {
                long[] read = op.queryValue(k);
                if (applied.containsKey(k)) {
                    assertThat(read).as("state of %s after record %d", k, i).containsExactly(applied.get(k));
                    assertThat(scanned.get(k)).containsExactly(applied.get(k));
                    read[0] = -1; // a copy: changing it changes nothing the operator holds
                } else {
                    assertThat(read).isNull();
                }
            }
        }
        // Past every timeout: each key's state is removed, and reads say so.
        op.onWatermark(10_000, ignored);
        op.onEpoch(1_000, ignored);
        for (String k : KEYS) {
            assertThat(op.queryValue(k)).as("state of %s after its timeout", k).isNull();
        }
        TreeMap<String, long[]> scanned = new TreeMap<>();
        op.scanValues(k -> true, scanned::put);
        assertThat(scanned).isEmpty();
    }
}
