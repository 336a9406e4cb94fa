package io.rivulet.engine.sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every row it receives, for tests: rows are visible as soon as a writer writes them (not
 * at commit), and committed epochs are recorded. Holds everything in memory.
 *
 * <p>Thread-safe: any thread may read while the query writes.
 *
 * @param <T> record type
 */
public final class CollectingSink<T> implements Sink<T> {
    private final List<T> received = new ArrayList<>();
    private final List<Long> committed = new ArrayList<>();
    private boolean closed;

    CollectingSink() {
    }

    @Override
    public String description() {
        return "collecting";
    }

    @Override
    public SinkWriter<T> createWriter(int writerIndex) {
        return record -> {
            synchronized (this) {
                received.add(record);
                notifyAll();
            }
        };
    }

    @Override
    public synchronized void commit(long epochId) {
        committed.add(epochId);
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    /**
     * @return a snapshot of every row received, in the order the writers wrote them
     */
    public synchronized List<T> received() {
        return List.copyOf(received);
    }

    /**
     * @return the epochs committed, in order
     */
    public synchronized List<Long> committedEpochs() {
        return List.copyOf(committed);
    }

    /**
     * @return whether the query closed the sink
     */
    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Waits until at least {@code count} rows have arrived.
     *
     * @param count rows to wait for
     * @param timeout the longest wait
     * @return a snapshot of the rows
     * @throws AssertionError if they do not arrive in time (the message says how many did)
     * @throws InterruptedException if interrupted
     */
    public synchronized List<T> awaitReceived(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " rows within " + timeout + ", got " + received.size()
                    + ": " + received);
            }
            wait(Math.max(1, left / 1_000_000), 0);
        }
        return new ArrayList<>(received);
    }
}
