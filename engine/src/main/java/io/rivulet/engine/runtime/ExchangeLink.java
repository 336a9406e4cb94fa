package io.rivulet.engine.runtime;

import com.lmax.disruptor.RingBuffer;
import io.rivulet.operators.state.KeyGroups;
import org.agrona.concurrent.IdleStrategy;

import java.util.function.Function;
import java.util.function.ToLongFunction;
import io.rivulet.engine.internal.LongKeyFunction;
import io.rivulet.engine.RecordCopier;
import java.util.Arrays;

/**
 * The end of a chain that feeds a keyed stage: computes the record's key, picks the partition that
 * owns the key's key group ({@link #partitionOf}) and writes it into that partition's ring. Control
 * signals go to every partition.
 *
 * <p>Records are published in batches: {@link #emit} claims and fills a slot, and the owning task
 * calls {@link #flush} at the end of its duty cycle (at most {@code POLL_LIMIT} input records later),
 * which publishes every ring's claimed slots with one ordered store. So the ring's cursor, the one
 * cache line both threads touch, moves once per cycle rather than once per record. Control signals,
 * and any wait for capacity, publish what is pending first, so order is kept and a full ring never
 * waits on slots the worker cannot see.
 *
 * <p>Not thread-safe; owned by the upstream task, which is the single producer of its rings. A full
 * ring makes {@link #emit} wait (back-pressure) until the worker frees a slot or the query aborts.
 */
final class ExchangeLink<K, T> extends Link<T> {
    private final Function<? super T, ? extends K> keyFunction;
    /** The key function of a {@code long}-keyed stage (a {@link LongKeyFunction}), or {@code null}. */
    private final ToLongFunction<? super T> longKeyFunction;
    private final RingBuffer<Slot>[] rings;
    /** Key group to partition, {@code maxParallelism} entries. */
    private final int[] partitionByKeyGroup;
    private final TaskContext context;
    private final RecordCopier<T> copier;
    /** Per ring, the highest claimed sequence not yet published, or {@link #NONE}. */
    private final long[] unpublished;
    private final String stage;
    private boolean pending;
    private static final long NONE = -1;

    /**
     * @param keyFunction the key of a record
     * @param rings one ring per partition
     * @param partitionByKeyGroup {@link KeyGroups#partitionTable} for {@code rings.length} partitions
     * @param context the owning task's context
     * @param copier copies records into ring-owned instances, or {@code null} to pass references
     * @param stage the key function's stage name, for a failed record
     */
    ExchangeLink(Function<? super T, ? extends K> keyFunction, RingBuffer<Slot>[] rings, int[] partitionByKeyGroup,
                 TaskContext context, RecordCopier<T> copier, String stage) {
        this.stage = stage;
        this.longKeyFunction = longKeys(keyFunction);
        keyFunction = guarded(keyFunction, context, stage);
        this.keyFunction = keyFunction;
        this.rings = rings;
        this.partitionByKeyGroup = partitionByKeyGroup;
        this.context = context;
        this.copier = copier;
        this.unpublished = new long[rings.length];
        Arrays.fill(unpublished, NONE);
        context.addExchange(this);
    }

    /**
     * The partition of a key, for every keyed exchange (rings and {@link LocalExchange}): the
     * partition that owns the key's key group ({@link KeyGroups#keyGroupOf}), looked up in the stage's
     * table rather than divided per record. So routing agrees with the key groups state is saved by,
     * and a stage can be restored with another partition count.
     *
     * @param key the key, not {@code null}
     * @param partitionByKeyGroup {@link KeyGroups#partitionTable}: its length is the max parallelism
     * @param partitions the stage's partition count
     * @return the partition, from 0
     */
    static int partitionOf(Object key, int[] partitionByKeyGroup, int partitions) {
        if (partitions == 1) {
            // One partition owns every key group: no hash needed.
            return 0;
        }
        int keyGroups = partitionByKeyGroup.length;
        int keyGroup;
        if ((keyGroups & (keyGroups - 1)) == 0) {
            // A power of two divides the upper bound (2^15), so the key group is the low bits of the key's group
            // among 2^15, whose constant modulus compiles to a mask: no division per record (~2 ns at W2).
            // KeyGroupRoutingTest checks that this equals KeyGroups.keyGroupOf for every key group count.
            keyGroup = KeyGroups.keyGroupOfHash(KeyGroups.stableHash(key), KeyGroups.UPPER_BOUND_MAX_PARALLELISM)
                & (keyGroups - 1);
        } else {
            keyGroup = KeyGroups.keyGroupOf(key, keyGroups);
        }
        return partitionByKeyGroup[keyGroup];
    }

