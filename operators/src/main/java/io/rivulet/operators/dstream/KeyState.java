package io.rivulet.operators.dstream;

import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateFormatException;

import java.util.ArrayList;
import java.util.Objects;

/**
 * One key's entry in {@link UpdateStateByKeyOperator} and {@link MapWithStateOperator}: the user's
 * state, the values of the batch now running ({@code updateStateByKey}) and the batch that last
 * called the function with a value ({@code mapWithState}'s timeout; {@link #CALLED_THIS_BATCH} until
 * the batch ends). Mutable; owned by the operator's backend.
 */
final class KeyState {
    /** The key was called with a value in the batch now running: its index is set when the batch ends. */
    static final long CALLED_THIS_BATCH = Long.MAX_VALUE;

    Object state;
    ArrayList<Object> pending;
    long lastBatch = CALLED_THIS_BATCH;

    static final class Codec implements StateCodec<KeyState> {
        private static final int HAS_STATE = 1;
        private static final int HAS_PENDING = 2;
        private final StateCodec<Object> states;
        private final StateCodec<Object> values;

        Codec(StateCodec<Object> states, StateCodec<Object> values) {
            this.states = Objects.requireNonNull(states, "stateCodec");
            this.values = Objects.requireNonNull(values, "valueCodec");
        }

        @Override
        public void write(KeyState entry, SnapshotOutput out) {
            boolean pending = entry.pending != null && !entry.pending.isEmpty();
            out.writeByte((entry.state != null ? HAS_STATE : 0) | (pending ? HAS_PENDING : 0));
            if (entry.state != null) {
                states.write(entry.state, out);
            }
            if (pending) {
                out.writeVarInt(entry.pending.size());
                for (int i = 0; i < entry.pending.size(); i++) {
                    values.write(entry.pending.get(i), out);
                }
            }
            out.writeLong(entry.lastBatch);
        }

        @Override
        public KeyState read(SnapshotInput in) {
            byte flags = in.readByte();
            if ((flags & ~(HAS_STATE | HAS_PENDING)) != 0) {
                throw new StateFormatException("DStream key state: unknown flags " + flags);
            }
            KeyState entry = new KeyState();
            if ((flags & HAS_STATE) != 0) {
                entry.state = states.read(in);
            }
            if ((flags & HAS_PENDING) != 0) {
                int size = in.readVarInt();
                entry.pending = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    entry.pending.add(values.read(in));
                }
            }
            entry.lastBatch = in.readLong();
            return entry;
        }

        @Override
        public KeyState copy(KeyState entry) {
            KeyState copy = new KeyState();
            copy.state = entry.state == null ? null : states.copy(entry.state);
            if (entry.pending != null) {
                copy.pending = new ArrayList<>(entry.pending.size());
                for (int i = 0; i < entry.pending.size(); i++) {
                    copy.pending.add(values.copy(entry.pending.get(i)));
                }
            }
            copy.lastBatch = entry.lastBatch;
            return copy;
        }

        @Override
        public String describe() {
            return "dstreamKeyState(" + states.describe() + ", " + values.describe() + ")";
        }
    }
}
