package io.rivulet.kafka.internal;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Spark's micro-batch arithmetic for Kafka: the proportional rate limit and the minPartitions split. */
class OffsetRangesTest {
    private static final TopicPartition A = new TopicPartition("t", 0);
    private static final TopicPartition B = new TopicPartition("t", 1);
    private static final TopicPartition C = new TopicPartition("t", 2);

    private static Map<TopicPartition, Long> offsets(long a, long b, long c) {
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        offsets.put(A, a);
        offsets.put(B, b);
        offsets.put(C, c);
        return offsets;
    }

    @Test
    void shouldShareMaxOffsetsInProportionRoundingDownAndNeverStarvingASmallPartition() {
        // 30 and 10 available, limit 10: 7.5 -> 7 and 2.5 -> 2 (Spark floors shares of 1 or more).
        assertThat(OffsetRanges.rateLimit(10, offsets(0, 0, 5), offsets(30, 10, 5))).isEqualTo(offsets(7, 2, 5));
        // 1000 and 1 available, limit 10: 9.99 -> 9 and 0.00999 -> 1 (a share below 1 rounds up).
        assertThat(OffsetRanges.rateLimit(10, offsets(0, 0, 0), offsets(1000, 1, 0))).isEqualTo(offsets(9, 1, 0));
        // Never past the latest offset; nothing available: the latest offsets as they are.
        assertThat(OffsetRanges.rateLimit(100, offsets(3, 0, 0), offsets(5, 1, 0))).isEqualTo(offsets(5, 1, 0));
        assertThat(OffsetRanges.rateLimit(1, offsets(5, 1, 0), offsets(5, 1, 0))).isEqualTo(offsets(5, 1, 0));
    }

    @Test
    void shouldKeepOneRangePerPartitionWithoutMinPartitionsOrWithEnoughNonEmptyRanges() {
        List<KafkaOffsetRange> ranges = List.of(new KafkaOffsetRange(A, 0, 100), new KafkaOffsetRange(B, 5, 5),
            new KafkaOffsetRange(C, 0, 1));
        assertThat(text(OffsetRanges.split(ranges, 0))).containsExactly("t-0[0, 100)", "t-2[0, 1)");
        assertThat(text(OffsetRanges.split(ranges, 2))).containsExactly("t-0[0, 100)", "t-2[0, 1)");
    }

    @Test
    void shouldSplitLargeRangesIntoAboutMinPartitionsLeavingSmallOnesWhole() {
        // 100 + 10 offsets, minPartitions 4: t-1's share rounds to 1 piece, so t-0 gets the other 3.
        List<KafkaOffsetRange> ranges = List.of(new KafkaOffsetRange(A, 0, 100), new KafkaOffsetRange(B, 0, 10));
        assertThat(text(OffsetRanges.split(ranges, 4)))
            .containsExactly("t-0[0, 33)", "t-0[33, 66)", "t-0[66, 100)", "t-1[0, 10)");
        // One range of 10 into 4: 2, 2, 3, 3 (integer division, the later pieces take the remainder).
        assertThat(text(OffsetRanges.split(List.of(new KafkaOffsetRange(C, 10, 20)), 4)))
            .containsExactly("t-2[10, 12)", "t-2[12, 14)", "t-2[14, 17)", "t-2[17, 20)");
    }

    @Test
    void shouldGiveAnUnsplitPartitionItsContinuousReaderAndSplitPiecesReadersInOffsetOrder() {
        List<TopicPartition> known = List.of(A, B, C);
        List<List<KafkaOffsetRange>> whole = OffsetRanges.assign(
            List.of(new KafkaOffsetRange(A, 0, 1), new KafkaOffsetRange(C, 0, 1)), known, 3);
        assertThat(whole.stream().map(OffsetRangesTest::text)).containsExactly(List.of("t-0[0, 1)"), List.of(),
            List.of("t-2[0, 1)"));
        List<KafkaOffsetRange> pieces = OffsetRanges.split(List.of(new KafkaOffsetRange(A, 0, 8)), 4);
        assertThat(OffsetRanges.assign(pieces, known, 2).stream().map(OffsetRangesTest::text))
            .containsExactly(List.of("t-0[0, 2)", "t-0[2, 4)"), List.of("t-0[4, 6)", "t-0[6, 8)"));
    }

    private static List<String> text(List<KafkaOffsetRange> ranges) {
        List<String> text = new ArrayList<>();
        ranges.forEach(r -> text.add(r.toString()));
        return text;
    }
}
