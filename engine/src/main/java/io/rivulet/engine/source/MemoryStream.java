package io.rivulet.engine.source;

import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;

import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A source the application pushes records into: Spark's {@code MemoryStream}, DStream's
 * {@code queueStream}. For tests and for embedding Rivulet behind code that receives data itself.
 *
 * <p>Thread-safe: any number of threads may add. Records go into a bounded queue of exactly
 * {@link #capacity()} records; {@link #addData} waits while it is full, {@link #offer} does not.
 * Records added before the query starts wait in the queue. One query reads the stream at a time;
 * when it ends, what it did not read stays queued for the next. The stream is unbounded until
 * {@link #end()}; after that the query reads what is left, including records of an
 * {@code addData} that was under way, and its input ends. The records of one {@code addData} call
 * become readable together, so a micro-batch never splits them (Spark's {@code MemoryStream}
 * behaves so); a call with more records than the capacity makes each readable as it is queued.
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
    /** Records readable: queued by a finished {@code addData} (or one record at a time, see there). */
    private final AtomicLong added = new AtomicLong();
    /** Adders take turns, so one call's records are contiguous in the queue. */
    private final ReentrantLock addLock = new ReentrantLock();
    /** Threads inside {@code addData}/{@code offer}: the input may not end while one could still add. */
    private final AtomicInteger adders = new AtomicInteger();
    private volatile boolean ended;
    private volatile long maxRecordsPerTrigger = Long.MAX_VALUE;
    /** Records handed out to readers, ever (replays not counted). Reader-owned, see {@link Reader}. */
    private long taken;
    /** Index of the oldest retained record. Reader-owned. */
    private long retainedBase;
    private final Retained retained = new Retained();

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
        // One call's records become readable together (a micro-batch never splits them), unless they
        // outnumber the capacity: then each is readable as it is queued, or the call could never finish.
        boolean together = records.size() <= capacity;
        long queued = 0;
        addLock.lock();
        try {
            for (T record : records) {
                checkOpen(record);
                try {
                    queue.put(record);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while memory stream '" + name + "' was full", e);
                }
                if (together) {
                    queued++;
                } else {
                    added.incrementAndGet();
                }
            }
        } finally {
            if (queued > 0) {
                added.addAndGet(queued);
            }
            addLock.unlock();
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
        addLock.lock();
        try {
            checkOpen(record);
            if (queue.offer(record)) {
                added.incrementAndGet();
                return true;
            }
            return false;
        } finally {
            addLock.unlock();
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
     * Caps each micro-batch at {@code max} records of this stream (see
     * {@link Source#maxRecordsPerTrigger()}); a batch may then take part of one {@code addData} call.
     * Set it before the query starts; a running query may or may not see a change.
     *
     * @param max at least 1; {@link Long#MAX_VALUE} for no cap (the default)
     * @return this stream
     * @throws IllegalArgumentException if {@code max} is below 1
     */
    public MemoryStream<T> maxRecordsPerTrigger(long max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxRecordsPerTrigger must be >= 1, got " + max);
        }
        this.maxRecordsPerTrigger = max;
        return this;
    }

    @Override
    public long maxRecordsPerTrigger() {
        return maxRecordsPerTrigger;
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
        try {
            return new Reader(context.checkpointing(), context.restoredPosition());
        } catch (RuntimeException e) {
            reader.set(null);
            throw e;
        }
    }

    /**
     * Replayable, as Spark's {@code MemoryStream}: a position is the index of the next record (counting
     * every record the stream handed out). With checkpoints, the stream keeps the records it handed
     * out until their epoch commits, so a query restarted in this JVM (a retry after a failure, or a
     * stop and a new start) replays what followed its checkpoint; a new stream (another JVM) skips as
     * many records as the checkpoint's position says were read.
     */
    @Override
    public boolean isReplayable() {
        return true;
    }

    /**
     * Not thread-safe; owned by the source task. The retained records and counters belong to the
     * stream and pass from one reader to the next through {@link #reader}'s release and acquire.
     */
    private final class Reader implements SourceReader<T> {
        private final boolean retains;
        private final EpochOffsets epochPositions = new EpochOffsets();
        /** Index of the next record this reader emits. */
        private long position;
        private long toSkip;
        private boolean closed;

        Reader(boolean retains, SnapshotInput restored) {
            this.retains = retains;
            // With checkpoints and nothing to restore (a first start, or a restart before the first
            // checkpoint), start at the oldest record no query committed: a run that failed before its
            // first checkpoint is replayed whole.
            this.position = retains ? retainedBase : taken;
            if (restored != null) {
                long saved = Positions.open(restored, description()).readLong();
                if (saved < retainedBase) {
                    throw new IllegalStateException("memory stream '" + name + "' no longer holds record " + saved
                        + " (it kept records from " + retainedBase + " on): the checkpoint is older than the last"
                        + " committed epoch");
                }
                if (saved <= taken) {
                    position = saved;
                } else {
                    // A stream that has not handed out that many records (a new one in another JVM):
                    // the first records added are the ones the checkpoint says were read.
                    retained.dropBefore(taken);
                    toSkip = saved - taken;
                }
            }
        }

        @Override
        public int poll(SourceOutput<T> out, int limit) {
            int emitted = 0;
            while (emitted < limit && position < taken) {
                // Replay: records handed out before a restart, after the restored position.
                position++;
                out.emit(retained.get(position - 1));
                emitted++;
            }
            // Read in this order: ended, then adders, then (after draining) emptiness. An adder that
            // saw the stream open is counted before end() and uncounted only after its record is
            // queued, so no record can slip in behind the end of input.
            boolean endable = ended && adders.get() == 0;
            long readable = added.get() - taken;
            T record;
            while (emitted < limit && readable > 0 && (record = queue.poll()) != null) {
                readable--;
                taken++;
                if (toSkip > 0) {
                    toSkip--;
                    position++;
                    retainedBase = taken;
                    continue;
                }
                if (retains) {
                    retained.add(record);
                } else {
                    retainedBase = taken;
                }
                position++;
                out.emit(record);
                emitted++;
            }
            return emitted == 0 && endable && queue.isEmpty() ? END_OF_INPUT : emitted;
        }

        @Override
        public void onEpochEnd(long epochId) {
            if (retains) {
                epochPositions.onEpochEnd(epochId, position);
            }
        }

        @Override
        public void onEpochCommitted(long epochId) {
            long committed = epochPositions.committed(epochId);
            if (committed > retainedBase) {
                retained.dropBefore(committed);
            }
        }

        @Override
        public void writePosition(SnapshotOutput out) {
            Positions.begin(out).writeLong(position);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                reader.set(null);
            }
        }
    }

    /**
     * The records handed out but not yet committed, by index: {@code [retainedBase, taken)}. A ring
     * that grows; owned by the current reader.
     */
    private final class Retained {
        private Object[] records = new Object[16];
        private int head;
        private int size;

        void add(T record) {
            if (size == records.length) {
                Object[] bigger = new Object[records.length * 2];
                for (int i = 0; i < size; i++) {
                    bigger[i] = records[(head + i) & (records.length - 1)];
                }
                records = bigger;
                head = 0;
            }
            records[(head + size) & (records.length - 1)] = record;
            size++;
        }

        @SuppressWarnings("unchecked")
        T get(long index) {
            return (T) records[(head + (int) (index - retainedBase)) & (records.length - 1)];
        }

        void dropBefore(long index) {
            long drop = Math.min(size, index - retainedBase);
            for (long i = 0; i < drop; i++) {
                records[head] = null;
                head = (head + 1) & (records.length - 1);
            }
            size -= (int) drop;
            retainedBase += drop;
        }
    }
}
