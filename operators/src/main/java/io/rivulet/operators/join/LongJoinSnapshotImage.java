package io.rivulet.operators.join;

import io.rivulet.operators.state.KeptKeyGroups;
import io.rivulet.operators.state.KeyGroupWriter;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodec;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Incremental snapshots of the long-key join ({@link StreamStreamLongJoinOperator}) with an O(1)
 * barrier: the writer thread keeps a copy of the join's rows, by key group and key, and brings it to
 * each barrier by replaying the {@link JoinChangeLog}s the barriers handed over; the owner never
 * waits for the writer and the writer never reads the owner's table. A write encodes only the key
 * groups changed since the writer's base ({@link KeyGroupWriter#baseSnapshotId}, the rule of
 * {@link KeptKeyGroups}) and keeps the others.
 *
 * <p>A key group block is a list of keys, each {@code ENTRY (byte), key (long)}, then per side (left,
 * right): the row count ({@code int}), the side's columns per row ({@code int}, 0 for object rows) and
 * each row in arrival order: time, sequence {@code << 1 | matched}, then its columns or its object as
 * the side's {@link StateCodec} writes it.
 *
 * <p><b>Threads.</b> {@link #spareLog}, {@link #restoringLog} and {@link #snapshot} on the operator's
 * owner thread; a snapshot's {@code writeTo} on the runtime's writer thread, one at a time, oldest first
 * (one the runtime skipped or abandoned is applied by the next one written).
 *
 * @param <L> left row type
 * @param <R> right row type
 */
final class LongJoinSnapshotImage<L, R> {
    /** The tag of a key in a key group block. */
    static final byte ENTRY = 1;

    private final int leftWidth;
    private final int rightWidth;
    private final StateCodec<L> leftCodec;
    private final StateCodec<R> rightCodec;
    private final ConcurrentLinkedQueue<Delta> pending = new ConcurrentLinkedQueue<>();
    /** Guards the image: writes run one at a time, and each sees the last one's image. */
    private final Object lock = new Object();
    private final KeptKeyGroups kept = new KeptKeyGroups();
    private Long2ObjectHashMap<KeyRows>[] groups;
    private long lastApplied = Long.MIN_VALUE;
    /** A log the writer emptied, for the owner's next interval. */
    private final AtomicReference<JoinChangeLog> spareLog = new AtomicReference<>();
    /** Rows restored, not yet queued: they go ahead of the first delta. Owner thread. */
    private JoinChangeLog restoring;

    /**
     * @param leftWidth the left side's columns per row, 0 for object rows
     * @param rightWidth the right side's, 0 for object rows
     * @param leftCodec writes left object rows
     * @param rightCodec writes right object rows
     */
    LongJoinSnapshotImage(int leftWidth, int rightWidth, StateCodec<L> leftCodec, StateCodec<R> rightCodec) {
        this.leftWidth = leftWidth;
        this.rightWidth = rightWidth;
        this.leftCodec = leftCodec;
        this.rightCodec = rightCodec;
    }

    /** @return an empty log: one the writer emptied, or a new one. Owner thread */
    JoinChangeLog spareLog() {
        JoinChangeLog spare = spareLog.getAndSet(null);
        return spare != null ? spare : new JoinChangeLog();
    }

    /**
     * @return the log restored rows are appended to, as {@link JoinChangeLog#ADD}s; the image takes them
     *     with the first snapshot. Owner thread, while restoring
     */
    JoinChangeLog restoringLog() {
        if (restoring == null) {
            restoring = new JoinChangeLog();
        }
        return restoring;
    }

    /** @return whether rows were restored into the image (so the owner's log continues from them) */
    boolean restored() {
        return restoring != null;
    }

    /**
     * Seals a barrier: the changes since the previous one, handed over as they are. Owner thread, O(1).
     *
     * @param epochId the epoch that just ended
     * @param changes the log since the previous barrier, or (with {@code full}) every row; the image owns it
     * @param full whether {@code changes} is the whole state (the image drops what it held first)
     * @param operatorState the operator's own values as of the barrier, written in order after the key groups
     * @return the snapshot
     */
    OperatorSnapshot snapshot(long epochId, JoinChangeLog changes, boolean full, long[] operatorState) {
        if (restoring != null) {
            pending.add(new Delta(Long.MIN_VALUE, restoring, false, true));
            restoring = null;
        }
        Delta delta = new Delta(epochId, changes, full, false);
        pending.add(delta);
        return writer -> {
            write(delta, writer);
            SnapshotOutput out = writer.operatorState();
            for (long value : operatorState) {
                out.writeLong(value);
            }
        };
    }

    /** Writer thread: applies the pending deltas up to {@code delta}, then writes or keeps each key group. */
    private void write(Delta delta, KeyGroupWriter writer) {
        synchronized (lock) {
            if (delta.applied && delta.epochId != lastApplied) {
                throw new IllegalStateException("snapshot of epoch " + delta.epochId
                    + " written after the image moved on to epoch " + lastApplied);
            }
            int maxParallelism = writer.maxParallelism();
            sizeGroups(maxParallelism);
            Delta next;
            while (!delta.applied && (next = pending.poll()) != null) {
                apply(next, maxParallelism);
            }
            if (!delta.applied) {
                throw new IllegalStateException("snapshot of epoch " + delta.epochId + " is not this image's");
            }
            boolean keeping = kept.beginWrite(writer.baseSnapshotId());
            for (int g = 0; g < maxParallelism; g++) {
                if (holds(g)) {
                    if (!keeping || kept.mustWrite(g)) {
                        writeGroup(groups[g], writer.forKeyGroup(g));
                    } else {
                        writer.keepKeyGroup(g);
                    }
                }
            }
            kept.endWrite(writer.snapshotId(), null);
        }
    }

    private boolean holds(int keyGroup) {
        return groups[keyGroup] != null && !groups[keyGroup].isEmpty();
    }

    @SuppressWarnings("unchecked")
    private void sizeGroups(int maxParallelism) {
        if (groups == null) {
            groups = new Long2ObjectHashMap[KeyGroups.checkMaxParallelism(maxParallelism)];
        } else if (groups.length != maxParallelism) {
            throw new IllegalStateException("the writer has maxParallelism " + maxParallelism
                + " but this image was written with " + groups.length + ": the number of key groups cannot change");
        }
    }

    private Long2ObjectHashMap<KeyRows> group(int keyGroup) {
        Long2ObjectHashMap<KeyRows> group = groups[keyGroup];
        if (group == null) {
            group = new Long2ObjectHashMap<>();
            groups[keyGroup] = group;
        }
        return group;
    }

    private void apply(Delta delta, int maxParallelism) {
        if (delta.full) {
            for (int g = 0; g < maxParallelism; g++) {
                if (holds(g)) {
                    kept.changed(g);
                    groups[g].clear();
                }
            }
        }
        JoinChangeLog log = delta.log;
        int objects = 0;
        for (int i = 0, n = log.size(); i < n; ) {
            long tag = log.at(i);
            long key = log.at(i + 1);
            boolean isLeft = JoinChangeLog.isLeft(tag);
            int width = isLeft ? leftWidth : rightWidth;
            int g = KeyGroups.keyGroupOf(key, maxParallelism);
            Long2ObjectHashMap<KeyRows> group = group(g);
            KeyRows rows = group.get(key);
            switch (JoinChangeLog.kind(tag)) {
                case JoinChangeLog.ADD -> {
                    if (rows == null) {
                        rows = new KeyRows(leftWidth, rightWidth);
                        group.put(key, rows);
                    }
                    Rows side = isLeft ? rows.left : rows.right;
                    int at = side.append(log.at(i + 2), log.at(i + 3));
                    if (width == 0) {
                        side.values[at] = log.object(objects++);
                    } else {
                        for (int c = 0; c < width; c++) {
                            side.columns[at * width + c] = log.at(i + 4 + c);
                        }
                    }
                    i += 4 + width;
                }
                case JoinChangeLog.MATCH -> {
                    missing(rows, key, tag).side(isLeft).markMatched(log.at(i + 2), key);
                    i += 3;
                }
                case JoinChangeLog.REMOVE -> {
                    missing(rows, key, tag).side(isLeft).remove(log.at(i + 2), key);
                    if (rows.left.size == 0 && rows.right.size == 0) {
                        group.remove(key);
                    }
                    i += 3;
                }
                default -> throw new IllegalStateException("join change log: unknown entry tag " + tag + " at " + i);
            }
            if (delta.restored) {
                kept.restored();
            } else {
                kept.changed(g);
            }
        }
        log.clear();
        if (!delta.restored) {
            spareLog.lazySet(log);
        }
        delta.log = null;
        delta.applied = true;
        lastApplied = delta.epochId;
    }

    private static KeyRows missing(KeyRows rows, long key, long tag) {
        if (rows == null) {
            throw new IllegalStateException("join change log: entry " + tag + " for key " + key
                + " that the image does not hold");
        }
        return rows;
    }

    private void writeGroup(Long2ObjectHashMap<KeyRows> group, SnapshotOutput out) {
        group.forEachLong((key, rows) -> {
            out.writeByte(ENTRY).writeLong(key);
            writeSide(rows.left, leftWidth, leftCodec, out);
            writeSide(rows.right, rightWidth, rightCodec, out);
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> void writeSide(Rows rows, int width, StateCodec<T> codec, SnapshotOutput out) {
        out.writeInt(rows.size).writeInt(width);
        for (int r = 0; r < rows.size; r++) {
            out.writeLong(rows.meta[2 * r]).writeLong(rows.meta[2 * r + 1]);
            if (width == 0) {
                codec.write((T) rows.values[r], out);
            } else {
                for (int c = 0; c < width; c++) {
                    out.writeLong(rows.columns[r * width + c]);
                }
            }
        }
    }

    /** One key's rows in the image. Writer thread. */
    private static final class KeyRows {
        final Rows left;
        final Rows right;

        KeyRows(int leftWidth, int rightWidth) {
            left = new Rows(leftWidth);
            right = new Rows(rightWidth);
        }

        Rows side(boolean isLeft) {
            return isLeft ? left : right;
        }
    }

    /** One side's rows of a key in arrival order: time and sequence pairs, then columns or objects. Writer thread. */
    private static final class Rows {
        private final int width;
        long[] meta = new long[4];
        long[] columns;
        Object[] values;
        int size;

        Rows(int width) {
            this.width = width;
            columns = width == 0 ? null : new long[2 * width];
            values = width == 0 ? new Object[2] : null;
        }

        /** @return the new row's index; its payload is the caller's to write */
        int append(long timeMs, long seqAndMatched) {
            if (2 * size == meta.length) {
                meta = Arrays.copyOf(meta, meta.length * 2);
                if (width == 0) {
                    values = Arrays.copyOf(values, values.length * 2);
                } else {
                    columns = Arrays.copyOf(columns, columns.length * 2);
                }
            }
            meta[2 * size] = timeMs;
            meta[2 * size + 1] = seqAndMatched;
            return size++;
        }

        private int indexOf(long seq, long key) {
            for (int r = 0; r < size; r++) {
                if (meta[2 * r + 1] >>> 1 == seq) {
                    return r;
                }
            }
            throw new IllegalStateException("join change log: row " + seq + " of key " + key
                + " that the image does not hold");
        }

        void markMatched(long seq, long key) {
            meta[2 * indexOf(seq, key) + 1] |= 1;
        }

        void remove(long seq, long key) {
            int r = indexOf(seq, key);
            int after = size - r - 1;
            System.arraycopy(meta, 2 * (r + 1), meta, 2 * r, 2 * after);
            if (width == 0) {
                System.arraycopy(values, r + 1, values, r, after);
                values[size - 1] = null;
            } else {
                System.arraycopy(columns, (r + 1) * width, columns, r * width, after * width);
            }
            size--;
        }
    }

    /** One barrier's changes (or the restored rows); handed over on the owner thread, applied on the writer's. */
    private static final class Delta {
        private final long epochId;
        private final boolean full;
        private final boolean restored;
        private JoinChangeLog log;
        private volatile boolean applied;

        Delta(long epochId, JoinChangeLog log, boolean full, boolean restored) {
            this.epochId = epochId;
            this.log = log;
            this.full = full;
            this.restored = restored;
        }
    }
}
