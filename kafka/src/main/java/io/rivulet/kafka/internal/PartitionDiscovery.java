package io.rivulet.kafka.internal;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Continuous processing's partition discovery for one run of a {@code subscribe}/{@code subscribePattern}
 * source, off the source tasks' threads. A thread of its own, with a consumer of its own used for metadata
 * only, lists the subscription every {@code partitionDiscoveryInterval}, picks the partitions neither
 * planned with the query nor found before, looks up where they start ({@link KafkaSourceRun#addedPartitionStarts}),
 * and publishes each to the {@link Inbox} of the reader that owns it ({@link #owner}). A reader takes
 * what its inbox holds at its next poll: one volatile read when there is nothing new. A failure of the
 * discovery (the listing or the offset lookup) is published to every inbox, and the readers fail the
 * query with it.
 *
 * <pre>
 *   discovery thread: list -> new partitions -> starts -> Found (immutable, cumulative) --volatile--> Inbox[owner]
 *   source task p:    poll: inbox[p].found != taken ? take the new partitions (assign, seek) : read records
 * </pre>
 *
 * <p>Thread-safety: {@link #start} and {@link #close} from any thread; the consumer and the set of found
 * partitions are owned by the discovery thread; an inbox is written by the discovery thread and read
 * by its reader's source task.
 */
final class PartitionDiscovery implements Runnable {
    private static final System.Logger LOG = System.getLogger(PartitionDiscovery.class.getName());
    /** How long {@link #close} waits for the discovery thread to end (it is woken from any request at once). */
    private static final long CLOSE_TIMEOUT_MS = 10_000;

    /**
     * What the discovery found for one reader since the run began, in the order found, or its failure.
     * Immutable: a later round publishes a longer copy, so a reader that skipped a round loses nothing.
     */
    static final class Found {
        static final Found NONE = new Found(new TopicPartition[0], new long[0], null);

        /** The partitions added for the reader, oldest first. */
        final TopicPartition[] partitions;
        /** Where each of {@link #partitions} starts: the next offset to read. */
        final long[] starts;
        /** Why the discovery failed, or {@code null}. */
        final Throwable failure;

        private Found(TopicPartition[] partitions, long[] starts, Throwable failure) {
            this.partitions = partitions;
            this.starts = starts;
            this.failure = failure;
        }
    }

    /** One reader's hand-off: written by the discovery thread, read by the reader's source task. */
    static final class Inbox {
        volatile Found found = Found.NONE;
    }

    private final KafkaSourceRun run;
    private final long intervalMs;
    private final String threadName;
    private final Supplier<? extends Consumer<?, ?>> clients;
    private final Inbox[] inboxes;
    /** Owned by the discovery thread: the partitions handed to a reader in this run. */
    private final Set<TopicPartition> found = new HashSet<>();
    /** The discovery thread's consumer once it exists, for {@link #close} to wake it from a request. */
    private volatile Consumer<?, ?> client;
    private Thread thread;
    private boolean closing;

    /**
     * @param run the run whose readers take the partitions found
     * @param readers the run's reader count
     * @param intervalMs time between two listings
     * @param threadName the discovery thread's name
     * @param clients makes the discovery thread's metadata consumer (called once, on that thread)
     */
    PartitionDiscovery(KafkaSourceRun run, int readers, long intervalMs, String threadName,
                       Supplier<? extends Consumer<?, ?>> clients) {
        this.run = run;
        this.intervalMs = intervalMs;
        this.threadName = threadName;
        this.clients = clients;
        this.inboxes = new Inbox[readers];
        for (int i = 0; i < readers; i++) {
            inboxes[i] = new Inbox();
        }
    }

    /**
     * The reader that takes a partition added while the query runs: {@code floorMod(topic.hashCode() * 31
     * + partition, readers)}, a function of the partition alone (the documented rule of
     * {@code partitionDiscoveryInterval}), whatever the order or the round in which partitions are found.
     */
    static int owner(TopicPartition tp, int readers) {
        return Math.floorMod(tp.topic().hashCode() * 31 + tp.partition(), readers);
    }

    /** @return the hand-off of source partition {@code reader} */
    Inbox inbox(int reader) {
        return inboxes[reader];
    }

    /**
     * Starts the discovery thread, once, unless the run has ended: the first listing follows one
     * interval later. Called by each reader at its first poll, when every reader of the run has opened
     * (so the restored positions are complete).
     */
    synchronized void start() {
        if (thread == null && !closing) {
            thread = new Thread(this, threadName);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /**
     * Stops the discovery: wakes its thread from a request or its wait, and waits (boundedly) until the
     * thread has closed its consumer and ended. Idempotent.
     */
    void close() {
        Thread running;
        synchronized (this) {
            closing = true;
            notifyAll();
            running = thread;
        }
        Consumer<?, ?> consumer = client;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (running != null && running != Thread.currentThread()) {
            try {
                running.join(CLOSE_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (running.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, threadName + " did not end within " + CLOSE_TIMEOUT_MS + " ms of the run's end");
            }
        }
    }

    @Override
    public void run() {
        Consumer<?, ?> consumer = null;
        try {
            consumer = clients.get();
            client = consumer;
            while (awaitNextRound()) {
                discover(consumer);
            }
        } catch (Throwable e) {
            if (!isClosing()) {
                fail(e);
            }
        } finally {
            if (consumer != null) {
                try {
                    consumer.close(CloseOptions.timeout(Duration.ZERO));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, threadName + ": closing its consumer failed", e);
                }
            }
        }
    }

    private synchronized boolean isClosing() {
        return closing;
    }

    /** Waits one interval; false when the run ends meanwhile. */
    private synchronized boolean awaitNextRound() throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(intervalMs);
        long waitNs;
        while (!closing && (waitNs = deadlineNs - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, waitNs);
        }
        return !closing;
    }

    /** One round: list, keep the new partitions, look up their starts, publish them to their owners. */
    private void discover(Consumer<?, ?> consumer) {
        List<TopicPartition> added = new ArrayList<>();
        for (TopicPartition tp : run.listPartitions(consumer)) {
            if (!run.planned(tp) && !found.contains(tp)) {
                added.add(tp);
            }
        }
        if (added.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> starts = run.addedPartitionStarts(consumer, added);
        for (TopicPartition tp : added) {
            Inbox inbox = inboxes[owner(tp, inboxes.length)];
            Found before = inbox.found;
            int count = before.partitions.length;
            TopicPartition[] partitions = Arrays.copyOf(before.partitions, count + 1);
            long[] offsets = Arrays.copyOf(before.starts, count + 1);
            partitions[count] = tp;
            offsets[count] = starts.get(tp);
            inbox.found = new Found(partitions, offsets, null);
            found.add(tp);
        }
    }

    private void fail(Throwable e) {
        LOG.log(System.Logger.Level.ERROR, run.description() + ": partition discovery failed", e);
        for (Inbox inbox : inboxes) {
            Found before = inbox.found;
            inbox.found = new Found(before.partitions, before.starts, e);
        }
    }
}
