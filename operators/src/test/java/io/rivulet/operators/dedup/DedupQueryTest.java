package io.rivulet.operators.dedup;

import io.rivulet.operators.Output;
import io.rivulet.operators.state.KeyGroupRange;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Queryable state of deduplication: a key reads as the watermark at which it is forgotten. */
class DedupQueryTest {
    record Row(Object id, long ts) {
    }

    private static final Output<Row> IGNORED = row -> { };

    @Test
    void shouldReadAKeptKeysExpiryAsItsFirstKeptRowTimePlusTheDelayUntilTheWatermarkEvictsIt() {
        DeduplicateOperator<Object, Row> op = DeduplicateOperator.withinWatermark(Row::ts, 100, null);
        op.process(1L, new Row(1L, 10), IGNORED);
        op.process(1L, new Row(1L, 50), IGNORED); // a duplicate: the first kept row's time counts
        op.process("a", new Row("a", 30), IGNORED);
        assertThat(op.queryValue(1L)).isEqualTo(110L);
        assertThat(op.queryValue("a")).isEqualTo(130L);
        assertThat(op.queryValue(2L)).isNull();
        TreeMap<String, Long> scanned = new TreeMap<>();
        op.scanValues(k -> true, (k, v) -> scanned.put(k.toString(), v));
        assertThat(scanned).isEqualTo(Map.of("1", 110L, "a", 130L));
        op.onWatermark(110, null);
        assertThat(op.queryValue(1L)).isNull();
        assertThat(op.queryValue("a")).isEqualTo(130L);
        scanned.clear();
        op.scanValues(k -> !k.equals("a"), (k, v) -> scanned.put(k.toString(), v));
        assertThat(scanned).isEmpty();
    }

    @Test
    void shouldReadAKeepForeverKeyAsNeverForgotten() {
        DeduplicateOperator<Object, Row> op = DeduplicateOperator.keepForever(null, null, null, 128,
            new KeyGroupRange(0, 128));
        op.process(7L, new Row(7L, 0), IGNORED);
        op.process("x", new Row("x", 0), IGNORED);
        assertThat(op.queryValue(7L)).isEqualTo(Long.MAX_VALUE);
        assertThat(op.queryValue("x")).isEqualTo(Long.MAX_VALUE);
        assertThat(op.queryValue("y")).isNull();
    }

    @Test
    void shouldReadAnEventTimeKeyAsTheLatestEventTimeHeldForTheRecordKey() {
        DeduplicateOperator<Object, Row> op = DeduplicateOperator.eventTimeInKey(Row::ts, null, null, 128,
            new KeyGroupRange(0, 128));
        op.process("a", new Row("a", 10), IGNORED);
        op.process("a", new Row("a", 30), IGNORED);
        op.process("b", new Row("b", 20), IGNORED);
        assertThat(op.queryValue("a")).isEqualTo(30L);
        TreeMap<String, Long> scanned = new TreeMap<>();
        op.scanValues(k -> true, (k, v) -> scanned.put(k.toString(), v));
        assertThat(scanned).isEqualTo(Map.of("a", 30L, "b", 20L));
        op.onWatermark(20, null);
        assertThat(op.queryValue("a")).isEqualTo(30L);
        assertThat(op.queryValue("b")).isNull();
        op.onWatermark(30, null);
        assertThat(op.queryValue("a")).isNull();
    }
}
