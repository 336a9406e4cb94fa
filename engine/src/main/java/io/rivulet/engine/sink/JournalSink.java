package io.rivulet.engine.sink;

import io.rivulet.journal.Journal;
import io.rivulet.journal.JournalAppender;
import io.rivulet.journal.JournalOptions;
import io.rivulet.journal.codec.Codec;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a query's records to a journal that other processes can tail (with a
 * {@link io.rivulet.journal.JournalReader} or a {@code JournalSource}).
 *
 * <p><b>Exactly once (the default, {@link Delivery#EXACTLY_ONCE}).</b> The journal becomes
 * epoch-committed ({@link Journal#isEpochCommitted()}): each writer appends every record as it is
 * written, tagged with its epoch (8 bytes more per record), so nothing is held in memory and a
 * crash loses nothing a checkpoint covers; readers see a record only when its epoch commits. At
 * {@code commit(e)} the sink appends a commit marker for epoch {@code e} (skipped for an epoch
 * already committed, so a commit is idempotent by epoch id, and when no writer appended records
 * of an epoch after the last marker, so an idle query adds nothing to the journal). When a query restarts from the
 * checkpoint of epoch {@code c}, {@link #recover} appends a recovery marker: the failed run's records
 * of epochs up to {@code c} are committed (the failure came between the checkpoint and the sink's
 * commit), all its later records (a partial epoch, a mid-commit crash) are aborted and never read,
 * and the restarted query writes those epochs again. A first start without a restored checkpoint
 * aborts whatever an earlier run left uncommitted. Readers deliver committed records once, in
 * journal order (each writer's in its order), with a committed-output delay of about one epoch;
 * see {@link io.rivulet.journal.JournalReader} and {@link Journal}. Without a checkpoint location
 * the sink still publishes per epoch, but a restart starts over, so the output is at-least-once.
 *
 * <p><b>At least once ({@link #delivery(Delivery) delivery(AT_LEAST_ONCE)}).</b> Each record is
 * visible to every reader as soon as {@code write} returns (record latency); a query restarted from
 * a checkpoint appends what came after it again; {@code commit} writes nothing. For readers that
 * dedupe downstream or need the lowest latency. On a journal that is already epoch-committed these
 * records are marked committed at once.
 *
 * <p><b>Durability.</b> Appended records survive a crash of this process. With
 * {@link #syncOnEpoch(boolean)} each writer also forces its records to disk at every epoch end
 * (before the checkpoint of the epoch), so they survive an operating-system crash or power loss:
 * choose it when exactly-once must hold across those too.
 *
 * <p>Several writers (a last stage with several partitions) append to the one journal, each with
 * its own appender: records of one writer keep their order, writers interleave. The journal is
 * opened when the query starts and closed when it ends; with {@link #endJournalOnClose(boolean)}
 * an end-of-journal marker is written then, so readers see the input end (and the journal takes no
 * more records, and nothing left uncommitted will ever be: use it for bounded queries).
 *
 * <p>Immutable configuration; each query gets its own state through {@code open}. The sink runs
 * one query at a time; writers are owned by their task threads, {@code commit} and {@code recover}
 * run on the query's commit thread.
 *
 * @param <T> record type
 */
public final class JournalSink<T> implements Sink<T> {
    private final JournalOptions options;
    private final Codec<T> codec;
    private final boolean syncOnEpoch;
    private final boolean endJournalOnClose;
    private final Delivery delivery;
    private Journal journal;
    /** The epoch the writers' first records belong to: the one after the restored checkpoint, or 0. */
    private long firstEpoch;
    /** Whether this run ended the previous run's epochs (a recovery marker), so writers may append. */
    private boolean recovered;
    private volatile long lastCommittedEpoch = -1;
    /** The epoch of the newest commit or recovery marker this run wrote; commit thread only. */
    private long lastMarkedEpoch = -1;
    /** The newest epoch a writer appended records in, reported at its end (not per record). */
    private final AtomicLong newestEpochWithRecords = new AtomicLong(-1);

    JournalSink(JournalOptions options, Codec<T> codec, boolean syncOnEpoch, boolean endJournalOnClose, Delivery delivery) {
        this.options = Objects.requireNonNull(options, "journal options");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.syncOnEpoch = syncOnEpoch;
        this.endJournalOnClose = endJournalOnClose;
        this.delivery = Objects.requireNonNull(delivery, "delivery");
    }

    /**
     * @param sync whether each writer forces its records to disk at every epoch end (default false)
     * @return a copy with that choice
     */
    public JournalSink<T> syncOnEpoch(boolean sync) {
        return new JournalSink<>(options, codec, sync, endJournalOnClose, delivery);
    }

    /**
     * @param end whether closing the sink writes an end-of-journal marker (default false)
     * @return a copy with that choice
     */
    public JournalSink<T> endJournalOnClose(boolean end) {
        return new JournalSink<>(options, codec, syncOnEpoch, end, delivery);
    }

    /**
     * @param delivery {@link Delivery#EXACTLY_ONCE} (the default: records visible when their epoch
     *     commits) or {@link Delivery#AT_LEAST_ONCE} (visible as written, appended again after a restart)
     * @return a copy with that choice
     */
    public JournalSink<T> delivery(Delivery delivery) {
        return new JournalSink<>(options, codec, syncOnEpoch, endJournalOnClose, Objects.requireNonNull(delivery, "delivery"));
    }

    @Override
    public Delivery delivery() {
        return delivery;
    }

    /**
     * @return the newest epoch committed, or -1
     */
    public long lastCommittedEpoch() {
        return lastCommittedEpoch;
    }

    @Override
    public String description() {
        return "journal[" + options.directory() + (delivery == Delivery.AT_LEAST_ONCE ? ", at-least-once" : "") + "]";
    }

    @Override
    public void open(String queryName, int numWriters) {
        if (journal != null) {
            throw new IllegalStateException("journal sink " + options.directory() + " is already used by a running query");
        }
        journal = Journal.open(options);
        lastCommittedEpoch = -1;
        firstEpoch = 0;
        recovered = false;
        lastMarkedEpoch = -1;
        newestEpochWithRecords.set(-1);
    }

    /**
     * Exactly once: appends the recovery marker that commits the failed run's records of epochs up to
     * {@code checkpointedEpoch} and aborts the rest; the writers then start at the next epoch.
     */
    @Override
    public void recover(long checkpointedEpoch, long lastCommittedEpoch) {
        if (delivery != Delivery.EXACTLY_ONCE) {
            return;
        }
        journal.recoverEpochs(checkpointedEpoch);
        recovered = true;
        firstEpoch = checkpointedEpoch + 1;
        lastMarkedEpoch = checkpointedEpoch;
        this.lastCommittedEpoch = checkpointedEpoch;
    }

    @Override
    public synchronized SinkWriter<T> createWriter(int writerIndex) {
        if (delivery == Delivery.AT_LEAST_ONCE) {
            return new Writer<>(journal.appender(codec), syncOnEpoch, null);
        }
        if (!recovered) {
            // No checkpoint restored: nothing an earlier run left uncommitted may ever become visible.
            journal.recoverEpochs(-1);
            recovered = true;
        }
        return new Writer<>(journal.epochAppender(codec, firstEpoch), syncOnEpoch, newestEpochWithRecords);
    }

    @Override
    public void commit(long epochId) {
        // Records of epochs after the last marker, up to this one, are all appended (every writer ended
        // this epoch); without any, a marker would decide nothing.
        if (delivery == Delivery.EXACTLY_ONCE && epochId > lastCommittedEpoch
            && newestEpochWithRecords.get() > lastMarkedEpoch) {
            journal.commitEpoch(epochId);
            lastMarkedEpoch = epochId;
        }
        lastCommittedEpoch = Math.max(lastCommittedEpoch, epochId);
    }

    @Override
    public void close() {
        Journal open = journal;
        journal = null;
        if (open == null) {
            return;
        }
        try {
            if (endJournalOnClose) {
                open.appender(codec).endJournal();
            }
        } finally {
            open.close();
        }
    }

    /** Not thread-safe; owned by the last-stage task's thread. */
    private static final class Writer<T> implements SinkWriter<T> {
        private final JournalAppender<T> appender;
        private final boolean sync;
        /** Where an epoch writer reports the epochs it appended records in; {@code null} when at least once. */
        private final AtomicLong newestEpochWithRecords;
        private boolean wroteInEpoch;

        Writer(JournalAppender<T> appender, boolean sync, AtomicLong newestEpochWithRecords) {
            this.appender = appender;
            this.sync = sync;
            this.newestEpochWithRecords = newestEpochWithRecords;
        }

        @Override
        public void write(T record) {
            appender.append(record);
            wroteInEpoch = true;
        }

        @Override
        public void endEpoch(long epochId) {
            if (sync) {
                appender.sync();
            }
            if (newestEpochWithRecords != null) {
                appender.beginEpoch(epochId + 1);
                if (wroteInEpoch) {
                    wroteInEpoch = false;
                    newestEpochWithRecords.accumulateAndGet(epochId, Math::max);
                }
            }
            appender.pretouch();
        }

        @Override
        public void close() {
            appender.close();
        }
    }
}
