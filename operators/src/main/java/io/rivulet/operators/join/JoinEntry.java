package io.rivulet.operators.join;

import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateFormatException;

/**
 * One key's join state: its buffered left rows and right rows, either {@code null} when the side holds
 * none (never both: an entry with no rows is removed). One entry per key keeps a row's match and its
 * buffering to one state lookup. Written by {@link Codec}.
 *
 * <p>Not thread-safe; owned by the join operator (a snapshot holds its own copy, see {@link Codec#copy}).
 *
 * @param <L> left row type
 * @param <R> right row type
 */
final class JoinEntry<L, R> {
    JoinRows<L> left;
    JoinRows<R> right;

    /**
     * Writes an entry: a byte of flags (1: left rows follow, 2: right rows follow), then each side's rows.
     *
     * @param <L> left row type
     * @param <R> right row type
     */
    static final class Codec<L, R> implements StateCodec<JoinEntry<L, R>> {
        private final JoinRows.Codec<L> leftCodec;
        private final JoinRows.Codec<R> rightCodec;

        Codec(StateCodec<L> leftRowCodec, StateCodec<R> rightRowCodec) {
            this.leftCodec = new JoinRows.Codec<>(leftRowCodec);
            this.rightCodec = new JoinRows.Codec<>(rightRowCodec);
        }

        @Override
        public void write(JoinEntry<L, R> entry, SnapshotOutput out) {
            out.writeByte((entry.left != null ? 1 : 0) | (entry.right != null ? 2 : 0));
            if (entry.left != null) {
                leftCodec.write(entry.left, out);
            }
            if (entry.right != null) {
                rightCodec.write(entry.right, out);
            }
        }

        @Override
        public JoinEntry<L, R> read(SnapshotInput in) {
            int flags = in.readByte();
            if ((flags & ~3) != 0 || flags == 0) {
                throw new StateFormatException("join entry: bad side flags " + flags);
            }
            JoinEntry<L, R> entry = new JoinEntry<>();
            if ((flags & 1) != 0) {
                entry.left = leftCodec.read(in);
            }
            if ((flags & 2) != 0) {
                entry.right = rightCodec.read(in);
            }
            return entry;
        }

        @Override
        public JoinEntry<L, R> copy(JoinEntry<L, R> entry) {
            JoinEntry<L, R> copy = new JoinEntry<>();
            copy.left = entry.left == null ? null : leftCodec.copy(entry.left);
            copy.right = entry.right == null ? null : rightCodec.copy(entry.right);
            return copy;
        }

        @Override
        public String describe() {
            return "joinEntry(" + leftCodec.describe() + ", " + rightCodec.describe() + ")";
        }
    }
}
