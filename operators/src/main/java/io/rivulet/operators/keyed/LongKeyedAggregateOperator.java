package io.rivulet.operators.keyed;

import io.rivulet.operators.LongKeyValue;
import io.rivulet.operators.LongKeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.QueryableOperator;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.function.LongFoldFunction;
import io.rivulet.operators.function.Sneaky;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.StateFormatException;
import org.agrona.collections.IntArrayList;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Running per-key aggregation of a {@code long}-keyed stream into a {@code long} state: a count, a
 * sum or any {@link LongFoldFunction}, emitting {@link LongKeyValue}{@code (key, state)} according to
 * its {@link EmitPolicy}. The primitive counterpart of {@link KeyedAggregateOperator}, with the same
 * guarantees (snapshots per key group, restore into any partition count, state figures, queryable
 * state) and no allocation per record: the state lives in a {@link LongRunningTable} (key, value and
 * bookkeeping in one 32-byte slot), the key arrives unboxed ({@link #processLong}).
 *
 * <h2>Emitting</h2>
 * {@link EmitPolicy#EVERY_RECORD} emits a new {@link LongKeyValue} per record (24 bytes; the one
 * allocation of that policy). {@link EmitPolicy#ON_EPOCH} emits one per key changed in the epoch, in
 * an unspecified order, and allocates nothing per record: a key's first change in an epoch stamps the
 * epoch in its slot and, while few keys changed (up to 1/32 of the
 * table's slots), appends the slot to a list that the flush walks; past that, the flush finds the changed
 * keys by one sequential scan of the table, which the hardware prefetches, instead of one cache miss per
 * key in a large table. {@link EmitPolicy#ALL_ON_EPOCH} emits every key, in the table's order:
 * unspecified.
 *
 * <h2>Batches</h2>
 * A count or a sum that is not emitted per record ({@link EmitPolicy#ON_EPOCH},
 * {@link EmitPolicy#ALL_ON_EPOCH}) takes each record's addend at once and adds up to {@value #BATCH}
 * of them to the table together: the slots of the batch's keys are read first, so in a table larger
 * than the caches their misses overlap instead of following one another (measured in
 * docs/benchmarks.md). Nothing observes the difference: every read of the state (the flush at the
 * epoch's end, a snapshot, a query, the state figures) adds the pending batch first. A general
 * {@link LongFoldFunction} folds each record at once.
 *
 * <h2>Snapshots</h2>
 * As {@link RunningKeyedOperator}'s: incremental and O(1) at the barrier. A key's first change since
 * the previous barrier puts its slot on a list, handed over as is to a {@link LongSnapshotImage},
 * whose writer thread reads each slot as of the barrier; the owner copies a value only when it
 * changes a key the writer has not copied yet (one 32-byte version, the only allocation with
 * checkpoints, and only while the writer lags). The image writes, per key group, only the key groups
 * changed since the writer's base. A block is a list of {@code (ENTRY, key, value)}; restore checks
 * that the block's key group is this partition's and that each key still hashes to it
 * ({@link KeyGroups#keyGroupOf(long, int)}, the boxed {@code Long}'s key group).
 *
 * <h2>State figures</h2>
 * One row per key; memory is the table's slots and the image's copy, estimated at
 * {@value #IMAGE_BYTES_PER_KEY} bytes per key for the latter. Rows updated are the keys emitted as
 * changed under {@link EmitPolicy#ON_EPOCH} (0 under the other policies, which do not track them).
 *
 * <h2>Queryable state</h2>
 * A key's value is its state as a {@code Long} (boxing on the query path only).
 *
 * <p>Not thread-safe; owned by the partition worker.
 *
 * @param <T> input type
 */
public final class LongKeyedAggregateOperator<T>
    implements LongKeyedOperator<T, LongKeyValue>, CheckpointedOperator, StatefulOperator, QueryableOperator<Long, Long> {
    /** Bytes a key takes in the snapshot image (Agrona map entry at its load factor), for the memory estimate. */
    static final int IMAGE_BYTES_PER_KEY = 32;
    /** Records of a count or sum added to the table together (see the class comment, "Batches"). */
    static final int BATCH = 64;

    private final long initial;
    private final LongFoldFunction<? super T> fn;
    /**
     * For a count or a sum not emitted per record: a record's addend, taken at once (so a record that
     * fails, fails in {@link #processLong}), added to its key in a batch ({@link #applyBatch}); else
     * {@code null}.
     */
    private final ToLongFunction<? super T> addend;
    private final long[] batchKeys = new long[BATCH];
    private final long[] batchAddends = new long[BATCH];
    private int batched;
    /** Keeps the batch's touching loads alive (see {@link LongRunningTable#touch}); never read. */
    private long touched;
    private final EmitPolicy emitPolicy;
    private final int maxParallelism;
    private final KeyGroupRange range;
    private final LongSnapshotImage image = new LongSnapshotImage();
    private final LongRunningTable table = new LongRunningTable(image);
    /** The emission epoch: bumped at each flush, {@code >= 1}. */
    private long epoch = 1;
    private long updatedSinceRead;

    /**
     * An operator owning every key group of {@link KeyGroups#DEFAULT_MAX_PARALLELISM}.
     *
     * @param initial a key's state before its first record
     * @param fn folds a record into its key's state
     * @param emitPolicy when states are emitted
     */
    public LongKeyedAggregateOperator(long initial, LongFoldFunction<? super T> fn, EmitPolicy emitPolicy) {
        this(initial, fn, emitPolicy, KeyGroups.DEFAULT_MAX_PARALLELISM,
            new KeyGroupRange(0, KeyGroups.DEFAULT_MAX_PARALLELISM));
    }

    /**
     * @param initial a key's state before its first record
     * @param fn folds a record into its key's state
     * @param emitPolicy when states are emitted
     * @param maxParallelism the number of key groups
     * @param range the key groups this partition owns (restore refuses others)
     */
    public LongKeyedAggregateOperator(long initial, LongFoldFunction<? super T> fn, EmitPolicy emitPolicy,
                                      int maxParallelism, KeyGroupRange range) {
        this(initial, fn, null, emitPolicy, maxParallelism, range);
    }

    private LongKeyedAggregateOperator(long initial, LongFoldFunction<? super T> fn, ToLongFunction<? super T> addend,
                                       EmitPolicy emitPolicy, int maxParallelism, KeyGroupRange range) {
        this.initial = initial;
        this.fn = Objects.requireNonNull(fn, "fn");
        this.addend = emitPolicy == EmitPolicy.EVERY_RECORD ? null : addend;
        this.emitPolicy = Objects.requireNonNull(emitPolicy, "emitPolicy");
        this.maxParallelism = KeyGroups.checkMaxParallelism(maxParallelism);
        this.range = Objects.requireNonNull(range, "range");
    }

    /**
     * A running count per key.
     *
     * @param emitPolicy when counts are emitted
     * @param maxParallelism the number of key groups
     * @param range the key groups this partition owns
     * @param <T> input type
     * @return the operator
     */
    public static <T> LongKeyedAggregateOperator<T> count(EmitPolicy emitPolicy, int maxParallelism, KeyGroupRange range) {
        return new LongKeyedAggregateOperator<>(0, (count, record) -> count + 1, record -> 1, emitPolicy,
            maxParallelism, range);
    }

    /**
     * A running {@code long} sum per key (overflow wraps, as {@code long} addition).
     *
     * @param value the record's value
     * @param emitPolicy when sums are emitted
     * @param maxParallelism the number of key groups
     * @param range the key groups this partition owns
     * @param <T> input type
     * @return the operator
     */
    public static <T> LongKeyedAggregateOperator<T> sum(ToLongFunction<? super T> value, EmitPolicy emitPolicy,
                                                       int maxParallelism, KeyGroupRange range) {
        Objects.requireNonNull(value, "value");
        return new LongKeyedAggregateOperator<>(0, (sum, record) -> sum + value.applyAsLong(record), value,
            emitPolicy, maxParallelism, range);
    }

    @Override
    public void processLong(long key, T record, Output<LongKeyValue> out) {
        ToLongFunction<? super T> addend = this.addend;
        if (addend != null) {
            int n = batched;
            batchAddends[n] = addend.applyAsLong(record);
            batchKeys[n] = key;
            batched = ++n;
            if (n == BATCH) {
                applyBatch();
            }
            return;
        }
        LongRunningTable table = this.table;
        int i = table.indexOf(key);
        long updated;
        if (i >= 0) {
            updated = fold(table.value(i), record);
            table.beforeChange(i);
            table.value(i, updated);
        } else {
            // A fold that throws leaves no trace: the key is only inserted with a folded value.
            updated = fold(initial, record);
            i = table.insert(key, updated);
        }
        if (emitPolicy == EmitPolicy.EVERY_RECORD) {
            out.emit(new LongKeyValue(key, updated));
        } else if (emitPolicy == EmitPolicy.ON_EPOCH) {
            table.changedInEpoch(i, epoch);
        }
    }

    /**
     * Adds the batch's addends to their keys. The table's slots of all the batch's keys are read
     * first, so their cache misses overlap instead of following one another.
     */
    private void applyBatch() {
        int n = batched;
        if (n == 0) {
            return;
        }
        LongRunningTable table = this.table;
        touched += table.touch(batchKeys, n);
        boolean listChanges = emitPolicy == EmitPolicy.ON_EPOCH;
        for (int k = 0; k < n; k++) {
            long key = batchKeys[k];
            long add = batchAddends[k];
            int i = table.indexOf(key);
            if (i >= 0) {
                table.beforeChange(i);
                table.value(i, table.value(i) + add);
            } else {
                i = table.insert(key, initial + add);
            }
            if (listChanges) {
                table.changedInEpoch(i, epoch);
            }
        }
        batched = 0;
    }

    private long fold(long state, T record) {
        try {
            return fn.update(state, record);
        } catch (Exception e) {
            throw Sneaky.rethrow(e);
        }
    }

    @Override
    public void onEpoch(long epochId, Output<LongKeyValue> out) {
        flushChanged(out);
    }

    @Override
    public void onEnd(Output<LongKeyValue> out) {
        flushChanged(out);
    }

    private void flushChanged(Output<LongKeyValue> out) {
        applyBatch();
        epoch++;
        if (emitPolicy == EmitPolicy.ALL_ON_EPOCH) {
            table.forEach((key, value) -> out.emit(new LongKeyValue(key, value)));
            return;
        }
        LongRunningTable table = this.table;
        long ended = epoch - 1;
        updatedSinceRead += table.changedInEpochCount();
        if (table.changedInEpochListed()) {
            IntArrayList changed = table.changedInEpoch();
            for (int k = 0, n = changed.size(); k < n; k++) {
                int i = changed.getInt(k);
                out.emit(new LongKeyValue(table.key(i), table.value(i)));
            }
        } else {
            for (int i = table.nextChangedInEpoch(0, ended); i >= 0; i = table.nextChangedInEpoch(i + 1, ended)) {
                out.emit(new LongKeyValue(table.key(i), table.value(i)));
            }
        }
        table.clearChangedInEpoch();
    }

    /**
     * Number of keys holding state.
     *
     * @return the key count
     */
    public int keyCount() {
        applyBatch();
        return table.size();
    }

    /** Owner thread; see {@link QueryableOperator}. */
    @Override
    public Long queryValue(Long key) {
        applyBatch();
        int i = table.indexOf(key);
        return i < 0 ? null : table.value(i);
    }

    /** Owner thread; see {@link QueryableOperator}. */
    @Override
    public void scanValues(Predicate<? super Long> keys, BiConsumer<? super Long, ? super Long> into) {
        applyBatch();
        table.forEach((key, value) -> {
            Long boxed = key;
            if (keys.test(boxed)) {
                into.accept(boxed, value);
            }
        });
    }

    /**
     * Reports the keys held and the keys emitted as changed since the previous read (see the class
     * comment); resets the latter.
     */
    @Override
    public void stateMetrics(StateMetrics into) {
        applyBatch();
        long bytes = ((long) table.capacity() * LongRunningTable.STRIDE + LongRunningTable.BASE) * Long.BYTES
            + (image.seq() > 1 ? (long) table.size() * IMAGE_BYTES_PER_KEY : 0);
        into.set(table.size(), updatedSinceRead, 0, 0, bytes);
        updatedSinceRead = 0;
    }

    /**
     * Hands the slots changed since the last snapshot over to the image as they are, O(1); the writer
     * thread reads their values as of this barrier (see the class comment). Owner thread.
     *
     * @param epochId the epoch that just ended
     * @return the snapshot
     */
    @Override
    public OperatorSnapshot snapshotState(long epochId) {
        applyBatch(); // the epoch's records are in the table before the barrier hands its changes over
        LongRunningTable.Generation generation = table.generation();
        return image.snapshot(epochId, generation, table.handOver(image.spareList()));
    }

    @Override
    public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        if (!range.contains(keyGroup)) {
            throw new IllegalStateException("key group " + keyGroup + " is outside this partition's range " + range);
        }
        while (in.hasRemaining()) {
            int tag = in.readByte();
            if (tag != LongSnapshotImage.ENTRY) {
                throw new StateFormatException("running long-key aggregation state: unknown entry tag "
                    + tag + " in key group " + keyGroup);
            }
            long key = in.readLong();
            long value = in.readLong();
            int now = KeyGroups.keyGroupOf(key, maxParallelism);
            if (now != keyGroup) {
                throw new IllegalStateException("long key " + key + " was saved in key group " + keyGroup
                    + " but hashes to key group " + now + " with maxParallelism " + maxParallelism
                    + ": the checkpoint was written with another number of key groups");
            }
            table.restore(key, value);
            image.putRestored(key, value);
        }
    }
}
