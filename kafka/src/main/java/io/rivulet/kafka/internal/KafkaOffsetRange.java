package io.rivulet.kafka.internal;

import org.apache.kafka.common.TopicPartition;

/**
 * The records of one Kafka partition a micro-batch reads: offsets {@code [from, until)}, and how far a
 * reader has got ({@link #position}). Planned on the micro-batch driver's thread, read by one reader on
 * the same thread; not thread-safe.
 */
final class KafkaOffsetRange {
    final TopicPartition partition;
    final long from;
    final long until;
    /** The offset of the next record to read; {@link #until} once the range is read. */
    long position;

    KafkaOffsetRange(TopicPartition partition, long from, long until) {
        this.partition = partition;
        this.from = from;
        this.until = until;
        this.position = from;
    }

    /** @return the offsets in the range (records, unless compaction or transaction markers left gaps) */
    long size() {
        return until - from;
    }

    boolean complete() {
        return position >= until;
    }

    @Override
    public String toString() {
        return partition + "[" + from + ", " + until + ")";
    }
}
