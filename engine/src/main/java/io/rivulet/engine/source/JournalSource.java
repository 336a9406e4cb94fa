package io.rivulet.engine.source;

import io.rivulet.journal.Journal;
import io.rivulet.journal.JournalHandler;
import io.rivulet.journal.JournalOptions;
import io.rivulet.journal.JournalReader;
import io.rivulet.journal.StartPosition;
import io.rivulet.journal.codec.Codec;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;

import java.util.Objects;

/**
 * Reads an existing journal as a stream: one partition, records in offset order, from the earliest
 * record, the end, or an offset ({@link #start}). Replayable: given a {@link #readerName}, the
 * reader notes its offset at every epoch end and commits it (durably, as the journal's named
 * reader) when the epoch commits, so a restarted query resumes after the last committed record
 * (records after it are read again: at-least-once into the query) and the journal's retention
 * keeps what the query still needs.
 *
 * <p>An epoch-committed journal (one an exactly-once {@code Sinks.journal} writes) is read committed:
 * the source sees only records whose epoch is committed, each once, in journal order (each writer's
 * records in their order), and never a record a crashed run left aborted; it waits at the first
 * record whose epoch is not committed yet (see {@link JournalReader}). Positions and restart points
 * are offsets of delivered records, so a restart resumes in the same committed sequence.
 *
 * <p>Unbounded by default: the input ends only at an end-of-journal marker. {@link #bounded(boolean)}
 * ends it at the last record that was in the journal when the query started (in an epoch-committed
 * journal: or where the reader catches up with what is committed, if that comes first).
 *
 * <p>Immutable and thread-safe; every setter returns a validated copy. The reader opens its own
 * {@link Journal} (other processes may be writing it) and closes it with the task.
 *
 * @param <T> record type
 */
public final class JournalSource<T> implements Source<T> {
    private final JournalOptions options;
    private final Codec<T> codec;
    private final StartPosition start;
    private final String readerName;
    private final boolean bounded;

    JournalSource(JournalOptions options, Codec<T> codec, StartPosition start, String readerName, boolean bounded) {
        this.options = Objects.requireNonNull(options, "journal options");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.start = Objects.requireNonNull(start, "start");
        this.readerName = readerName;
        this.bounded = bounded;
    }

    /**
     * @param start where a reader without a committed offset starts (default: earliest)
     * @return a copy with that start
     */
    public JournalSource<T> start(StartPosition start) {
        return new JournalSource<>(options, codec, start, readerName, bounded);
    }

    /**
     * @param name the journal reader name under which this source commits its offset and resumes
     *     (letters, digits, {@code . _ -}); {@code null} for an unnamed reader that remembers nothing
     * @return a copy with that name
     */
    public JournalSource<T> readerName(String name) {
        return new JournalSource<>(options, codec, start, name, bounded);
    }

    /**
     * @param bounded whether the input ends at the last record present when the query starts
     * @return a copy with that bound
     */
    public JournalSource<T> bounded(boolean bounded) {
        return new JournalSource<>(options, codec, start, readerName, bounded);
    }

    @Override
    public String description() {
        return "journal[" + options.directory() + (readerName != null ? ", reader=" + readerName : "") + "]";
    }

    @Override
    public int numPartitions() {
        return 1;
    }

    @Override
    public SourceReader<T> open(SourceContext context) {
        Journal journal = Journal.open(options);
        try {
            SnapshotInput restored = context.restoredPosition();
            StartPosition from = start;
            long endOffset = bounded ? journal.lastOffset() : Long.MAX_VALUE;
            if (restored != null) {
                Positions.open(restored, description());
                from = new StartPosition(StartPosition.Kind.values()[restored.readByte()], restored.readLong());
                endOffset = restored.readLong();
            } else if (from.kind() == StartPosition.Kind.LATEST) {
                // Resolved now, so that a position written before the first record names the same place.
                long last = journal.lastOffset();
                from = last == Journal.NO_OFFSET ? StartPosition.earliest() : StartPosition.after(last);
            }
            JournalReader<T> committer = readerName == null ? null : journal.reader(readerName, codec, from);
            // Restored: read from the checkpoint's position, which may lie before the named reader's
            // restart point (a checkpoint is taken before its epoch commits).
            JournalReader<T> reader = committer != null && restored == null ? committer : journal.reader(codec, from);
            return new Reader<>(journal, reader, committer, endOffset, bounded);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    /**
     * Replayable: a reader's position is the journal offset of the last record it emitted (or where
     * it was to start, before the first), and, for a bounded source, the end it read to.
     */
    @Override
    public boolean isReplayable() {
        return true;
    }

    /** Not thread-safe; owned by the source task. */
    private static final class Reader<T> implements SourceReader<T>, JournalHandler<T> {
        private final Journal journal;
        private final JournalReader<T> reader;
        /** The named reader whose restart point commits move, or {@code null}. */
        private final JournalReader<T> committer;
        private final StartPosition start;
        private final long endOffset;
        private final boolean bounded;
        private final EpochOffsets epochOffsets = new EpochOffsets();
        private SourceOutput<T> out;
        private long lastEmittedOffset = Journal.NO_OFFSET;
        private boolean reachedEnd;
        private int emitted;

        Reader(Journal journal, JournalReader<T> reader, JournalReader<T> committer, long endOffset, boolean bounded) {
            this.journal = journal;
            this.reader = reader;
            this.committer = committer;
            this.start = reader.start();
            this.endOffset = endOffset;
            this.bounded = bounded;
            this.reachedEnd = endOffset == Journal.NO_OFFSET;
        }

        @Override
        public int poll(SourceOutput<T> out, int limit) {
            if (reachedEnd) {
                return END_OF_INPUT;
            }
            this.out = out;
            emitted = 0;
            int read = reader.poll(this, limit);
            if (read == JournalReader.END_OF_JOURNAL || (read == 0 && bounded && reader.isCaughtUp())) {
                // bounded: caught up means every record up to the end at start was read (or the
                // reader started after it)
                reachedEnd = true;
            }
            return emitted > 0 || !reachedEnd ? emitted : END_OF_INPUT;
        }

        @Override
        public long lastEmittedOffset() {
            return lastEmittedOffset;
        }

        @Override
        public void onRecord(T record, long offset) {
            if (offset > endOffset) {
                reachedEnd = true;
                return;
            }
            lastEmittedOffset = offset;
            if (offset == endOffset) {
                reachedEnd = true;
            }
            emitted++;
            out.emit(record);
        }

        @Override
        public void onEpochEnd(long epochId) {
            if (committer != null) {
                epochOffsets.onEpochEnd(epochId, lastEmittedOffset);
            }
        }

        @Override
        public void onEpochCommitted(long epochId) {
            if (committer != null) {
                long offset = epochOffsets.committed(epochId);
                if (offset != Journal.NO_OFFSET) {
                    committer.commit(offset);
                }
            }
        }

        @Override
        public void writePosition(SnapshotOutput out) {
            StartPosition next = lastEmittedOffset == Journal.NO_OFFSET ? start : StartPosition.after(lastEmittedOffset);
            Positions.begin(out).writeByte(next.kind().ordinal()).writeLong(next.offset()).writeLong(endOffset);
        }

        @Override
        public void close() {
            journal.close();
        }
    }
}
