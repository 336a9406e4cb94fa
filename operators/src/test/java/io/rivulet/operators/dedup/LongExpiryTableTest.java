package io.rivulet.operators.dedup;

import org.agrona.collections.Long2LongHashMap;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LongExpiryTableTest {
    @Test
    void shouldAgreeWithAHashMapUnderRandomPutsAndRemovesAcrossResizes() {
        LongExpiryTable table = new LongExpiryTable();
        Long2LongHashMap reference = new Long2LongHashMap(LongExpiryTable.MISSING);
        SplittableRandom random = new SplittableRandom(7);
        for (int step = 0; step < 200_000; step++) {
            long key = random.nextInt(5_000) - 2_500L;
            long expiry = random.nextLong(1_000_000);
            switch (random.nextInt(4)) {
                case 0 -> assertEquals(reference.putIfAbsent(key, expiry), table.putIfAbsent(key, expiry), "putIfAbsent " + key);
                case 1 -> assertEquals(reference.put(key, expiry), table.put(key, expiry), "put " + key);
                case 2 -> assertEquals(reference.remove(key), table.remove(key), "remove " + key);
                default -> assertEquals(reference.get(key), table.get(key), "get " + key);
            }
            assertEquals(reference.size(), table.size());
        }
        Long2LongHashMap seen = new Long2LongHashMap(LongExpiryTable.MISSING);
        table.forEachLong(seen::put);
        assertEquals(reference, seen);
    }

    @Test
    void shouldKeepKeysThatCollideInOneChainFindableAfterRemovingTheirPredecessor() {
        LongExpiryTable table = new LongExpiryTable();
        for (long key = 0; key < 40; key++) {
            table.putIfAbsent(key * 64, key + 1);
        }
        for (long key = 0; key < 40; key += 2) {
            assertEquals(key + 1, table.remove(key * 64));
        }
        for (long key = 1; key < 40; key += 2) {
            assertEquals(key + 1, table.get(key * 64), "key " + key * 64);
        }
        assertEquals(20, table.size());
    }

    @Test
    void shouldRejectTheEmptyMarkerAsExpiry() {
        LongExpiryTable table = new LongExpiryTable();
        assertThrows(IllegalArgumentException.class, () -> table.putIfAbsent(1, LongExpiryTable.MISSING));
    }
}
