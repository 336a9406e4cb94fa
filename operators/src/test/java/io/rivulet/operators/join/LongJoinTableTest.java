package io.rivulet.operators.join;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LongJoinTableTest {
    private static LongJoinTable table(int width) {
        return new LongJoinTable(new JoinSlab(width, false, 4), new JoinSlab(width, false, 4), 8);
    }

    private static List<Long> times(LongJoinTable table, long key, boolean isLeft) {
        List<Long> times = new ArrayList<>();
        int slot = table.find(key);
        if (slot == LongJoinTable.ABSENT) {
            return times;
        }
        JoinSlab slab = isLeft ? table.left() : table.right();
        for (int row = table.firstRow(slot, isLeft); row != JoinSlab.NONE; row = slab.next(row)) {
            assertEquals(key, slab.key(row), "a row names its key");
            times.add(slab.timeMs(row));
        }
        assertEquals(times.size(), table.rowCount(slot, isLeft), "count");
        return times;
    }

    @Test
    void shouldKeepEachKeysRowsPerSideInArrivalOrder() {
        LongJoinTable table = table(0);
        table.addRow(true, 7, 30, 0, false);
        table.addRow(false, 7, 10, 1, true);
        table.addRow(true, 7, 20, 2, false);
        table.addRow(true, 8, 5, 3, false);

        assertEquals(List.of(30L, 20L), times(table, 7, true));
        assertEquals(List.of(10L), times(table, 7, false));
        assertEquals(List.of(5L), times(table, 8, true));
        assertEquals(List.of(), times(table, 8, false));
        assertEquals(2, table.size());
        int first = table.firstRow(table.find(7), false);
        assertEquals(1, table.right().seq(first));
        assertEquals(true, table.right().matched(first));
    }

    @Test
    void shouldUnlinkAMiddleRowAndRemoveTheKeyWithItsLastRowOnBothSides() {
        LongJoinTable table = table(0);
        int a = table.addRow(true, 7, 1, 0, false);
        int b = table.addRow(true, 7, 2, 1, false);
        int c = table.addRow(true, 7, 3, 2, false);
        int r = table.addRow(false, 7, 4, 3, false);

        table.removeRow(true, b);
        assertEquals(List.of(1L, 3L), times(table, 7, true));
        table.removeRow(true, c);
        assertEquals(List.of(1L), times(table, 7, true));
        table.removeRow(true, a);
        assertEquals(List.of(), times(table, 7, true));
        assertEquals(1, table.size(), "the key still holds a right row");
        table.removeRow(false, r);
        assertEquals(LongJoinTable.ABSENT, table.find(7));
        assertEquals(0, table.size());
        assertEquals(0, table.left().size());
        assertEquals(0, table.right().size());
    }

    @Test
    void shouldReuseFreedRowsBeforeGrowingTheSlab() {
        LongJoinTable table = table(0);
        for (int round = 0; round < 100; round++) {
            int[] rows = new int[4];
            for (int i = 0; i < 4; i++) {
                rows[i] = table.addRow(true, i, round, round * 4L + i, false);
            }
            for (int row : rows) {
                table.removeRow(true, row);
            }
        }
        assertEquals(4, table.left().capacity());
        assertEquals(0, table.size());
    }

    @Test
    void shouldKeepColumnPayloadsAtTheirRowsAcrossSlabGrowth() {
        LongJoinTable table = table(2);
        int[] rows = new int[50];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = table.addRow(false, i % 5, i, i, false);
            long[] columns = table.right().columns();
            int at = table.right().columnsAt(rows[i]);
            columns[at] = i * 10L;
            columns[at + 1] = -i;
        }
        long[] columns = table.right().columns();
        for (int i = 0; i < rows.length; i++) {
            int at = table.right().columnsAt(rows[i]);
            assertArrayEquals(new long[] {i * 10L, -i}, new long[] {columns[at], columns[at + 1]});
        }
    }

    @Test
    void shouldHoldObjectRowsAndDropTheirReferenceWhenFreed() {
        JoinSlab objects = new JoinSlab(0, true, 2);
        LongJoinTable table = new LongJoinTable(objects, new JoinSlab(0, false, 2), 8);
        int row = table.addRow(true, 3, 1, 0, false);
        objects.value(row, "order-3");
        assertEquals("order-3", objects.value(table.firstRow(table.find(3), true)));
        table.removeRow(true, row);
        assertEquals(null, objects.value(row));
    }

    @Test
    void shouldAgreeWithAHashMapOfListsUnderRandomAddsAndRemovesAcrossGrowth() {
        LongJoinTable table = table(1);
        Map<Long, List<long[]>> reference = new HashMap<>(); // key -> rows {side, row index, time}
        List<long[]> held = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(12);
        for (int step = 0; step < 100_000; step++) {
            if (held.isEmpty() || random.nextInt(5) < 3) {
                long key = random.nextInt(3_000) * 64L - 50_000; // many share a home slot's neighbourhood
                boolean isLeft = random.nextBoolean();
                long time = step;
                int row = table.addRow(isLeft, key, time, step, false);
                long[] entry = {key, isLeft ? 1 : 0, row, time};
                held.add(entry);
                reference.computeIfAbsent(key, k -> new ArrayList<>()).add(entry);
            } else {
                int i = random.nextInt(held.size());
                long[] entry = held.get(i);
                held.set(i, held.get(held.size() - 1));
                held.remove(held.size() - 1);
                table.removeRow(entry[1] == 1, (int) entry[2]);
                List<long[]> rows = reference.get(entry[0]);
                rows.remove(entry);
                if (rows.isEmpty()) {
                    reference.remove(entry[0]);
                }
            }
            assertEquals(reference.size(), table.size(), "keys at step " + step);
        }
        for (Map.Entry<Long, List<long[]>> e : reference.entrySet()) {
            for (boolean isLeft : new boolean[] {true, false}) {
                List<Long> expected = new ArrayList<>();
                for (long[] row : e.getValue()) {
                    if ((row[1] == 1) == isLeft) {
                        expected.add(row[3]);
                    }
                }
                assertEquals(expected, times(table, e.getKey(), isLeft), "key " + e.getKey());
            }
        }
        assertEquals(held.size(), table.left().size() + table.right().size());
    }

    @Test
    void shouldDropEveryKeyAndRowOnClear() {
        LongJoinTable table = table(0);
        for (long key = 0; key < 100; key++) {
            table.addRow(key % 2 == 0, key, key, key, false);
        }
        table.clear();
        assertEquals(0, table.size());
        assertEquals(0, table.left().size() + table.right().size());
        assertEquals(LongJoinTable.ABSENT, table.find(42));
    }

    @Test
    void shouldKeepAnInlineSidesRowInItsKeysSlotThroughGrowthAndDeletes() {
        LongJoinTable table = new LongJoinTable(new JoinSlab(2, false, 1), new JoinSlab(1, false, 4), true, false, 8);
        SplittableRandom random = new SplittableRandom(3);
        Map<Long, long[]> held = new HashMap<>();
        for (int step = 0; step < 5_000; step++) {
            long key = random.nextInt(600);
            int slot = table.find(key);
            if (slot != LongJoinTable.ABSENT && table.rowCount(slot, true) != 0) {
                long[] row = held.remove(key);
                assertEquals(row[0], table.inlineTimeMs(slot, true), "time of key " + key);
                assertEquals(row[1], table.inlineSeq(slot, true), "seq of key " + key);
                int at = table.inlineColumnsAt(slot, true);
                assertArrayEquals(new long[] {row[2], row[3]}, new long[] {table.slots()[at], table.slots()[at + 1]});
                table.removeInline(slot, true);
            } else {
                int s = table.addInline(true, key, step, step, false);
                int at = table.inlineColumnsAt(s, true);
                table.slots()[at] = key * 3;
                table.slots()[at + 1] = -step;
                held.put(key, new long[] {step, step, key * 3, -step});
            }
            if (random.nextInt(4) == 0) {
                table.addRow(false, random.nextInt(600), step, step, false);
            }
        }
        int withLeft = 0;
        for (int slot = 0; slot < table.capacity(); slot++) {
            if (table.used(slot) && table.rowCount(slot, true) != 0) {
                withLeft++;
                assertEquals(true, held.containsKey(table.key(slot)));
            }
        }
        assertEquals(held.size(), withLeft);
        assertEquals(0, table.left().size(), "an inline side's slab holds nothing");
    }

    @Test
    void shouldRejectBadSizes() {
        assertThrows(IllegalArgumentException.class, () -> new JoinSlab(-1, false, 4));
        assertThrows(IllegalArgumentException.class, () -> new JoinSlab(2, true, 4));
        assertThrows(IllegalArgumentException.class, () -> new JoinSlab(0, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new LongJoinTable(new JoinSlab(0, false, 1),
            new JoinSlab(0, false, 1), 0));
        assertThrows(IllegalArgumentException.class, () -> new LongJoinTable(new JoinSlab(0, true, 1),
            new JoinSlab(0, false, 1), true, false, 8));
    }
}
