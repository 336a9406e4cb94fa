package io.rivulet.operators.join;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RowTimeIndexTest {
    @Test
    void shouldPollRowsInTimeThenArrivalOrderWhenTheyArriveInOrder() {
        RowTimeIndex index = new RowTimeIndex();
        index.add(5, 10, 0);
        index.add(3, 10, 1);
        index.add(9, 12, 2);

        assertEquals(10, index.earliestMs());
        assertEquals(5, index.poll());
        assertEquals(3, index.poll());
        assertEquals(12, index.earliestMs());
        assertEquals(9, index.poll());
        assertEquals(Long.MAX_VALUE, index.earliestMs());
        assertEquals(0, index.size());
    }

    @Test
    void shouldMergeALateRowBeforeLaterRowsAndAfterEarlierArrivalsOfItsTime() {
        RowTimeIndex index = new RowTimeIndex();
        index.add(1, 10, 0);
        index.add(2, 20, 1);
        index.add(3, 10, 2); // older than the ring's last: goes to the heap

        assertEquals(1, index.poll(), "same time, earlier arrival first");
        assertEquals(3, index.poll());
        assertEquals(2, index.poll());
    }

    @Test
    void shouldAgreeWithASortByTimeThenArrivalForRandomInterleavedAddsAndPolls() {
        RowTimeIndex index = new RowTimeIndex();
        List<long[]> reference = new ArrayList<>(); // {time, seq, row}
        Comparator<long[]> order = Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]);
        SplittableRandom random = new SplittableRandom(3);
        long clockMs = 1_000;
        for (int step = 0; step < 50_000; step++) {
            if (reference.isEmpty() || random.nextInt(3) != 0) {
                clockMs += random.nextInt(3);
                long timeMs = random.nextInt(10) == 0 ? clockMs - random.nextInt(500) : clockMs;
                int row = step;
                index.add(row, timeMs, step);
                reference.add(new long[] {timeMs, step, row});
            } else {
                reference.sort(order);
                long[] first = reference.remove(0);
                assertEquals(first[0], index.earliestMs(), "earliest at step " + step);
                assertEquals(first[2], index.poll(), "row at step " + step);
            }
            assertEquals(reference.size(), index.size());
        }
        reference.sort(order);
        for (long[] e : reference) {
            assertEquals(e[2], index.poll());
        }
    }

    @Test
    void shouldListNothingAfterClearAndRefuseToPollAnEmptyIndex() {
        RowTimeIndex index = new RowTimeIndex();
        for (int i = 0; i < 200; i++) {
            index.add(i, 200 - i, i);
        }
        index.clear();
        assertEquals(0, index.size());
        assertEquals(Long.MAX_VALUE, index.earliestMs());
        assertThrows(IllegalStateException.class, index::poll);
        index.add(7, 5, 300);
        assertEquals(7, index.poll());
    }
}
