package io.rivulet.engine.source;

import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;

import java.util.Iterator;
import java.util.Objects;

/**
 * A bounded, single-partition source over an {@link Iterable}: each query that reads it iterates it
 * once, from the start. The input ends when the iterator has no more elements.
 *
 * <p>Thread-safe as long as the iterable may be iterated from another thread.
 *
 * @param <T> record type
 */
public final class IterableSource<T> implements Source<T> {
    private final Iterable<? extends T> elements;

    IterableSource(Iterable<? extends T> elements) {
        this.elements = Objects.requireNonNull(elements, "elements");
    }

    @Override
    public String description() {
        return "iterable";
    }

    @Override
    public int numPartitions() {
        return 1;
    }

    @Override
    public SourceReader<T> open(SourceContext context) {
        Reader<T> reader = new Reader<>(elements.iterator());
        SnapshotInput position = context.restoredPosition();
        if (position != null) {
            reader.skip(Positions.open(position, description()).readLong());
        }
        return reader;
    }

    /**
     * Replayable by count: a reader's position is how many elements it emitted, and a restarted query
     * iterates the iterable again and skips that many. Correct when the iterable yields the same
     * elements in the same order each time (a collection does).
     */
    @Override
    public boolean isReplayable() {
        return true;
    }

    /** Not thread-safe; owned by the source task. */
    private static final class Reader<T> implements SourceReader<T> {
        private final Iterator<? extends T> iterator;
        private long emitted;

        Reader(Iterator<? extends T> iterator) {
            this.iterator = iterator;
        }

        void skip(long count) {
            while (emitted < count) {
                if (!iterator.hasNext()) {
                    throw new IllegalStateException("the checkpoint's position is after element " + count
                        + " of the iterable source, but it now holds only " + emitted
                        + ": the iterable changed since the checkpoint was taken");
                }
                iterator.next();
                emitted++;
            }
        }

        @Override
        public int poll(SourceOutput<T> out, int limit) {
            int polled = 0;
            while (polled < limit && iterator.hasNext()) {
                T element = iterator.next();
                if (element == null) {
                    throw new NullPointerException("iterable source holds a null element");
                }
                emitted++;
                out.emit(element);
                polled++;
            }
            return polled == 0 && !iterator.hasNext() ? END_OF_INPUT : polled;
        }

        @Override
        public void writePosition(SnapshotOutput out) {
            Positions.begin(out).writeLong(emitted);
        }
    }
}
