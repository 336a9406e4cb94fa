package io.rivulet.engine.source;

import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateFormatException;

/**
 * The framing every built-in reader puts around its position: a version byte, so a position written
 * by an older layout is recognised rather than misread. Stateless.
 */
final class Positions {
    static final int VERSION = 1;

    private Positions() {
    }

    /**
     * @param out where the position goes
     * @return {@code out}, with the version written
     */
    static SnapshotOutput begin(SnapshotOutput out) {
        return out.writeByte(VERSION);
    }

    /**
     * @param in a saved position
     * @param source the source's description, for the error
     * @return {@code in}, past the version
     * @throws StateFormatException if the version is unknown
     */
    static SnapshotInput open(SnapshotInput in, String source) {
        int version = in.readByte();
        if (version != VERSION) {
            throw new StateFormatException("the checkpoint holds a position of " + source + " in layout version " + version
                + "; this version of Rivulet reads version " + VERSION);
        }
        return in;
    }

    /**
     * Writes a strided position: partition {@code p} of {@code n} reads indices {@code p, p+n, ...}.
     */
    static void writeStrided(SnapshotOutput out, long next, int numPartitions) {
        begin(out).writeInt(numPartitions).writeLong(next);
    }

    /**
     * Reads a strided position and checks it belongs to this partition of this partition count.
     *
     * @return the index of the partition's next record
     * @throws IllegalStateException if the source's partition count changed since the checkpoint
     */
    static long readStrided(SnapshotInput in, SourceContext context, String source) {
        open(in, source);
        int saved = in.readInt();
        long next = in.readLong();
        if (saved != context.numPartitions()) {
            throw new IllegalStateException(source + " had " + saved + " partitions when the checkpoint was taken and has "
                + context.numPartitions() + " now: a restart cannot follow a changed numPartitions");
        }
        if (next < 0 || next % saved != context.partition()) {
            throw new StateFormatException("the checkpoint's position " + next + " of " + source + " is not one of partition "
                + context.partition());
        }
        return next;
    }
}
