package io.rivulet.operators.keyed;

import io.rivulet.operators.Output;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Queryable state of orderBy(..).limit(n): the result last emitted, by position. */
class SortLimitQueryTest {
    private static final Output<Long> IGNORED = row -> { };

    @Test
    void shouldReadTheLastEmittedResultByPositionNotTheEpochInProgress() {
        SortLimitOperator<Long> op = new SortLimitOperator<>(Comparator.reverseOrder(), 2);
        op.process("all", 5L, IGNORED);
        assertThat(op.queryValue(1)).isNull(); // nothing emitted yet
        op.process("all", 9L, IGNORED);
        op.process("all", 1L, IGNORED);
        op.onEpoch(0, IGNORED);
        assertThat(op.queryValue(1)).isEqualTo(9L);
        assertThat(op.queryValue(2)).isEqualTo(5L);
        assertThat(op.queryValue(3)).isNull();
        assertThat(op.queryValue(0)).isNull();
        op.process("all", 20L, IGNORED); // the epoch in progress is not read
        assertThat(op.queryValue(1)).isEqualTo(9L);
        op.process("all", 3L, IGNORED);
        op.onEpoch(1, IGNORED);
        TreeMap<Integer, Long> scanned = new TreeMap<>();
        op.scanValues(p -> true, scanned::put);
        assertThat(scanned).isEqualTo(Map.of(1, 20L, 2, 3L));
        op.onEpoch(2, IGNORED); // an epoch without rows keeps the result
        assertThat(op.queryValue(1)).isEqualTo(20L);
    }
}
