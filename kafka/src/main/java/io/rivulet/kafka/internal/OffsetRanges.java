package io.rivulet.kafka.internal;

import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Spark's arithmetic for a Kafka micro-batch, as its Kafka source does it: {@link #rateLimit}
 * ({@code maxOffsetsPerTrigger} shared out over the partitions in proportion to what each has),
 * {@link #split} ({@code minPartitions}: large ranges cut into pieces) and Rivulet's
 * {@link #assign} of the resulting ranges to source partitions. Stateless.
 */
final class OffsetRanges {
    private OffsetRanges() {
    }

    /**
     * Spark's {@code rateLimit}: each partition with records gets {@code limit * size / total} of them,
     * rounded down, but at least one (a share below 1 is rounded up so that a small partition is not
     * starved), and never past its end. The total is therefore at most {@code limit} unless more
     * partitions have records than the shares' rounding leaves room for (each still gets one).
     *
     * @param limit {@code maxOffsetsPerTrigger}, at least 1
     * @param from each partition's next offset
     * @param until each partition's latest offset (exclusive)
     * @return the batch's end offset of each partition of {@code until}
     */
    static Map<TopicPartition, Long> rateLimit(long limit, Map<TopicPartition, Long> from, Map<TopicPartition, Long> until) {
        Map<TopicPartition, Long> sizes = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<TopicPartition, Long> end : until.entrySet()) {
            Long begin = from.get(end.getKey());
            if (begin != null && end.getValue() - begin > 0) {
                sizes.put(end.getKey(), end.getValue() - begin);
                total += end.getValue() - begin;
            }
        }
        if (total < 1) {
            return until;
        }
        Map<TopicPartition, Long> limited = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, Long> end : until.entrySet()) {
            Long size = sizes.get(end.getKey());
            if (size == null) {
                limited.put(end.getKey(), end.getValue());
                continue;
            }
            long begin = from.get(end.getKey());
            double prorate = limit * ((double) size / total);
            long share = (long) (prorate < 1 ? Math.ceil(prorate) : Math.floor(prorate));
            long offset = share > Long.MAX_VALUE - begin ? Long.MAX_VALUE : begin + share;
            limited.put(end.getKey(), Math.min(end.getValue(), offset));
        }
        return limited;
    }

    /**
     * Spark's {@code KafkaOffsetRangeCalculator}: without {@code minPartitions}, or when at least that
     * many ranges have records, the non-empty ranges as they are. Otherwise a range whose share of the
     * records, times {@code minPartitions}, rounds to at most 1 stays whole; the others share the
     * remaining {@code minPartitions - whole} pieces in proportion to their sizes (each at least one
     * piece), cut into equal parts with the last taking the rounding. The number of ranges is about
     * {@code minPartitions}, more or fewer by rounding.
     *
     * @param ranges the batch's ranges, in topic, partition order
     * @param minPartitions Spark's {@code minPartitions}, or 0 for none
     * @return the ranges to read, empty ones dropped, in topic, partition, offset order
     */
    static List<KafkaOffsetRange> split(List<KafkaOffsetRange> ranges, int minPartitions) {
        List<KafkaOffsetRange> nonEmpty = new ArrayList<>();
        long total = 0;
        for (KafkaOffsetRange range : ranges) {
            if (range.size() > 0) {
                nonEmpty.add(range);
                total += range.size();
            }
        }
        if (minPartitions <= 0 || nonEmpty.size() >= minPartitions) {
            return nonEmpty;
        }
        Set<TopicPartition> whole = new HashSet<>();
        long wholeSize = 0;
        for (KafkaOffsetRange range : nonEmpty) {
            if (parts(range.size(), total, minPartitions) == 1) {
                whole.add(range.partition);
                wholeSize += range.size();
            }
        }
        long splitSize = total - wholeSize;
        int splitPartitions = Math.max(minPartitions - whole.size(), 1);
        List<KafkaOffsetRange> split = new ArrayList<>();
        for (KafkaOffsetRange range : nonEmpty) {
            int parts = whole.contains(range.partition) ? 1 : parts(range.size(), splitSize, splitPartitions);
            long remaining = range.size();
            long start = range.from;
            for (int part = 0; part < parts; part++) {
                long size = remaining / (parts - part);
                remaining -= size;
                long end = Math.min(start + size, range.until);
                if (end > start) {
                    split.add(new KafkaOffsetRange(range.partition, start, end));
                }
                start = end;
            }
        }
        return split;
    }

    private static int parts(long size, long total, int minPartitions) {
        return (int) Math.max(Math.round((double) size / total * minPartitions), 1);
    }

    /**
     * Which source partition reads which range. When no Kafka partition was split, a partition's range
     * goes to the source partition that reads it in continuous mode (its index among {@code known},
     * modulo {@code readers}), so a Kafka partition keeps its reader from batch to batch. Otherwise
     * range {@code j} of {@code m} goes to reader {@code j * readers / m}: the pieces of one Kafka
     * partition go to readers in offset order, which the driver drains in that order.
     *
     * @param ranges the batch's ranges, in topic, partition, offset order
     * @param known every Kafka partition the source reads, in topic, partition order
     * @param readers the source's partition count
     * @return the ranges of each reader, in offset order
     */
    static List<List<KafkaOffsetRange>> assign(List<KafkaOffsetRange> ranges, List<TopicPartition> known, int readers) {
        List<List<KafkaOffsetRange>> shares = new ArrayList<>(readers);
        for (int i = 0; i < readers; i++) {
            shares.add(new ArrayList<>());
        }
        Set<TopicPartition> seen = new HashSet<>();
        boolean wasSplit = false;
        for (KafkaOffsetRange range : ranges) {
            wasSplit |= !seen.add(range.partition);
        }
        for (int j = 0; j < ranges.size(); j++) {
            KafkaOffsetRange range = ranges.get(j);
            int reader = wasSplit ? (int) ((long) j * readers / ranges.size()) : Math.floorMod(known.indexOf(range.partition), readers);
            shares.get(reader).add(range);
        }
        return shares;
    }
}
