package io.rivulet.operators.dedup;

import org.agrona.collections.Long2LongHashMap;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void shouldReadExpiredEntriesAsAbsentAndAdmitTheirKeysAgainInTheSameSlot() {
        LongExpiryTable table = new LongExpiryTable();
        for (long key = 0; key < 20; key++) {
            assertEquals(LongExpiryTable.MISSING, table.putIfAbsent(key, 100 + key));
        }
        table.advance(109, 0); // no sweep: the entries stay in their slots
        assertEquals(20, table.size());
        assertEquals(LongExpiryTable.MISSING, table.get(9));
        assertEquals(110, table.get(10));
        assertEquals(110, table.putIfAbsent(10, 999), "a live key is a duplicate");
        assertEquals(LongExpiryTable.MISSING, table.putIfAbsent(9, 500), "an expired key is admitted again");
        assertEquals(500, table.get(9));
        assertEquals(20, table.size(), "re-admission reuses the expired slot");
        Long2LongHashMap live = new Long2LongHashMap(LongExpiryTable.MISSING);
        table.forEachLong(live::put);
        assertEquals(11, live.size(), "keys 9..19 are live");
    }

    @Test
    void shouldAgreeWithAnEagerlyEvictingMapUnderAdmitsAndRisingWatermarks() {
        LongExpiryTable table = new LongExpiryTable();
        Long2LongHashMap reference = new Long2LongHashMap(LongExpiryTable.MISSING);
        SplittableRandom random = new SplittableRandom(11);
        long watermarkMs = 0;
        for (int step = 0; step < 300_000; step++) {
            long key = random.nextInt(20_000);
            if (random.nextInt(50) == 0) {
                watermarkMs += random.nextInt(40);
                long w = watermarkMs;
                int before = reference.size();
                reference.entrySet().removeIf(e -> e.getValue() <= w);
                table.advance(watermarkMs, before - reference.size());
            } else if (random.nextBoolean()) {
                long expiry = watermarkMs + 1 + random.nextInt(200);
                assertEquals(reference.putIfAbsent(key, expiry), table.putIfAbsent(key, expiry), "putIfAbsent " + key);
            } else {
                assertEquals(reference.get(key), table.get(key), "get " + key);
            }
        }
        Long2LongHashMap seen = new Long2LongHashMap(LongExpiryTable.MISSING);
        table.forEachLong(seen::put);
        assertEquals(reference, seen);
    }

    @Test
    void shouldSweepExpiredEntriesSoSteadyChurnNeverGrowsTheTable() {
        LongExpiryTable table = new LongExpiryTable();
        long key = 0;
        int perMs = 1_000;
        for (long ms = 1; ms <= 400; ms++) {
            for (int i = 0; i < perMs; i++) {
                table.putIfAbsent(key++ * 7919, ms + 60); // 60 ms live: 60 000 keys live in steady state
            }
            table.advance(ms, ms > 60 ? perMs : 0);
        }
        assertEquals(1 << 17, table.capacity(), "60 000 live keys, under 50 % of the slots once expired ones are swept");
        Long2LongHashMap live = new Long2LongHashMap(LongExpiryTable.MISSING);
        table.forEachLong(live::put);
        assertEquals(60_000, live.size());
        // The sweep runs while more than 55 % of the slots are used, 8 slots per expired key.
        assertTrue(table.size() <= (1 << 17) * 55 / 100 + (1 << 17) / LongExpiryTable.SWEEP_SLOTS_PER_EXPIRY,
            "expired entries left in slots: " + (table.size() - 60_000));
    }

    @Test
    void shouldSweepEntriesExpiringAtLongMaxValueOnlyOnceTheWatermarkReachesIt() {
        LongExpiryTable table = new LongExpiryTable();
        for (long k = 0; k < 40; k++) {
            table.putIfAbsent(k, Long.MAX_VALUE); // 40 of 64 slots: above 55 %, so every advance below sweeps
        }
        table.advance(Long.MAX_VALUE - 1, 40); // a budget of 320 slots: the whole table is walked
        assertEquals(40, table.size(), "nothing expires below Long.MAX_VALUE (the sweep's skip test must not wrap)");
        assertEquals(Long.MAX_VALUE, table.get(0));
        table.advance(Long.MAX_VALUE, 40);
        assertEquals(0, table.size(), "a watermark of Long.MAX_VALUE expires and sweeps everything");
        assertEquals(LongExpiryTable.MISSING, table.get(0));
    }

    @Test
    void shouldKeepEveryLiveKeyFindableWhileTheSweepEmptiesExpiredSlotsInsideLongChains() {
        LongExpiryTable table = new LongExpiryTable();
        SplittableRandom random = new SplittableRandom(3);
        long[] expiry = new long[40];
        for (int k = 0; k < 40; k++) {
            expiry[k] = 1 + random.nextInt(10);
            table.putIfAbsent(k * 64L, expiry[k]); // one chain: every key hashes near the others
        }
        for (long w = 1; w <= 10; w++) {
            table.advance(w, 40); // sweep the whole (64-slot) table while more than 55 % is used
            for (int k = 0; k < 40; k++) {
                assertEquals(expiry[k] > w ? expiry[k] : LongExpiryTable.MISSING, table.get(k * 64L), "key " + k + " at " + w);
            }
        }
        assertTrue(table.size() < 40, "the sweep emptied slots: " + table.size());
        Long2LongHashMap live = new Long2LongHashMap(LongExpiryTable.MISSING);
        table.forEachLong(live::put);
        assertTrue(live.isEmpty());
    }

    @Test
    void shouldLeaveExpiredEntriesBehindWhenItGrows() {
        LongExpiryTable table = new LongExpiryTable();
        for (long key = 0; key < 40; key++) {
            table.putIfAbsent(key, key < 30 ? 1 : 1000);
        }
        table.advance(1, 0); // 30 expired, not reported: the sweep owes nothing
        for (long key = 100; key < 200; key++) {
            table.putIfAbsent(key, 1000); // 110 live keys: grows past 64 slots, rehashing live entries only
        }
        assertEquals(256, table.capacity());
        assertEquals(110, table.size(), "no expired entry left in a slot");
        Long2LongHashMap live = new Long2LongHashMap(LongExpiryTable.MISSING);
        table.forEachLong(live::put);
        assertEquals(110, live.size());
    }

    @Test
    void shouldRejectTheEmptyMarkerAsExpiry() {
        LongExpiryTable table = new LongExpiryTable();
        assertThrows(IllegalArgumentException.class, () -> table.put(1, LongExpiryTable.MISSING));
    }
}