    /**
     * The partition of a {@code long} key: the same as {@link #partitionOf} of the boxed {@code Long}
     * ({@code Long.hashCode} is its stable hash), without the box.
     *
     * @param key the key
     * @param partitionByKeyGroup {@link KeyGroups#partitionTable}: its length is the max parallelism
     * @param partitions the stage's partition count
     * @return the partition, from 0
     */
    static int partitionOfLong(long key, int[] partitionByKeyGroup, int partitions) {
        if (partitions == 1) {
            return 0;
        }
        int keyGroups = partitionByKeyGroup.length;
        int keyGroup;
        if ((keyGroups & (keyGroups - 1)) == 0) {
            keyGroup = KeyGroups.keyGroupOfHash(Long.hashCode(key), KeyGroups.UPPER_BOUND_MAX_PARALLELISM) & (keyGroups - 1);
        } else {
            keyGroup = KeyGroups.keyGroupOf(key, keyGroups);
        }
        return partitionByKeyGroup[keyGroup];
    }

    /**
     * @param keyFunction a stage's key function
     * @return it as a {@code long} key function if the stage is {@code long}-keyed, else {@code null}
     */
    @SuppressWarnings("unchecked")
    static <T> ToLongFunction<? super T> longKeys(Function<? super T, ?> keyFunction) {
        return keyFunction instanceof LongKeyFunction<?> longKeys ? (ToLongFunction<? super T>) longKeys : null;
    }

    @Override
    public void emit(T record) {
        if (longKeyFunction != null) {
            emitLong(record);
            return;
        }
        K key = keyFunction.apply(record);
        if (key == null) {
            // A guarded key function (error policy skip or dead-letter) returns null for a record it handled.
            onNullKey(context, record);
            return;
        }
        emitKeyed(key, record);
    }

    /**
     * A record whose key the caller computed ({@link PreAggregatingLink}): routed and written as {@link #emit}
     * writes it.
     *
     * @param key the record's key, not {@code null}
     * @param record the record
     */
    void emitKeyed(K key, T record) {
        int partition = partitionOf(key, partitionByKeyGroup, rings.length);
        RingBuffer<Slot> ring = rings[partition];
        long sequence = claim(ring);
        Slot slot = ring.get(sequence);
        slot.kind = Slot.RECORD;
        slot.key = key;
        if (copier != null) {
            copy(record, slot);
        } else {
            slot.record = record;
        }
        slot.ingestNs = context.ingestNs;
        unpublished[partition] = sequence;
        pending = true;
    }

    /**
     * A partial accumulator of a (key, window) ({@link PreAggregatingLink}), to the key's partition; published
     * with the cycle's records, so ahead of any watermark or barrier that follows it.
     *
     * @param key the key, not {@code null}
     * @param windowStartMs the window's start, epoch ms
     * @param partial the accumulator; the keyed stage owns it from now on
     * @param records how many records it holds
     */
    void emitPartial(K key, long windowStartMs, Object partial, int records) {
        int partition = partitionOf(key, partitionByKeyGroup, rings.length);
        RingBuffer<Slot> ring = rings[partition];
        long sequence = claim(ring);
        Slot slot = ring.get(sequence);
        slot.kind = Slot.PARTIAL;
        slot.key = key;
        slot.partial = partial;
        slot.value = windowStartMs;
        slot.longKey = records;
        slot.ingestNs = context.ingestNs;
        unpublished[partition] = sequence;
        pending = true;
    }

    /**
     * @return whether the stage's key function is a {@code long} one (keys travel unboxed)
     */
    boolean longKeyed() {
        return longKeyFunction != null;
    }

