package io.rivulet.operators.dstream;

import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateFormatException;

import java.util.Arrays;
import java.util.Objects;

/**
 * One key's state in a {@link BatchWindowOperator}: the reduce of its values in the batch now running
 * ({@code pending}), the per-batch reduces still inside the window (oldest first), and, with an
 * inverse function, the window's running value. Mutable; owned by the operator's backend.
 */
final class WindowEntry {
    private static final int INITIAL_CAPACITY = 4;

    /** This batch's reduce (a list of records when collecting), or {@code null}. */
    Object pending;
    long[] batches = new long[INITIAL_CAPACITY];
    Object[] partials = new Object[INITIAL_CAPACITY];
    int size;
    /** The window's value kept by add and subtract (inverse mode), or {@code null}. */
    Object window;

    void append(long batch, Object partial) {
        if (size == batches.length) {
            batches = Arrays.copyOf(batches, size * 2);
            partials = Arrays.copyOf(partials, size * 2);
        }
        batches[size] = batch;
        partials[size] = partial;
        size++;
    }

    void removeOldest() {
        System.arraycopy(batches, 1, batches, 0, size - 1);
        System.arraycopy(partials, 1, partials, 0, size - 1);
        size--;
        partials[size] = null;
    }

    /** Writes the entry with a codec for values (partials, pending, window); copies deep through it. */
    static final class Codec implements StateCodec<WindowEntry> {
        private static final int HAS_PENDING = 1;
        private static final int HAS_WINDOW = 2;
        private final StateCodec<Object> values;

        Codec(StateCodec<Object> values) {
            this.values = Objects.requireNonNull(values, "values");
        }

        @Override
        public void write(WindowEntry entry, SnapshotOutput out) {
            out.writeByte((entry.pending != null ? HAS_PENDING : 0) | (entry.window != null ? HAS_WINDOW : 0));
            if (entry.pending != null) {
                values.write(entry.pending, out);
            }
            if (entry.window != null) {
                values.write(entry.window, out);
            }
            out.writeVarInt(entry.size);
            for (int i = 0; i < entry.size; i++) {
                out.writeLong(entry.batches[i]);
                values.write(entry.partials[i], out);
            }
        }

        @Override
        public WindowEntry read(SnapshotInput in) {
            byte flags = in.readByte();
            if ((flags & ~(HAS_PENDING | HAS_WINDOW)) != 0) {
                throw new StateFormatException("DStream window entry: unknown flags " + flags);
            }
            WindowEntry entry = new WindowEntry();
            if ((flags & HAS_PENDING) != 0) {
                entry.pending = values.read(in);
            }
            if ((flags & HAS_WINDOW) != 0) {
                entry.window = values.read(in);
            }
            int size = in.readVarInt();
            for (int i = 0; i < size; i++) {
                long batch = in.readLong();
                entry.append(batch, values.read(in));
            }
            return entry;
        }

        @Override
        public WindowEntry copy(WindowEntry entry) {
            WindowEntry copy = new WindowEntry();
            copy.pending = entry.pending == null ? null : values.copy(entry.pending);
            copy.window = entry.window == null ? null : values.copy(entry.window);
            for (int i = 0; i < entry.size; i++) {
                copy.append(entry.batches[i], values.copy(entry.partials[i]));
            }
            return copy;
        }

        @Override
        public String describe() {
            return "dstreamWindow(" + values.describe() + ")";
        }
    }
}
