package io.rivulet.operators.dedup;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.QueryableOperator;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.state.StateFormatException;
import io.rivulet.operators.state.TimeBuckets;
import org.agrona.collections.Object2LongHashMap;

import java.util.HashMap;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Spark's streaming deduplication: the first record of each key passes, later records of the key are
 * dropped; records arrive with their key (the exchange computed it). Three rules for how long a key
 * is remembered, one per factory, each Spark's:
 *
 * <table>
 *   <caption>State eviction</caption>
 *   <tr><th>factory</th><th>Spark</th><th>a key is remembered</th></tr>
 *   <tr><td>{@link #keepForever}</td><td>{@code dropDuplicates("id")} (no event-time column in the
 *       key)</td><td>forever</td></tr>
 *   <tr><td>{@link #eventTimeInKey}</td><td>{@code dropDuplicates("id", "ts")} after
 *       {@code withWatermark("ts", ..)}</td><td>the key is (key, event time); evicted once the
 *       watermark is {@code >=} its event time</td></tr>
 *   <tr><td>{@link #withinWatermark}</td><td>{@code dropDuplicatesWithinWatermark("id")}</td><td>until
 *       the watermark is {@code >=} (event time of its first kept record) + the watermark delay;
 *       then the key passes again</td></tr>
 * </table>
 *
 * <p><b>Late records.</b> When the operator knows the event time, a record whose event time is
 * {@code <=} the watermark it last received is late: it is counted in
 * {@link StateMetrics#numRowsDroppedByWatermark()} (one per record, as Spark counts dedup's late
 * rows) and goes to the late output, if any, before the duplicate check (so {@link #keepForever}
 * with an event time drops late rows of new keys too, as Spark does). Records are decided in arrival
 * order: within one epoch or batch the first record of a key wins.
 *
 * <p><b>State.</b> Keys map to their expiry time: {@code Long} keys unboxed in a {@code LongExpiryTable}
 * (open addressing, key and expiry side by side, one probe to find or insert), other keys in an
 * Agrona {@code Object2LongHashMap}. {@code long} keys expire lazily: once the watermark reaches their
 * expiry they read as absent, their slot is reused or swept in slot order, and no eviction touches
 * the table at random. A {@link TimeBuckets} index counts the {@code long} keys per expiry millisecond and
 * holds the object keys, so a watermark evicts exactly what it passed without scanning. The record
 * is never kept, so records copied into reused ring slots are safe.
 *
 * <p><b>Snapshots</b> are incremental: while the query checkpoints, every add and object-key eviction
 * is logged (primitive lists for {@code long} keys; an expired {@code long} key is left out by the
 * writer, which knows the snapshot's watermark); at a barrier the log is handed over, O(changes), and the
 * writer's copy of the state is written per key group on the writer's thread. Entries are written
 * under their key's key group (an event-time key under its record key's), so a checkpoint restores
 * into any partition count; after rescaling, the watermark is the smallest of the old partitions' and
 * the late-row counts are summed.
 *
 * <p><b>Queryable state.</b> A key held reads as the watermark (epoch ms) at which it is forgotten:
 * {@code Long.MAX_VALUE} for {@link #keepForever} (never), its first kept record's event time + delay
 * for {@link #withinWatermark}, and for {@link #eventTimeInKey} the greatest event time held for the
 * record key (its last entry is evicted when the watermark reaches it; found by a scan of the entries
 * held, O(entries)). A key not held reads as absent: its next record passes.
 *
 * <p>Not thread-safe; owned by the partition worker. Only a returned snapshot's {@code writeTo} runs
 * on another thread.
 *
 * @param <K> key type; {@code equals} and {@code hashCode}
 * @param <T> record type
 */
public final class DeduplicateOperator<K, T>
    implements KeyedOperator<K, T, T>, StatefulOperator, CheckpointedOperator, QueryableOperator<K, Long> {
    private static final long MISSING = DedupImage.REMOVED;
    private static final long FOREVER = Long.MAX_VALUE;
    private static final long ENTRY_BYTES_ESTIMATE = 48;
    private static final int KEEP_FOREVER = 0;
    private static final int EVENT_TIME_IN_KEY = 1;
    private static final int WITHIN_WATERMARK = 2;

    private final int mode;
    /** {@code Long} keys go to the {@code long} table: every mode but {@link #EVENT_TIME_IN_KEY}. */
    private final boolean longKeyed;
    private final ToLongFunction<? super T> eventTimeMs;
    private final long delayMs;
    /** The latest event time whose expiry {@code ts + delayMs} does not reach {@link #FOREVER}. */
    private final long lastUnsaturatedTsMs;
    private final Output<? super T> lateOutput;
    private final StateCodec<Object> keyCodec;
    private final int maxParallelism;
    private final KeyGroupRange range;
    private final LongExpiryTable longs = new LongExpiryTable();
    private final Object2LongHashMap<Object> objects = new Object2LongHashMap<>(MISSING);
    private final TimeBuckets expiries = new TimeBuckets();
    private final TimedKey probe = new TimedKey(null, 0);
    private final DedupImage image;
    /** Changes since the previous barrier; {@code null} until the first snapshot or restore. */
    private DedupImage.Delta log;
    private long watermarkMs = Long.MIN_VALUE;
    private boolean watermarkRestored;
    private long droppedRows;
    /** Object keys added (cumulative). */
    private long objectsAdded;
    /** {@code long} keys admitted or restored (cumulative); the hot path's only counter. */
    private long longsAdded;
    /** {@code long} keys whose expiry the watermark reached (cumulative): held = added − expired. */
    private long longsExpired;
    /** Keys restored (cumulative): counted as held, not as added by the query. */
    private long restored;
    /** {@link #objectsAdded} + {@link #longsAdded} − {@link #restored} at the previous metrics read. */
    private long addedAtRead;
    private long removedSinceRead;
    /**
     * The expiry of the {@code long} keys being counted (rows arrive about in event-time order, so
     * most keys share their predecessor's), and {@link #longsAdded} when counting for it began; the
     * count goes to the expiry index when the expiry changes and before a watermark.
     */
    private long countingExpiryMs = MISSING;
    private long countingFrom;

    private DeduplicateOperator(int mode, ToLongFunction<? super T> eventTimeMs, long delayMs, Output<? super T> lateOutput,
                                StateCodec<?> keyCodec, int maxParallelism, KeyGroupRange range) {
        this.mode = mode;
        this.longKeyed = mode != EVENT_TIME_IN_KEY;
        this.eventTimeMs = eventTimeMs;
        this.delayMs = delayMs;
        this.lastUnsaturatedTsMs = FOREVER - 1 - delayMs;
        this.lateOutput = lateOutput;
        @SuppressWarnings("unchecked")
        StateCodec<Object> codec = keyCodec == null ? StateCodecs.dynamic() : (StateCodec<Object>) keyCodec;
        this.keyCodec = codec;
        this.maxParallelism = KeyGroups.checkMaxParallelism(maxParallelism);
        this.range = Objects.requireNonNull(range, "range");
        if (range.end() > maxParallelism) {
            throw new IllegalArgumentException("key group range " + range + " exceeds maxParallelism " + maxParallelism);
        }
        this.image = new DedupImage(codec);
    }

    /**
     * Spark's {@code dropDuplicates(cols)} where no column is the event time: every key is remembered
     * forever (the state grows with the number of distinct keys).
     *
     * @param eventTimeMs the record's event time, epoch ms, to drop records at or behind the watermark
     *     as late (Spark does so whenever the stream has a watermark); {@code null}: nothing is late
     * @param lateOutput where late records go, or {@code null} to drop them
     * @param keyCodec writes keys into snapshots; {@code null} for {@link StateCodecs#dynamic()}
     * @param maxParallelism the query's number of key groups
     * @param range the key groups this partition owns
     * @param <K> key type
     * @param <T> record type
     * @return the operator
     */
    public static <K, T> DeduplicateOperator<K, T> keepForever(ToLongFunction<? super T> eventTimeMs,
                                                               Output<? super T> lateOutput, StateCodec<K> keyCodec,
                                                               int maxParallelism, KeyGroupRange range) {
        return new DeduplicateOperator<>(KEEP_FOREVER, eventTimeMs, 0, lateOutput, keyCodec, maxParallelism, range);
    }

    /**
     * Spark's {@code dropDuplicates(cols)} where the columns include the watermarked event time: the
     * key is (record key, event time), and an entry is evicted once the watermark is {@code >=} its
     * event time. Records at or behind the watermark are late.
     *
     * @param eventTimeMs the record's event time, epoch ms; part of the key
     * @param lateOutput where late records go, or {@code null} to drop them
     * @param keyCodec writes keys into snapshots; {@code null} for {@link StateCodecs#dynamic()}
     * @param maxParallelism the query's number of key groups
     * @param range the key groups this partition owns
     * @param <K> key type
     * @param <T> record type
     * @return the operator
     */
    public static <K, T> DeduplicateOperator<K, T> eventTimeInKey(ToLongFunction<? super T> eventTimeMs,
                                                                  Output<? super T> lateOutput, StateCodec<K> keyCodec,
                                                                  int maxParallelism, KeyGroupRange range) {
        return new DeduplicateOperator<>(EVENT_TIME_IN_KEY, Objects.requireNonNull(eventTimeMs, "eventTimeMs"), 0,
            lateOutput, keyCodec, maxParallelism, range);
    }

    /**
     * Spark's {@code dropDuplicatesWithinWatermark(cols)}: a key is remembered until the watermark is
     * {@code >=} the event time of its first kept record + {@code delayMs}; then it passes again.
     * Records at or behind the watermark are late.
     *
     * @param eventTimeMs the record's event time, epoch ms
     * @param delayMs the watermark delay, ms, {@code >= 0}
     * @param lateOutput where late records go, or {@code null} to drop them
     * @param keyCodec writes keys into snapshots; {@code null} for {@link StateCodecs#dynamic()}
     * @param maxParallelism the query's number of key groups
     * @param range the key groups this partition owns
     * @param <K> key type
     * @param <T> record type
     * @return the operator
     * @throws IllegalArgumentException if {@code delayMs < 0}
     */
    public static <K, T> DeduplicateOperator<K, T> withinWatermark(ToLongFunction<? super T> eventTimeMs, long delayMs,
                                                                   Output<? super T> lateOutput, StateCodec<K> keyCodec,
                                                                   int maxParallelism, KeyGroupRange range) {
        if (delayMs < 0) {
            throw new IllegalArgumentException("dropDuplicatesWithinWatermark delayMs must be >= 0, got " + delayMs);
        }
        return new DeduplicateOperator<>(WITHIN_WATERMARK, Objects.requireNonNull(eventTimeMs, "eventTimeMs"), delayMs,
            lateOutput, keyCodec, maxParallelism, range);
    }

    /**
     * A one-partition operator (every key group of {@link KeyGroups#DEFAULT_MAX_PARALLELISM}) with
     * keys written by {@link StateCodecs#dynamic()}: for tests and benchmarks.
     *
     * @param eventTimeMs see {@link #withinWatermark}
     * @param delayMs see {@link #withinWatermark}
     * @param lateOutput see {@link #withinWatermark}
     * @param <K> key type
     * @param <T> record type
     * @return the operator
     */
    public static <K, T> DeduplicateOperator<K, T> withinWatermark(ToLongFunction<? super T> eventTimeMs, long delayMs,
                                                                   Output<? super T> lateOutput) {
        int max = KeyGroups.DEFAULT_MAX_PARALLELISM;
        return withinWatermark(eventTimeMs, delayMs, lateOutput, null, max, new KeyGroupRange(0, max));
    }

    /**
     * Owner thread, between records; see {@link QueryableOperator} and the class comment.
     *
     * @param key a record key
     * @return the watermark at which the key is forgotten ({@code Long.MAX_VALUE}: never), or
     *     {@code null} if it is not held
     */
    @Override
    public Long queryValue(K key) {
        Objects.requireNonNull(key, "key");
        if (mode == EVENT_TIME_IN_KEY) {
            long[] latest = {MISSING};
            objects.forEachLong((timed, ts) -> {
                if (((TimedKey) timed).key.equals(key)) {
                    latest[0] = latest[0] == MISSING ? ts : Math.max(latest[0], ts);
                }
            });
            return latest[0] == MISSING ? null : latest[0];
        }
        long expiryMs = key instanceof Long boxed ? longs.get(boxed) : objects.getValue(key);
        return expiryMs == MISSING ? null : expiryMs;
    }

    /**
     * Owner thread, between records; see {@link QueryableOperator}: every record key held, with what
     * {@link #queryValue} reads for it. O(keys held).
     *
     * @param keys which keys to read
     * @param into receives each key and the watermark at which it is forgotten
     */
    @Override
    @SuppressWarnings("unchecked")
    public void scanValues(Predicate<? super K> keys, BiConsumer<? super K, ? super Long> into) {
        if (mode == EVENT_TIME_IN_KEY) {
            HashMap<Object, Long> latest = new HashMap<>();
            objects.forEachLong((timed, ts) -> latest.merge(((TimedKey) timed).key, ts, Math::max));
            latest.forEach((key, ts) -> {
                if (keys.test((K) key)) {
                    into.accept((K) key, ts);
                }
            });
            return;
        }
        longs.forEachLong((key, expiryMs) -> {
            K boxed = (K) Long.valueOf(key);
            if (keys.test(boxed)) {
                into.accept(boxed, expiryMs);
            }
        });
        objects.forEachLong((key, expiryMs) -> {
            if (keys.test((K) key)) {
                into.accept((K) key, expiryMs);
            }
        });
    }

    @Override
    public void process(K key, T record, Output<T> out) {
        if (eventTimeMs == null) {
            if (keep(key, FOREVER, 0)) {
                out.emit(record);
            }
            return;
        }
        long ts = eventTimeMs.applyAsLong(record);
        if (ts <= watermarkMs) {
            late(record);
        } else if (longKeyed && key instanceof Long boxed) {
            if (keepLong(boxed, mode == WITHIN_WATERMARK ? expiryOf(ts) : FOREVER)) {
                out.emit(record);
            }
        } else if (keep(key, mode == WITHIN_WATERMARK ? expiryOf(ts) : ts, ts)) {
            out.emit(record);
        }
    }

    /** @return whether the key (with {@code ts} for an event-time key) is new; if so it is now held */
    private boolean keep(K key, long expiryMs, long ts) {
        if (longKeyed && key instanceof Long boxed) {
            return keepLong(boxed, mode == KEEP_FOREVER ? FOREVER : expiryMs);
        }
        return keepObject(key, expiryMs, ts);
    }

    /**
     * The hot path: one probe of the table, one counter, and a log append while checkpointing. Few
     * instructions matter here as much as the probe: the shorter the path, the sooner the CPU issues
     * the next record's probe while this one's cache miss is outstanding.
     */
    private boolean keepLong(long key, long expiryMs) {
        if (longs.putIfAbsent(key, expiryMs) != MISSING) {
            return false;
        }
        if (expiryMs != countingExpiryMs) {
            countFor(expiryMs);
        }
        longsAdded++;
        DedupImage.Delta log = this.log;
        if (log != null) {
            log.addLong(key, expiryMs);
        }
        return true;
    }

    /** Hands the count of the previous expiry to the queue and starts counting for {@code expiryMs}. */
    private void countFor(long expiryMs) {
        flushCount();
        countingExpiryMs = expiryMs;
    }

    private void flushCount() {
        long count = longsAdded - countingFrom;
        if (count > 0 && countingExpiryMs != FOREVER) {
            expiries.count(countingExpiryMs, count);
        }
        countingFrom = longsAdded;
    }

    private boolean keepObject(K key, long expiryMs, long ts) {
        if (mode == EVENT_TIME_IN_KEY) {
            return keepTimed(key, ts);
        }
        if (mode == KEEP_FOREVER) {
            expiryMs = FOREVER;
        }
        if (objects.putIfAbsent(key, expiryMs) != MISSING) {
            return false;
        }
        added(key, expiryMs);
        return true;
    }

    private boolean keepTimed(K key, long ts) {
        probe.key = key;
        probe.eventTimeMs = ts;
        boolean seen = objects.getValue(probe) != MISSING;
        probe.key = null;
        if (seen) {
            return false;
        }
        TimedKey timed = new TimedKey(key, ts);
        objects.put(timed, ts);
        added(timed, ts);
        return true;
    }

    private void added(Object key, long expiryMs) {
        objectsAdded++;
        if (expiryMs != FOREVER) {
            expiries.add(expiryMs, key);
        }
        if (log != null) {
            log.addObject(key, expiryMs);
        }
    }

    private void late(T record) {
        droppedRows++;
        if (lateOutput != null) {
            lateOutput.emit(record);
        }
    }

    /**
     * Evicts every key whose expiry the watermark reached ({@code <=}); emits nothing. {@code long}
     * keys expire in place (they read as absent from now on) and are swept from the table in slot
     * order; object keys are removed here.
     */
    @Override
    public void onWatermark(long watermarkMs, Output<T> out) {
        if (watermarkMs <= this.watermarkMs) {
            return;
        }
        this.watermarkMs = watermarkMs;
        flushCount();
        long expiredLongs = 0;
        while (expiries.earliestMs() <= watermarkMs) {
            expiredLongs += evict(expiries.pollEarliest());
        }
        longs.advance(watermarkMs, expiredLongs);
    }

    /** @return how many {@code long} keys the bucket counted (they expire lazily in the table) */
    private long evict(TimeBuckets.Bucket bucket) {
        DedupImage.Delta log = this.log;
        int objectCount = bucket.size();
        for (int i = 0; i < objectCount; i++) {
            Object key = bucket.key(i);
            objects.removeKey(key);
            if (log != null) {
                log.addObject(key, DedupImage.REMOVED);
            }
        }
        long longCount = bucket.counted();
        longsExpired += longCount;
        removedSinceRead += longCount + objectCount;
        expiries.recycle(bucket);
        return longCount;
    }

    /**
     * @return the keys held now
     */
    public long keyCount() {
        return longsAdded - longsExpired + objects.size();
    }

    /**
     * @return the watermark last received, {@code Long.MIN_VALUE} before any
     */
    public long watermarkMs() {
        return watermarkMs;
    }

    /**
     * Keys held; keys added and evicted since the previous read; late records dropped (cumulative,
     * one per record); a rough memory estimate.
     */
    @Override
    public void stateMetrics(StateMetrics into) {
        long rows = keyCount();
        long added = objectsAdded + longsAdded - restored;
        into.set(rows, added - addedAtRead, removedSinceRead, droppedRows, rows * ENTRY_BYTES_ESTIMATE);
        addedAtRead = added;
        removedSinceRead = 0;
    }

    @Override
    public OperatorSnapshot snapshotState(long epochId) {
        DedupImage.Delta delta = log;
        if (delta == null) {
            delta = image.open(true);
            DedupImage.Delta full = delta;
            longs.forEachLong(full::addLong);
            objects.forEachLong(full::addObject);
        }
        OperatorSnapshot snapshot = delta.snapshot(epochId, watermarkMs, droppedRows);
        log = image.open(false);
        return snapshot;
    }

    @Override
    public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        if (!range.contains(keyGroup)) {
            throw new IllegalStateException("key group " + keyGroup + " is outside this partition's range " + range);
        }
        if (log == null) {
            log = image.open(false);
        }
        while (in.hasRemaining()) {
            byte tag = in.readByte();
            if (tag == DedupImage.LONG_ENTRY) {
                long key = in.readLong();
                long expiryMs = in.readLong();
                if (KeyGroups.keyGroupOf(key, maxParallelism) != keyGroup) {
                    KeyGroups.checkRestoredKey(key, keyGroup, maxParallelism);
                }
                restoreLong(key, expiryMs);
            } else if (tag == DedupImage.OBJECT_ENTRY || tag == DedupImage.TIMED_ENTRY) {
                Object key = keyCodec.read(in);
                KeyGroups.checkRestoredKey(key, keyGroup, maxParallelism);
                long expiryMs = in.readLong();
                restoreObject(tag == DedupImage.TIMED_ENTRY ? new TimedKey(key, expiryMs) : key, expiryMs);
            } else {
                throw new StateFormatException("deduplication state: unknown entry tag " + tag + " in key group " + keyGroup);
            }
        }
    }

    private void restoreLong(long key, long expiryMs) {
        if (longs.put(key, expiryMs) == MISSING) {
            if (expiryMs != countingExpiryMs) {
                countFor(expiryMs);
            }
            longsAdded++;
            restored++;
        }
        image.restoredLong(key, expiryMs);
    }

    private void restoreObject(Object key, long expiryMs) {
        if (objects.put(key, expiryMs) == MISSING && expiryMs != FOREVER) {
            expiries.add(expiryMs, key);
        }
        image.restoredObject(key, expiryMs);
    }

    /** Merges an old partition's watermark (the smallest wins) and late-row count (summed). */
    @Override
    public void restoreOperatorState(SnapshotInput in) {
        byte tag = in.readByte();
        if (tag != DedupImage.OPERATOR_STATE) {
            throw new StateFormatException("deduplication operator state: unknown tag " + tag);
        }
        long restoredWatermarkMs = in.readLong();
        watermarkMs = watermarkRestored ? Math.min(watermarkMs, restoredWatermarkMs) : restoredWatermarkMs;
        watermarkRestored = true;
        droppedRows += in.readLong();
    }

    /** @return {@code ts + delayMs}, saturated below {@link #FOREVER} ({@code delayMs >= 0}) */
    private long expiryOf(long ts) {
        return ts <= lastUnsaturatedTsMs ? ts + delayMs : FOREVER - 1;
    }
}