    /** A record of a {@code long}-keyed stage: the key goes into the slot unboxed ({@link Slot#longKey}). */
    private void emitLong(T record) {
        long key;
        if (context.failures == null) {
            key = longKeyFunction.applyAsLong(record);
        } else {
            try {
                key = longKeyFunction.applyAsLong(record);
            } catch (RuntimeException e) {
                context.onRecordFailure(stage, record, e);
                return;
            }
        }
        int partition = partitionOfLong(key, partitionByKeyGroup, rings.length);
        RingBuffer<Slot> ring = rings[partition];
        long sequence = claim(ring);
        Slot slot = ring.get(sequence);
        slot.kind = Slot.RECORD;
        slot.key = null;
        slot.longKey = key;
        if (copier != null) {
            copy(record, slot);
        } else {
            slot.record = record;
        }
        slot.ingestNs = context.ingestNs;
        unpublished[partition] = sequence;
        pending = true;
    }

    /** Slow path: a null key fails the query under the default policy; a guarded key function already handled it. */
    static void onNullKey(TaskContext context, Object record) {
        if (context.failures == null) {
            throw nullKey(record);
        }
    }

    static NullPointerException nullKey(Object record) {
        return new NullPointerException("keyBy function returned null for record " + record);
    }

    /**
     * The key function a keyed exchange calls: {@code keyFunction} itself under the default policy; under
     * skip or dead-letter one whose failures (a throw, a {@code null} key) go to the task's error policy
     * and come back as a {@code null} key, which the exchange then drops.
     *
     * @param keyFunction the user's key function
     * @param context the producing task
     * @param stage the stage name, for a failed record
     * @return the function to call per record
     */
    static <T, K> Function<? super T, ? extends K> guarded(Function<? super T, ? extends K> keyFunction, TaskContext context,
                                                          String stage) {
        if (context.failures == null) {
            return keyFunction;
        }
        return record -> {
            K key;
            try {
                key = keyFunction.apply(record);
            } catch (RuntimeException e) {
                context.onRecordFailure(stage, record, e);
                return null;
            }
            if (key == null) {
                context.onRecordFailure(stage, record, nullKey(record));
            }
            return key;
        };
    }

    /** Publishes every slot claimed since the last flush. Called by the owning task at the end of each cycle. */
    void flush() {
        if (pending) {
            publishPending();
        }
    }

    private void publishPending() {
        long[] hi = unpublished;
        for (int p = 0; p < hi.length; p++) {
            if (hi[p] != NONE) {
                // Single producer: publishing the highest claimed sequence makes every earlier one visible.
                rings[p].publish(hi[p]);
                hi[p] = NONE;
            }
        }
        pending = false;
    }

    @Override
    void onWatermark(long watermarkMs) {
        publishControl(Slot.WATERMARK, watermarkMs);
    }

    @Override
    void onEpoch(long epochId) {
        publishControl(Slot.BARRIER, epochId);
    }

    @Override
    void onEnd(boolean flush) {
        publishControl(Slot.END, flush ? Slot.END_FLUSH : Slot.END_STOP);
    }

    private void publishControl(int kind, long value) {
        flush();
        for (RingBuffer<Slot> ring : rings) {
            long sequence = claim(ring);
            Slot slot = ring.get(sequence);
            slot.kind = kind;
            slot.key = null;
            if (!slot.ownsRecord) {
                slot.record = null;
            }
            slot.value = value;
            ring.publish(sequence);
        }
    }

    @SuppressWarnings("unchecked")
    private void copy(T record, Slot slot) {
        copier.copy(record, (T) slot.record);
    }

    private long claim(RingBuffer<Slot> ring) {
        if (!ring.hasAvailableCapacity(1)) {
            awaitCapacity(ring);
        }
        return ring.next();
    }

    private void awaitCapacity(RingBuffer<Slot> ring) {
        // The worker can only free slots it can see.
        flush();
        IdleStrategy idle = context.backpressureIdle;
        CoLocatedAgents coLocated = context.coLocated();
        idle.reset();
        while (!ring.hasAvailableCapacity(1)) {
            if (context.query.isAborted()) {
                throw new QueryAbortedException();
            }
            // A consumer on this thread only runs if this thread runs it.
            if (coLocated != null && coLocated.helpOthers() > 0) {
                idle.reset();
                continue;
            }
            idle.idle();
        }
    }
}
