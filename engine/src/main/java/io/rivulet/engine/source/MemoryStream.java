package io.rivulet.engine.source;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A source the application pushes records into: Spark's {@code MemoryStream}, DStream's
 * {@code queueStream}. For tests and for embedding Rivulet behind code that receives data itself.
 *
 * <p>Thread-safe: any number of threads may add. Records go into a bounded lock-free queue
 * (capacity fixed at creation); {@link #addData} waits while it is full, {@link #offer} does not.
 * Records added before the query starts wait in the queue. One query reads the stream at a time.
 * The stream is unbounded until {@link #end()}; after that the query reads what is left and its
 * input ends.
 *
 * @param <T> record type
 */
public final class MemoryStream<T> implements Source<T> {
    private final String name;
    private final ManyToOneConcurrentArrayQueue<T> queue;
    private final AtomicBoolean attached = new AtomicBoolean();
    private final AtomicLong added = new AtomicLong();
    private volatile boolean ended;

    MemoryStream(String name, int capacity) {
        this.name = Objects.requireNonNull(name, "name");
        if (capacity < 2) {
            throw new IllegalArgumentException("memory stream capacity must be >= 2, got " + capacity);
        }
        this.queue = new ManyToOneConcurrentArrayQueue<>(capacity);
    }

    /**
     * Adds records in order, waiting while the queue is full.
     *
     * @param records the records, none {@code null}
     * @throws IllegalStateException if the stream has ended
     * @throws NullPointerException if a record is {@code null} (nothing after it is added)
     */
    @SafeVarargs
    public final void addData(T... records) {
        addData(List.of(records));
    }

    /**
     * Adds records in order, waiting while the queue is full.
     *
     * @param records the records, none {@code null}
     * @throws IllegalStateException if the stream has ended, or the waiting thread is interrupted
     */
    public void addData(Collection<? extends T> records) {
        IdleStrategy idle = null;
        for (T record : records) {
            checkOpen(record);
            while (!queue.offer(record)) {
                if (idle == null) {
                    idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("interrupted while memory stream '" + name + "' was full");
                }
                idle.idle();
            }
            added.incrementAndGet();
            if (idle != null) {
                idle.reset();
            }
        }
    }

    /**
     * Adds one record if there is room.
     *
     * @param record the record
     * @return {@code false} if the queue is full (the record is not added)
     * @throws IllegalStateException if the stream has ended
     */
    public boolean offer(T record) {
        checkOpen(record);
        if (queue.offer(record)) {
            added.incrementAndGet();
            return true;
        }
        return false;
    }

    private void checkOpen(T record) {
        Objects.requireNonNull(record, "memory stream records must not be null");
        if (ended) {
            throw new IllegalStateException("memory stream '" + name + "' has ended; no more data can be added");
        }
    }

    /**
     * Ends the stream: the reading query reads what is queued, then its input ends.
     */
    public void end() {
        ended = true;
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

    @Override
    public SourceReader<T> open(SourceContext context) {
        if (!attached.compareAndSet(false, true)) {
            throw new IllegalStateException("memory stream '" + name + "' is already read by another query");
        }
        return new SourceReader<>() {
            private SourceOutput<T> output;
            private java.util.function.Consumer<T> emitter;

            @Override
            public int poll(SourceOutput<T> out, int limit) {
                if (out != output) {
                    output = out;
                    emitter = out::emit;
                }
                boolean endedBefore = ended;
                int drained = queue.drain(emitter, limit);
                return drained == 0 && endedBefore && queue.isEmpty() ? END_OF_INPUT : drained;
            }

            @Override
            public void close() {
                attached.set(false);
            }
        };
    }
}
