package io.rivulet.operators.groupstate;

import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateFormatException;

import java.util.Objects;

/**
 * One key's stored group state: its value (or none, for a removed key whose timeout is still set)
 * and its timeout. One state row per key, as Spark's state store holds it. Mutated in place by the
 * operator (the keyed state backend copies it first when a snapshot still refers to it).
 *
 * @param <S> state type
 */
final class GroupEntry<S> {
    S value;
    long timeoutMs = GroupStateImpl.NO_TIMESTAMP;

    /** Writes an entry as a flag byte, the value with the user's codec if present, and the timeout. */
    static final class Codec<S> implements StateCodec<GroupEntry<S>> {
        private static final byte HAS_VALUE = 1;
        private final StateCodec<S> valueCodec;

        Codec(StateCodec<S> valueCodec) {
            this.valueCodec = Objects.requireNonNull(valueCodec, "stateCodec");
        }

        @Override
        public void write(GroupEntry<S> entry, SnapshotOutput out) {
            out.writeByte(entry.value != null ? HAS_VALUE : 0);
            if (entry.value != null) {
                valueCodec.write(entry.value, out);
            }
            out.writeLong(entry.timeoutMs);
        }

        @Override
        public GroupEntry<S> read(SnapshotInput in) {
            byte flags = in.readByte();
            if ((flags & ~HAS_VALUE) != 0) {
                throw new StateFormatException("group state entry: unknown flags " + flags);
            }
            GroupEntry<S> entry = new GroupEntry<>();
            if (flags == HAS_VALUE) {
                entry.value = valueCodec.read(in);
            }
            entry.timeoutMs = in.readLong();
            return entry;
        }

        @Override
        public GroupEntry<S> copy(GroupEntry<S> entry) {
            GroupEntry<S> copy = new GroupEntry<>();
            copy.value = entry.value == null ? null : valueCodec.copy(entry.value);
            copy.timeoutMs = entry.timeoutMs;
            return copy;
        }

        @Override
        public String describe() {
            return "groupState(" + valueCodec.describe() + ")";
        }
    }
}
