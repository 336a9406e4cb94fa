package io.rivulet.operators.state;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One entry's mutable value (an accumulator, a running state) that a barrier hands over by
 * reference, and that the writer thread copies later, as it was at that barrier: the base of the
 * entries an operator hands over with {@link SnapshotImage.Delta#handOver}.
 *
 * <p><b>Protocol.</b> The owner thread changes the value only through {@link #value(Object)}, and
 * before the first change of each epoch asks {@link #isChangedIn} / {@link #markChanged}. The cell
 * remembers the sequence of the last epoch it changed in ({@link #changedSeq()}): the delta of that
 * epoch's barrier holds it. If the writer has not applied that delta yet
 * ({@code changedSeq > }{@link SnapshotImage#consumedSeq()}), {@link #markChanged} first copies the
 * value (copy-on-write): it pushes the current object, the barrier's version, on the cell's version
 * list, then makes the copy the owner's value, so the owner never mutates an object the writer may
 * still read. The writer reads {@link #valueAt} the delta's sequence: the value, then the version list
 * (acquire), so it takes the barrier's version whenever the owner replaced the value after the barrier.
 * A version is published (release) before the value it replaces, so a writer that sees the new value
 * sees the version too; one that sees the old value reads an object the owner no longer mutates.
 * Versions older than the newest delta applied are unlinked at the next push: the list is at most as
 * long as the deltas waiting for the writer.
 *
 * <p>An immutable value (the operator replaces it at each change) costs no copy: the codec's
 * {@link StateCodec#copy} returns it, and only the version is pushed.
 *
 * <p>Owner thread: the constructor, {@link #value()}, {@link #value(Object)}, {@link #isChangedIn},
 * {@link #markChanged}, {@link #changedSeq()}. Writer thread: {@link #valueAt} only.
 *
 * @param <V> value type
 */
public abstract class SnapshotCell<V> {
    private static final VarHandle VALUE;
    private static final VarHandle VERSIONS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            VALUE = lookup.findVarHandle(SnapshotCell.class, "value", Object.class);
            VERSIONS = lookup.findVarHandle(SnapshotCell.class, "versions", Version.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private V value;
    private long changedSeq;
    private Version<V> versions;

    /**
     * @param value the first value
     * @param changedSeq the epoch sequence ({@link SnapshotImage#seq()}) of a new entry, which goes
     *     on the operator's changed list; {@code 0} for an entry the image already holds (restored)
     */
    protected SnapshotCell(V value, long changedSeq) {
        this.value = value;
        this.changedSeq = changedSeq;
    }

    /**
     * @return the current value. Owner thread.
     */
    public final V value() {
        return value;
    }

    /**
     * Sets the value (release store: a writer that reads it sees every version pushed before). Owner
     * thread; call {@link #markChanged} first if the cell did not change in this epoch yet.
     *
     * @param value the new value
     */
    public final void value(V value) {
        VALUE.setRelease(this, value);
    }

    /**
     * @return the sequence of the last epoch the value changed in; {@code 0} if never since the
     *     image took it. Owner thread.
     */
    public final long changedSeq() {
        return changedSeq;
    }

    /**
     * The per-record test. Owner thread.
     *
     * @param seq the current epoch's sequence ({@link SnapshotImage#seq()})
     * @return whether the cell already changed in that epoch (and is on the changed list)
     */
    public final boolean isChangedIn(long seq) {
        return changedSeq == seq;
    }

    /**
     * Records the cell's first change in epoch {@code seq}, copying the value first if a delta the
     * writer has not applied yet holds it. The caller then puts the cell on its changed list and
     * changes the value. Owner thread.
     *
     * @param seq the current epoch's sequence ({@link SnapshotImage#seq()})
     * @param consumedSeq {@link SnapshotImage#consumedSeq()}, read now
     * @param codec copies the value
     * @return whether the value was copied
     */
    public final boolean markChanged(long seq, long consumedSeq, StateCodec<V> codec) {
        long last = changedSeq;
        changedSeq = seq;
        if (last <= consumedSeq) {
            return false;
        }
        V barrierVersion = value;
        Version<V> head = versions;
        if (head != null) {
            if (head.seq <= consumedSeq) {
                head = null;
            } else {
                for (Version<V> v = head; v.older != null; v = v.older) {
                    if (v.older.seq <= consumedSeq) {
                        v.older = null; // a writer still walking past here never needs what follows
                        break;
                    }
                }
            }
        }
        VERSIONS.setRelease(this, new Version<>(last, barrierVersion, head));
        VALUE.setRelease(this, codec.copy(barrierVersion));
        return true;
    }

    /**
     * The value as it was at the barrier of epoch {@code seq}. Writer thread, while it applies the
     * delta of that barrier (which holds this cell): the object returned is one the owner no longer
     * mutates, or mutates only after the writer publishes {@link SnapshotImage#consumedSeq()}
     * {@code >= seq}; copy it before that if it is mutable.
     *
     * @param seq the sequence of the delta being applied
     * @return the barrier's value
     */
    @SuppressWarnings("unchecked")
    public final V valueAt(long seq) {
        V current = (V) VALUE.getAcquire(this);
        for (Version<V> v = (Version<V>) VERSIONS.getAcquire(this); v != null; v = v.older) {
            if (v.seq == seq) {
                return v.value;
            }
            if (v.seq < seq) {
                break;
            }
        }
        return current;
    }

    /** A value as it was at the barrier of epoch {@code seq}, kept for a writer that has not copied it yet. */
    private static final class Version<V> {
        final long seq;
        final V value;
        /** Older versions (lower sequences); unlinked by the owner once the writer is past them. */
        Version<V> older;

        Version(long seq, V value, Version<V> older) {
            this.seq = seq;
            this.value = value;
            this.older = older;
        }
    }
}
