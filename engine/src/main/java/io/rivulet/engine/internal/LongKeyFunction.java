package io.rivulet.engine.internal;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The key function of a {@code long}-keyed stage ({@code Stream.keyByLong}): the runtime's exchanges
 * recognise it and carry the key unboxed ({@link #applyAsLong}) to a {@code LongKeyedOperator}; as a
 * {@link Function} it boxes, for code that only knows boxed keys. A {@code long} key is routed by the
 * key group of its boxed {@code Long} ({@code KeyGroups.keyGroupOf(long, int)}), so both paths agree
 * on partitions and on the key groups state is saved by. (Their state formats differ: a restart that
 * switches a stage between {@code keyBy} and {@code keyByLong} is refused by the stateful plan's
 * fingerprint, whose operator descriptions differ.)
 *
 * <p>Immutable and thread-safe if the user's function is.
 *
 * @param <T> record type
 */
public final class LongKeyFunction<T> implements Function<T, Long>, ToLongFunction<T> {
    private final ToLongFunction<? super T> key;

    /**
     * @param key extracts a record's key
     */
    public LongKeyFunction(ToLongFunction<? super T> key) {
        this.key = Objects.requireNonNull(key, "keyFunction");
    }

    /**
     * @param record a record
     * @return its key, unboxed
     */
    @Override
    public long applyAsLong(T record) {
        return key.applyAsLong(record);
    }

    /**
     * @param record a record
     * @return its key, boxed (the slow path)
     */
    @Override
    public Long apply(T record) {
        return key.applyAsLong(record);
    }
}
