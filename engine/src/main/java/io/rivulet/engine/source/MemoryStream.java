package io.rivulet.engine.source;

import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A source the application pushes records into: Spark's {@code MemoryStream}, DStream's
 * {@code queueStream}. For tests and for embedding Rivulet behind code that receives data itself.
 *
 * <p>Thread-safe: any number of threads may add. Records go into a bounded queue of exactly
 * {@link #capacity()} records; {@link #addData} waits while it is full, {@link #offer} does not.
 * Records added before the query starts wait in the queue. One query reads the stream at a time;
 * when it ends, what it did not read stays queued for the next. The stream is unbounded until
 * {@link #end()}; after that the query reads what is left, including records of an
 * {@code addData} that was under way, and its input ends.
 *
 * <p>The queue is a JDK {@link ArrayBlockingQueue} (one lock, no allocation per record) rather
 * than a lock-free one: this source is for tests and embedding, and must work in any JVM without
 * extra {@code --add-exports} flags.
 *
 * @param <T> record type
 */
public final class MemoryStream<T> implements Source<T> {
    private final String name;
    private final int capacity;
    private final ArrayBlockingQueue<T> queue;
    /** The query reading the stream, or {@code null}. */
    private final AtomicReference<String> reader = new AtomicReference<>();
    private final AtomicLong added = new AtomicLong();
    /** Threads inside {@code addData}/{@code offer}: the input may not end while one could still add. */
    private final AtomicInteger adders = new AtomicInteger();
    private volatile boolean ended;

    MemoryStream(String name, int capacity) {
        this.name = Objects.requireNonNull(name, "name");
        if (capacity < 2) {
            throw new IllegalArgumentException("memory stream capacity must be >= 2, got " + capacity);
        }
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Adds records in order, waiting while the queue is full.
     *
     * @param records the records, none {@code null}
     * @throws IllegalStateException if the stream has ended, or the waiting thread is interrupted
     * @throws NullPointerException if a record is {@code null} (the records before it are added,
     *     nothing after it)
     */
    @SafeVarargs
    public final void addData(T... records) {
        addData(Arrays.asList(records));
    }

    /**
     * Adds records in order, waiting while the queue is full.
     *
     * @param records the records, none {@code null}
     * @throws IllegalStateException if the stream has ended, or the waiting thread is interrupted
     *     (the interrupt flag stays set; the records before are added)
     * @throws NullPointerException if a record is {@code null} (the records before it are added,
     *     nothing after it)
     */
    public void addData(Collection<? extends T> records) {
        adders.incrementAndGet();
        try {
            for (T record : records) {
                checkOpen(record);
                try {
                    queue.put(record);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while memory stream '" + name + "' was full", e);
                }
                added.incrementAndGet();
            }
        } finally {
            adders.decrementAndGet();
        }
    }

    /**
     * Adds one record if there is room.
     *
     * @param record the record
     * @return {@code false} if the queue is full (the record is not added)
     * @throws IllegalStateException if the stream has ended
     * @throws NullPointerException if the record is {@code null}
     */
    public boolean offer(T record) {
        adders.incrementAndGet();
        try {
            checkOpen(record);
            if (queue.offer(record)) {
                added.incrementAndGet();
                return true;
            }
            return false;
        } finally {
            adders.decrementAndGet();
        }
    }

    private void checkOpen(T record) {
        Objects.requireNonNull(record, "memory stream records must not be null");
        if (ended) {
            throw new IllegalStateException("memory stream '" + name + "' has ended; no more data can be added");
        }
    }

    /**
     * Ends the stream: the reading query reads what is queued, then its input ends. Adding
     * afterwards fails.
     */
    public void end() {
        ended = true;
    }

    /**
     * @return records the queue holds before {@link #addData} waits
     */
    public int capacity() {
        return capacity;
    }

    /**
     * @return records added so far
     */
    public long addedCount() {
        return added.get();
    }

    @Override
    public String description() {
        return "memory[" + name + "]";
    }

    @Override
    public int numPartitions() {
        return 1;
    }

    /**
     * Opens the stream for one query.
     *
     * @throws IllegalStateException if another query reads the stream
     */
    @Override
    public SourceReader<T> open(SourceContext context) {
        String queryName = context.queryName();
        if (!reader.compareAndSet(null, queryName)) {
            throw new IllegalStateException("memory stream '" + name + "' is already read by query '" + reader.get()
                + "'; a memory stream feeds one query at a time");
        }
        return new Reader();
    }

    /** Not thread-safe; owned by the source task. */
    private final class Reader implements SourceReader<T> {
        private boolean closed;

        @Override
        public int poll(SourceOutput<T> out, int limit) {
            // Read in this order: ended, then adders, then (after draining) emptiness. An adder that
            // saw the stream open is counted before end() and uncounted only after its record is
            // queued, so no record can slip in behind the end of input.
            boolean endable = ended && adders.get() == 0;
            int emitted = 0;
            T record;
            while (emitted < limit && (record = queue.poll()) != null) {
                out.emit(record);
                emitted++;
            }
            return emitted == 0 && endable && queue.isEmpty() ? END_OF_INPUT : emitted;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                reader.set(null);
            }
        }
    }
}
