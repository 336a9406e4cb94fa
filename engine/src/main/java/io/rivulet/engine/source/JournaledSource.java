package io.rivulet.engine.source;

import io.rivulet.journal.Journal;
import io.rivulet.journal.JournalAppender;
import io.rivulet.journal.JournalHandler;
import io.rivulet.journal.JournalOptions;
import io.rivulet.journal.JournalReader;
import io.rivulet.journal.StartPosition;
import io.rivulet.journal.codec.Codec;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;

import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes any source replayable: every record the wrapped source produces is appended to a journal
 * before it enters the query, and the journal offset is the record's position. At each epoch end
 * the reader notes the offset of the last record it emitted; when the epoch commits, it stores that
 * offset durably as its restart point (the journal's named reader {@value #RESTART_POINT}, a small
 * file replaced atomically). A query restarted on the same directory first re-reads, from the
 * journal, every record after the restart point (at-least-once into the query; exactly-once output
 * comes with checkpoints), then goes on with what the wrapped source produces.
 *
 * <pre>
 *   poll:  journal reader ──(records after the restart point, if any)──────────────────► out
 *          wrapped reader ─► append ─► journal ─► journal reader ─(read back)──────────► out
 *   epoch end:    note offset of the last record emitted
 *   epoch commit: readers/restart-point.offset := that offset   (temp file, fsync, atomic rename)
 * </pre>
 *
 * <p><b>Read back or pass through</b> ({@link #readBack(boolean)}). By default each record is read
 * back from the journal in the same poll, on the same thread, before it is emitted: the query sees
 * exactly what a replay would give it (a codec that loses information shows at once), in the same
 * order, at the cost of one decode per record. With {@code readBack(false)} the wrapped source's
 * record object itself is emitted right after its append returns (no decode; the journal is read
 * only when replaying after a restart).
 *
 * <p><b>Partitions.</b> Each partition of the wrapped source gets its own journal, in
 * {@code <directory>/partition-<n>}.
 *
 * <p><b>Watermarks</b> of the wrapped source are not journaled: one emitted during a poll is passed
 * on after the records read back in that poll (never ahead of them), and a replay carries none.
 *
 * <p>The wrapped source should deliver new records after a restart (a socket, a push stream):
 * one that starts over from its beginning (an iterable) is appended again.
 *
 * <p>Immutable and thread-safe; setters return copies.
 *
 * @param <T> record type
 */
public final class JournaledSource<T> implements Source<T> {
    /** The name of the journal reader whose committed offset is the restart point. */
    public static final String RESTART_POINT = "restart-point";

    private final Source<T> source;
    private final JournalOptions options;
    private final Codec<T> codec;
    private final boolean readBack;
    private final boolean reuseRecords;

    JournaledSource(Source<T> source, JournalOptions options, Codec<T> codec, boolean readBack) {
        this(source, options, codec, readBack, false);
    }

    private JournaledSource(Source<T> source, JournalOptions options, Codec<T> codec, boolean readBack, boolean reuseRecords) {
        this.source = Objects.requireNonNull(source, "source");
        this.options = Objects.requireNonNull(options, "journal options");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.readBack = readBack;
        this.reuseRecords = reuseRecords;
    }

    /**
     * Reads records back into one reused instance (when the codec reuses) instead of a new one per
     * record: nothing is allocated per record. Only for queries in which nothing keeps a record after
     * the chain returns: a fused chain, or a keyed stage with {@code copyingRecords}.
     *
     * @param reuse whether to reuse records (default false)
     * @return a copy with that choice
     */
    public JournaledSource<T> reuseRecords(boolean reuse) {
        return new JournaledSource<>(source, options, codec, readBack, reuse);
    }

    /**
     * @param readBack whether each record is read back from the journal before it is emitted
     *     (default true) or the wrapped source's record is emitted after its append
     * @return a copy with that choice
     */
    public JournaledSource<T> readBack(boolean readBack) {
        return new JournaledSource<>(source, options, codec, readBack, reuseRecords);
    }

    /**
     * @param partition a partition of the wrapped source
     * @return the directory of that partition's journal
     */
    public JournalOptions partitionJournal(int partition) {
        return options.directory(options.directory().resolve("partition-" + partition));
    }

    @Override
    public String description() {
        return "journaled[" + source.description() + " -> " + options.directory() + "]";
    }

    @Override
    public int numPartitions() {
        return source.numPartitions();
    }

    @Override
    public SourceReader<T> open(SourceContext context) throws Exception {
        Journal journal = Journal.open(partitionJournal(context.partition()));
        try {
            JournalReader<T> committer = journal.reader(RESTART_POINT, codec, StartPosition.earliest());
            JournalReader<T> reader = committer;
            SnapshotInput restored = context.restoredPosition();
            if (restored != null) {
                // The checkpoint's position rules: it may lie before the restart point (a checkpoint is
                // taken before its epoch commits), and the restart point only moves on commits.
                long last = Positions.open(restored, description()).readLong();
                reader = journal.reader(codec, last == Journal.NO_OFFSET ? StartPosition.earliest() : StartPosition.after(last));
            }
            JournalAppender<T> appender = journal.appender(codec);
            SourceReader<T> wrapped = source.open(withoutPosition(context));
            return new Reader<>(journal, reader.reuseRecords(reuseRecords), committer, appender, wrapped, readBack);
        } catch (Exception | Error e) {
            journal.close();
            throw e;
        }
    }

    /**
     * Replayable whatever the wrapped source: a reader's position is the journal offset of the last
     * record it emitted, and a restarted query re-reads the journal after it.
     */
    @Override
    public boolean isReplayable() {
        return true;
    }

    /** The wrapped source restarts fresh: its records after the position come from the journal. */
    private static SourceContext withoutPosition(SourceContext context) {
        return new SourceContext() {
            @Override
            public int partition() {
                return context.partition();
            }

            @Override
            public int numPartitions() {
                return context.numPartitions();
            }

            @Override
            public String queryName() {
                return context.queryName();
            }

            @Override
            public long nanoTime() {
                return context.nanoTime();
            }

            @Override
            public long epochMillis() {
                return context.epochMillis();
            }
        };
    }

    /** Not thread-safe; owned by the source task. */
    private static final class Reader<T> implements SourceReader<T>, JournalHandler<T>, SourceOutput<T> {
        private final Journal journal;
        private final JournalReader<T> reader;
        /** The named reader whose restart point commits move (the same as {@link #reader} unless restored). */
        private final JournalReader<T> restartPoint;
        private final JournalAppender<T> appender;
        private final SourceReader<T> wrapped;
        private final boolean readBack;
        private final EpochOffsets epochOffsets = new EpochOffsets();
        private final AtomicLong pendingCommit = new AtomicLong(Journal.NO_OFFSET);
        private ExecutorService committer;
        private volatile RuntimeException commitFailure;
        private SourceOutput<T> out;
        private boolean replaying = true;
        private boolean wrappedEnded;
        private long pendingWatermarkMs = Long.MIN_VALUE;
        private long lastEmittedOffset = Journal.NO_OFFSET;

        Reader(Journal journal, JournalReader<T> reader, JournalReader<T> committer, JournalAppender<T> appender,
               SourceReader<T> wrapped, boolean readBack) {
            this.journal = journal;
            this.reader = reader;
            this.restartPoint = committer;
            this.appender = appender;
            this.wrapped = wrapped;
            this.readBack = readBack;
        }

        @Override
        public int poll(SourceOutput<T> out, int limit) throws Exception {
            this.out = out;
            if (replaying) {
                int replayed = reader.poll(this, limit);
                if (replayed > 0) {
                    return replayed;
                }
                replaying = !reader.isCaughtUp();
                if (replaying) {
                    return 0;
                }
            }
            if (wrappedEnded) {
                return END_OF_INPUT;
            }
            int ingested = wrapped.poll(this, limit);
            if (ingested == END_OF_INPUT) {
                wrappedEnded = true;
                ingested = 0;
            }
            int emitted = readBack ? readBack(limit) : ingested;
            if (pendingWatermarkMs != Long.MIN_VALUE) {
                out.emitWatermark(pendingWatermarkMs);
                pendingWatermarkMs = Long.MIN_VALUE;
            }
            if (ingested == 0) {
                appender.pretouch();
            }
            // A read-back poll may stop on its skip budget before the last appended record: not the end yet.
            return emitted > 0 || !wrappedEnded || (readBack && !reader.isCaughtUp()) ? emitted : END_OF_INPUT;
        }

        private int readBack(int limit) {
            int emitted = 0;
            int n;
            while ((n = reader.poll(this, limit)) > 0) {
                emitted += n;
            }
            return emitted;
        }

        /** A record read from the journal: replayed, or read back after its append. */
        @Override
        public void onRecord(T record, long offset) {
            lastEmittedOffset = offset;
            out.emit(record);
        }

        /** A record from the wrapped source: append it; in pass-through mode, emit it at once. */
        @Override
        public void emit(T record) {
            long offset = appender.append(record);
            if (!readBack) {
                lastEmittedOffset = offset;
                out.emit(record);
            }
        }

        /** As {@link #emit(Object)}; in pass-through mode the record keeps its source time. */
        @Override
        public void emit(T record, long sourceNanoTime) {
            long offset = appender.append(record);
            if (!readBack) {
                lastEmittedOffset = offset;
                out.emit(record, sourceNanoTime);
            }
        }

        @Override
        public long lastEmittedOffset() {
            return lastEmittedOffset;
        }

        @Override
        public void emitWatermark(long watermarkMs) {
            if (readBack) {
                pendingWatermarkMs = Math.max(pendingWatermarkMs, watermarkMs);
            } else {
                out.emitWatermark(watermarkMs);
            }
        }

        @Override
        public void onEpochEnd(long epochId) throws Exception {
            epochOffsets.onEpochEnd(epochId, lastEmittedOffset);
            wrapped.onEpochEnd(epochId);
            appender.pretouch();
        }

        @Override
        public void writePosition(SnapshotOutput out) {
            Positions.begin(out).writeLong(lastEmittedOffset);
        }

        @Override
        public void onEpochCommitted(long epochId) throws Exception {
            long offset = epochOffsets.committed(epochId);
            if (offset != Journal.NO_OFFSET) {
                commitInBackground(offset);
            }
            wrapped.onEpochCommitted(epochId);
        }

        /**
         * Writing the restart point forces a file to disk (milliseconds); doing it on the source
         * thread stalled every record behind it once per epoch. A background thread writes the newest
         * offset instead: commits coalesce, and a restart point can only lag (more replay, never less).
         */
        private void commitInBackground(long offset) {
            if (pendingCommit.getAndSet(offset) == Journal.NO_OFFSET) {
                committer().execute(this::commitPending);
            }
        }

        private void commitPending() {
            long offset = pendingCommit.getAndSet(Journal.NO_OFFSET);
            if (offset != Journal.NO_OFFSET) {
                try {
                    restartPoint.commit(offset);
                } catch (RuntimeException e) {
                    commitFailure = e;
                }
            }
        }

        private ExecutorService committer() {
            if (committer == null) {
                committer = Executors.newSingleThreadExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "rivulet-journal-commit-" + journal.directory().getFileName());
                    thread.setDaemon(true);
                    return thread;
                });
            }
            RuntimeException failure = commitFailure;
            if (failure != null) {
                throw new IllegalStateException("committing the restart point of journal " + journal.directory()
                    + " failed: " + failure.getMessage(), failure);
            }
            return committer;
        }

        @Override
        public void close() throws Exception {
            try {
                wrapped.close();
            } finally {
                try {
                    if (committer != null) {
                        committer.shutdown();
                        if (!committer.awaitTermination(10, TimeUnit.SECONDS)) {
                            committer.shutdownNow();
                        }
                    }
                    // The last restart point, if the background thread had not written it yet.
                    commitPending();
                    if (commitFailure != null) {
                        throw new IllegalStateException("committing the restart point of journal " + journal.directory()
                            + " failed: " + commitFailure.getMessage(), commitFailure);
                    }
                } finally {
                    journal.close();
                }
            }
        }
    }
}
