package io.rivulet.engine;

import io.rivulet.operators.KeyValue;

import java.time.Duration;

/**
 * The result of {@link PairDStream#mapWithState} (Spark's {@code MapWithStateDStream}): the mapped
 * records, and, through {@link #stateSnapshots()}, every key's state at the end of each batch. A query
 * writes one or the other (each runs its own state operator).
 *
 * <p>Immutable and thread-safe.
 *
 * @param <K> key type
 * @param <V> value type
 * @param <S> state type
 * @param <R> mapped type
 */
public final class MapWithStateDStream<K, V, S, R> extends DStream<R> {
    private final PairDStream<K, S> snapshots;

    MapWithStateDStream(Stream<R> mapped, PairDStream<K, S> snapshots, Duration batchInterval, Duration slide) {
        super(mapped, batchInterval, slide);
        this.snapshots = snapshots;
    }

    /**
     * Spark's {@code stateSnapshots()}: {@code (key, state)} of every key with state, after each batch
     * (its timeouts done).
     *
     * @return the state snapshots
     */
    public PairDStream<K, S> stateSnapshots() {
        return snapshots;
    }
}
