package io.rivulet.engine.sink;

import io.rivulet.journal.Journal;
import io.rivulet.journal.JournalAppender;
import io.rivulet.journal.JournalOptions;
import io.rivulet.journal.codec.Codec;

import java.util.Objects;

/**
 * Writes a query's records to a journal that other processes can tail (with a
 * {@link io.rivulet.journal.JournalReader} or a {@code JournalSource}).
 *
 * <p><b>What write and commit mean.</b> Each writer appends every record as it is written: a
 * record is in the journal, visible to every reader and safe from a crash of this process, as soon
 * as {@code write} returns. Visibility is therefore immediate and at-least-once: a query restarted
 * from an earlier point appends what it processes again. At each epoch end a writer's records are
 * all appended; with {@link #syncOnEpoch(boolean)} they are also forced to disk, so they survive an
 * operating-system crash or power loss. {@code commit(e)} therefore means "every record of epoch
 * {@code e} and before is in the journal (and, with sync, on disk)"; it writes nothing into the
 * journal. Exactly-once output, where a reader sees each epoch once across restarts, needs
 * checkpoints and comes with them.
 *
 * <p>Several writers (a last stage with several partitions) append to the one journal, each with
 * its own appender: records of one writer keep their order, writers interleave. The journal is
 * opened when the query starts and closed when it ends; with {@link #endJournalOnClose(boolean)}
 * an end-of-journal marker is written then, so readers see the input end (and the journal takes no
 * more records; a failed query's sink closes too, so use it for bounded queries).
 *
 * <p>Immutable configuration; each query gets its own state through {@code open}. The sink runs
 * one query at a time.
 *
 * @param <T> record type
 */
public final class JournalSink<T> implements Sink<T> {
    private final JournalOptions options;
    private final Codec<T> codec;
    private final boolean syncOnEpoch;
    private final boolean endJournalOnClose;
    private Journal journal;
    private volatile long lastCommittedEpoch = -1;

    JournalSink(JournalOptions options, Codec<T> codec, boolean syncOnEpoch, boolean endJournalOnClose) {
        this.options = Objects.requireNonNull(options, "journal options");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.syncOnEpoch = syncOnEpoch;
        this.endJournalOnClose = endJournalOnClose;
    }

    /**
     * @param sync whether each writer forces its records to disk at every epoch end (default false)
     * @return a copy with that choice
     */
    public JournalSink<T> syncOnEpoch(boolean sync) {
        return new JournalSink<>(options, codec, sync, endJournalOnClose);
    }

    /**
     * @param end whether closing the sink writes an end-of-journal marker (default false)
     * @return a copy with that choice
     */
    public JournalSink<T> endJournalOnClose(boolean end) {
        return new JournalSink<>(options, codec, syncOnEpoch, end);
    }

    /**
     * @return the newest epoch committed, or -1
     */
    public long lastCommittedEpoch() {
        return lastCommittedEpoch;
    }

    @Override
    public String description() {
        return "journal[" + options.directory() + "]";
    }

    @Override
    public void open(String queryName, int numWriters) {
        if (journal != null) {
            throw new IllegalStateException("journal sink " + options.directory() + " is already used by a running query");
        }
        journal = Journal.open(options);
        lastCommittedEpoch = -1;
    }

    @Override
    public SinkWriter<T> createWriter(int writerIndex) {
        return new Writer<>(journal.appender(codec), syncOnEpoch);
    }

    @Override
    public void commit(long epochId) {
        lastCommittedEpoch = epochId;
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

        Writer(JournalAppender<T> appender, boolean sync) {
            this.appender = appender;
            this.sync = sync;
        }

        @Override
        public void write(T record) {
            appender.append(record);
        }

        @Override
        public void endEpoch(long epochId) {
            if (sync) {
                appender.sync();
            }
            appender.pretouch();
        }

        @Override
        public void close() {
            appender.close();
        }
    }
}
