package io.rivulet.engine.source;

import java.time.Instant;

/**
 * A row of the {@code rate} source, with Spark's two columns.
 *
 * @param timestampMs when the row was scheduled, in epoch milliseconds (Spark's {@code timestamp})
 * @param value the row's number: 0, 1, 2, … across all partitions (Spark's {@code value})
 */
public record RateRow(long timestampMs, long value) {
    @Override
    public String toString() {
        return "[" + Instant.ofEpochMilli(timestampMs) + ", " + value + "]";
    }
}
