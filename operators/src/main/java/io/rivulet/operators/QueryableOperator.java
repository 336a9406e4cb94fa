package io.rivulet.operators;

import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * A stateful operator whose per-key state can be read while it runs (queryable state): the runtime
 * calls these methods on the operator's owner thread between two records, so a read sees the state
 * as of a record boundary and needs no lock.
 *
 * <p>What is read is a copy the caller may keep and hand to another thread: the operator copies each
 * value it returns (with its state codec, {@code StateCodec.copy}, or by building an immutable result).
 * Keys are returned as held (keys are immutable by the keyed-state contract).
 *
 * <p>Not thread-safe: owner thread only (the partition worker, or the micro-batch driver).
 *
 * @param <K> key type
 * @param <V> the type of the value read for a key
 */
public interface QueryableOperator<K, V> {
    /**
     * Reads one key's current value.
     *
     * @param key the key; never {@code null}
     * @return a copy of the key's value, or {@code null} if the key holds no state
     */
    V queryValue(K key);

    /**
     * Reads every key that holds state and passes {@code keys}, in an unspecified order.
     *
     * @param keys which keys to read; only the values of those it accepts are copied
     * @param into receives each key and a copy of its value
     */
    void scanValues(Predicate<? super K> keys, BiConsumer<? super K, ? super V> into);
}
