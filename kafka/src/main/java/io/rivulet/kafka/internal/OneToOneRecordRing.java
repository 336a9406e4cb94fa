package io.rivulet.kafka.internal;

import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded single-producer single-consumer ring of Kafka records, each tagged with the ordinal of the epoch it
 * belongs to and a floor of that epoch's id: a sink writer's task thread offers, its publisher thread peeks and
 * polls. Slots are pre-allocated (a queue of objects would allocate a holder per record for the two tags);
 * {@link #offer} never blocks and returns {@code false} when the ring is full.
 */
final class OneToOneRecordRing {
    private final ProducerRecord<byte[], byte[]>[] records;
    private final long[] ordinals;
    private final long[] epochFloors;
    private final int mask;
    /** The next slot to offer into; written by the producer only. */
    private final AtomicLong tail = new AtomicLong();
    /** The next slot to poll; written by the consumer only. */
    private final AtomicLong head = new AtomicLong();
    /** The producer's last reading of {@link #head}. Producer's only. */
    private long headCache;

    /**
     * @param capacity slots, a power of two
     * @throws IllegalArgumentException if the capacity is not a positive power of two
     */
    @SuppressWarnings("unchecked")
    OneToOneRecordRing(int capacity) {
        if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("the record ring's capacity must be a positive power of two, got " + capacity);
        }
        records = (ProducerRecord<byte[], byte[]>[]) new ProducerRecord[capacity];
        ordinals = new long[capacity];
        epochFloors = new long[capacity];
        mask = capacity - 1;
    }

    /**
     * Producer: appends a record. The append is a volatile write, so a consumer's flag read after it (see the
     * publisher's idle protocol) cannot be reordered before it.
     *
     * @param ordinal the ordinal of the record's epoch among the writer's epochs
     * @param epochFloor a lower bound of the record's epoch id, or -1
     * @return {@code false} if the ring is full (nothing appended)
     */
    boolean offer(ProducerRecord<byte[], byte[]> record, long ordinal, long epochFloor) {
        long t = tail.get();
        if (t - headCache > mask) {
            headCache = head.get();
            if (t - headCache > mask) {
                return false;
            }
        }
        int slot = (int) t & mask;
        records[slot] = record;
        ordinals[slot] = ordinal;
        epochFloors[slot] = epochFloor;
        tail.set(t + 1);
        return true;
    }

    /** Consumer: @return whether a record is waiting */
    boolean isEmpty() {
        return head.get() == tail.get();
    }

    /** Consumer: @return the epoch ordinal of the oldest record; only when not {@linkplain #isEmpty empty} */
    long peekOrdinal() {
        return ordinals[(int) head.get() & mask];
    }

    /** Consumer: @return the epoch floor of the oldest record; only when not {@linkplain #isEmpty empty} */
    long peekEpochFloor() {
        return epochFloors[(int) head.get() & mask];
    }

    /** Consumer: removes the oldest record; only when not {@linkplain #isEmpty empty}. @return it */
    ProducerRecord<byte[], byte[]> poll() {
        long h = head.get();
        int slot = (int) h & mask;
        ProducerRecord<byte[], byte[]> record = records[slot];
        records[slot] = null;
        head.lazySet(h + 1);
        return record;
    }
}
