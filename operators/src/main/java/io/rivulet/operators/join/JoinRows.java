package io.rivulet.operators.join;

import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateFormatException;

import java.util.Arrays;

/**
 * One key's buffered rows of one join side, in arrival order: event time, arrival sequence number,
 * "matched" flag and the row, in parallel arrays (no object per row). The state value of the join's
 * keyed state; written by {@link Codec}.
 *
 * <p>Not thread-safe; owned by the join operator (a snapshot holds its own copy, see {@link Codec#copy}).
 *
 * @param <V> row type
 */
final class JoinRows<V> {
    long[] timesMs;
    long[] seqs;
    boolean[] matched;
    Object[] values;
    int size;

    JoinRows(int capacity) {
        timesMs = new long[capacity];
        seqs = new long[capacity];
        matched = new boolean[capacity];
        values = new Object[capacity];
    }

    void add(long timeMs, long seq, V value, boolean isMatched) {
        if (size == timesMs.length) {
            grow();
        }
        timesMs[size] = timeMs;
        seqs[size] = seq;
        matched[size] = isMatched;
        values[size] = value;
        size++;
    }

    private void grow() {
        int capacity = Math.max(2, size * 2);
        timesMs = Arrays.copyOf(timesMs, capacity);
        seqs = Arrays.copyOf(seqs, capacity);
        matched = Arrays.copyOf(matched, capacity);
        values = Arrays.copyOf(values, capacity);
    }

    @SuppressWarnings("unchecked")
    V value(int i) {
        return (V) values[i];
    }

    /**
     * Removes row {@code i} by moving the later rows down, keeping arrival order.
     *
     * @param keep the number of rows before {@code i} already compacted (the write position)
     * @param i the row read
     */
    void moveTo(int keep, int i) {
        if (keep != i) {
            timesMs[keep] = timesMs[i];
            seqs[keep] = seqs[i];
            matched[keep] = matched[i];
            values[keep] = values[i];
        }
    }

    /** Ends a compaction: rows {@code [keep, size)} are dropped. */
    void truncate(int keep) {
        Arrays.fill(values, keep, size, null);
        size = keep;
    }

    /**
     * Writes a side's rows: count, then per row time, sequence, flag and the row with the side's codec.
     *
     * @param <V> row type
     */
    static final class Codec<V> implements StateCodec<JoinRows<V>> {
        private final StateCodec<V> rowCodec;

        Codec(StateCodec<V> rowCodec) {
            this.rowCodec = rowCodec;
        }

        @Override
        public void write(JoinRows<V> rows, SnapshotOutput out) {
            out.writeVarInt(rows.size);
            for (int i = 0; i < rows.size; i++) {
                out.writeLong(rows.timesMs[i]);
                out.writeLong(rows.seqs[i]);
                out.writeBoolean(rows.matched[i]);
                rowCodec.write(rows.value(i), out);
            }
        }

        @Override
        public JoinRows<V> read(SnapshotInput in) {
            int n = in.readVarInt();
            if (n < 0) {
                throw new StateFormatException("join rows: negative row count " + n);
            }
            JoinRows<V> rows = new JoinRows<>(Math.max(2, n));
            for (int i = 0; i < n; i++) {
                long timeMs = in.readLong();
                long seq = in.readLong();
                boolean isMatched = in.readBoolean();
                rows.add(timeMs, seq, rowCodec.read(in), isMatched);
            }
            return rows;
        }

        /** The arrays are copied; each row through its codec's {@code copy} (the row itself if immutable). */
        @Override
        public JoinRows<V> copy(JoinRows<V> rows) {
            JoinRows<V> copy = new JoinRows<>(Math.max(2, rows.size));
            for (int i = 0; i < rows.size; i++) {
                copy.add(rows.timesMs[i], rows.seqs[i], rowCodec.copy(rows.value(i)), rows.matched[i]);
            }
            return copy;
        }

        @Override
        public String describe() {
            return "joinRows(" + rowCodec.describe() + ")";
        }
    }
}
