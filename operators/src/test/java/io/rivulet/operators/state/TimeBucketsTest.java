package io.rivulet.operators.state;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeBucketsTest {
    @Test
    void shouldPollBucketsInTimeOrderWhateverTheOrderTheyWereAddedIn() {
        TimeBuckets buckets = new TimeBuckets();
        SplittableRandom rng = new SplittableRandom(3);
        List<Long> added = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            long t = rng.nextLong(200);
            added.add(t);
            buckets.add(t, "k" + i);
        }
        long previous = Long.MIN_VALUE;
        int keys = 0;
        while (buckets.earliestMs() != Long.MAX_VALUE) {
            TimeBuckets.Bucket b = buckets.pollEarliest();
            assertThat(b.timeMs()).isGreaterThan(previous);
            previous = b.timeMs();
            keys += b.size();
            buckets.recycle(b);
        }
        assertThat(keys).isEqualTo(added.size());
    }

    @Test
    void shouldListKeysOfOneTimeInTheOrderAddedAndCountUnlistedKeysApart() {
        TimeBuckets buckets = new TimeBuckets();
        buckets.add(10, "a");
        buckets.add(20, "x");
        buckets.count(10, 3);
        buckets.add(10, "b");
        buckets.add(10, "a");
        buckets.count(10, 2);

        TimeBuckets.Bucket first = buckets.pollEarliest();
        assertThat(first.timeMs()).isEqualTo(10);
        assertThat(List.of(first.key(0), first.key(1), first.key(2))).containsExactly("a", "b", "a");
        assertThat(first.size()).isEqualTo(3);
        assertThat(first.counted()).isEqualTo(5);
        assertThat(buckets.earliestMs()).isEqualTo(20);
    }

    @Test
    void shouldHandARecycledBucketOutEmptyForANewTime() {
        TimeBuckets buckets = new TimeBuckets();
        buckets.add(1, "a");
        buckets.count(1, 7);
        TimeBuckets.Bucket b = buckets.pollEarliest();
        buckets.recycle(b);

        buckets.add(5, "z");
        TimeBuckets.Bucket again = buckets.pollEarliest();
        assertThat(again).isSameAs(b);
        assertThat(again.timeMs()).isEqualTo(5);
        assertThat(again.size()).isEqualTo(1);
        assertThat(again.key(0)).isEqualTo("z");
        assertThat(again.counted()).isZero();
    }

    @Test
    void shouldStartAFreshBucketForATimeAddedAgainAfterItsBucketWasPolled() {
        TimeBuckets buckets = new TimeBuckets();
        buckets.add(4, "a");
        buckets.recycle(buckets.pollEarliest());
        buckets.add(4, "b");
        TimeBuckets.Bucket b = buckets.pollEarliest();
        assertThat(b.size()).isEqualTo(1);
        assertThat(b.key(0)).isEqualTo("b");
    }

    @Test
    void shouldRefuseToPollWhenEmptyAndBeEmptyAfterClear() {
        TimeBuckets buckets = new TimeBuckets();
        assertThatThrownBy(buckets::pollEarliest).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("empty");
        buckets.add(3, "a");
        buckets.add(9, "b");
        buckets.clear();
        assertThat(buckets.earliestMs()).isEqualTo(Long.MAX_VALUE);
    }
}
