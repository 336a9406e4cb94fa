package io.rivulet.engine.source;

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
        Iterator<? extends T> iterator = elements.iterator();
        return (out, limit) -> {
            int emitted = 0;
            while (emitted < limit && iterator.hasNext()) {
                T element = iterator.next();
                if (element == null) {
                    throw new NullPointerException("iterable source holds a null element");
                }
                out.emit(element);
                emitted++;
            }
            return emitted == 0 && !iterator.hasNext() ? SourceReader.END_OF_INPUT : emitted;
        };
    }
}
