package io.rivulet.engine;

/**
 * Copies records into instances owned by a keyed exchange's ring slots, Disruptor style: every slot
 * holds one pre-allocated record, the producing task copies each record into the slot it claims,
 * and the keyed operator reads it there. A source can then refill one mutable record for every
 * event, and nothing is allocated per record on either side of the exchange.
 *
 * <p>The price: the record a keyed operator receives is reused as soon as the operator returns, so
 * the operator must not keep a reference to it. Rivulet's aggregations and windows keep none; a
 * late-data sink receives a fresh copy. A custom keyed operator ({@code process}) that keeps input
 * records must not be used with a copier.
 *
 * <p>Implementations must be thread-safe (called on every producing task's thread); they usually
 * are stateless.
 *
 * @param <T> record type
 */
public interface RecordCopier<T> {
    /**
     * @return a new, empty instance (called when rings are created, and for late-data copies)
     */
    T newInstance();

    /**
     * Copies every field a downstream operator reads.
     *
     * @param from the record emitted upstream
     * @param into a slot's instance, overwritten
     */
    void copy(T from, T into);
}
