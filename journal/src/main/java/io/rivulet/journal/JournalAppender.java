package io.rivulet.journal;

import io.rivulet.journal.codec.Codec;
import io.rivulet.journal.internal.Framing;
import io.rivulet.journal.internal.PageToucher;
import io.rivulet.journal.internal.PretouchTarget;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.Wire;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;

/**
 * Appends records to a {@link Journal}: {@link #append} writes one record, framed with its length
 * and checksum, and returns its offset once the record is complete in the journal: visible to every
 * reader, in this process or another, and safe from a crash of this process (not yet from an
 * operating-system crash or power loss: {@link #sync()} is for that).
 *
 * <p>In an epoch-committed journal ({@link Journal#isEpochCommitted()}) each record also carries an
 * epoch: an <b>epoch appender</b> ({@link Journal#epochAppender}) tags records with the epoch set by
 * {@link #beginEpoch(long)}, and readers see them once {@link Journal#commitEpoch} commits that
 * epoch; a plain appender ({@link Journal#appender}) on such a journal tags its records as committed
 * at once.
 *
 * <p>Not thread-safe; owned by the thread that first appends (which may differ from the thread that
 * opened it). {@link #append} allocates nothing beyond what the codec does.
 *
 * @param <T> record type
 */
public final class JournalAppender<T> implements AutoCloseable {
    private static final long SPACE_CHECK_INTERVAL = 64L << 20;
    private static final int OWNER_PRETOUCH_MAX_PAGES = 256;

    private final Journal journal;
    private final ExcerptAppender appender;
    private final Codec<T> codec;
    private final PretouchTarget pretouchTarget;
    private final PageToucher ownerToucher;
    /** Whether records carry an epoch tag (the journal is epoch-committed). */
    private final boolean tagged;
    /** Whether {@link #beginEpoch} sets the tag (an epoch appender) rather than it being immediate. */
    private final boolean epochs;
    private long epoch;
    private boolean bound;
    private boolean closed;
    private boolean ended;
    private int cycle = Integer.MIN_VALUE;
    private long nextSpaceCheck;
    private long writePosition = -1;
    private long lastOffset = Journal.NO_OFFSET;

    JournalAppender(Journal journal, ExcerptAppender appender, Codec<T> codec, boolean tagged, boolean epochs,
                    long firstEpoch) {
        this.journal = journal;
        this.appender = appender;
        this.codec = codec;
        this.tagged = tagged;
        this.epochs = epochs;
        this.epoch = epochs ? firstEpoch : Framing.IMMEDIATE_EPOCH;
        JournalPretouch pretouch = journal.options().pretouch();
        this.pretouchTarget = pretouch == JournalPretouch.BACKGROUND ? new PretouchTarget() : null;
        this.ownerToucher = pretouch == JournalPretouch.OWNER ? new PageToucher() : null;
        checkFreeSpace();
    }

    /**
     * Appends one record.
     *
     * @param record the record, not {@code null}
     * @return the record's offset
     * @throws JournalException when the appender is closed or the journal ended, the file system is
     *     short of space (see {@link JournalOptions#minFreeSpace(long)}), or a write faults (the
     *     record is then not in the journal)
     */
    public long append(T record) {
        if (record == null) {
            throw new NullPointerException("journal record must not be null");
        }
        if (!bound) {
            bind();
        }
        DocumentContext dc = appender.writingDocument();
        try {
            Bytes<?> bytes = dc.wire().bytes();
            long start = bytes.writePosition();
            bytes.writeInt(0);
            if (tagged) {
                bytes.writeLong(epoch);
            }
            codec.write(record, bytes);
            long end = bytes.writePosition();
            bytes.writeInt(start, Framing.checksum(bytes, start + Framing.HEADER_LENGTH, end - start - Framing.HEADER_LENGTH));
            if (end >= nextSpaceCheck || appender.cycle() != cycle) {
                onNewRegion(bytes, end);
            }
            writePosition = end;
            if (pretouchTarget != null) {
                pretouchTarget.position(end);
            }
        } catch (Throwable t) {
            dc.rollbackOnClose();
            dc.close();
            throw failure(t);
        }
        dc.close();
        return lastOffset = appender.lastIndexAppended();
    }

    private void bind() {
        if (closed) {
            throw new JournalException("appender of journal " + journal.directory() + " is closed");
        }
        if (ended) {
            throw new JournalException("journal " + journal.directory() + " was ended by this appender");
        }
        appender.singleThreadedCheckReset();
        bound = true;
    }

    /** A new cycle file, or the next 64 MiB of the current one: check space, tell the pretoucher. */
    private void onNewRegion(Bytes<?> bytes, long end) {
        checkFreeSpace();
        nextSpaceCheck = end + SPACE_CHECK_INTERVAL;
        cycle = appender.cycle();
        if (pretouchTarget != null && bytes instanceof MappedBytes) {
            pretouchTarget.file(((MappedBytes) bytes).mappedFile());
        }
    }

    private void checkFreeSpace() {
        long min = journal.options().minFreeSpace();
        if (min == 0) {
            return;
        }
        long usable;
        try {
            usable = Files.getFileStore(journal.directory()).getUsableSpace();
        } catch (IOException e) {
            throw new JournalException("cannot read the free space of journal directory " + journal.directory() + ": " + e, e);
        }
        if (usable < min) {
            throw new JournalException("journal directory " + journal.directory() + " has " + usable
                + " bytes free, less than minFreeSpace=" + min + " bytes; not appending (disk full?)");
        }
    }

    private RuntimeException failure(Throwable t) {
        if (t instanceof JournalException) {
            return (JournalException) t;
        }
        if (t instanceof InternalError) {
            // a fault inside a memory-mapped write: the disk is full or the file went away
            return new JournalException("I/O fault writing journal file " + currentFile()
                + " (disk full or file removed?): " + t.getMessage(), t);
        }
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new JournalException("append to journal " + journal.directory() + " failed: " + t, t);
    }

    /**
     * Makes the records appended from now on belong to epoch {@code epochId}: an exactly-once
     * writer calls it when it ends the previous epoch. Writes nothing to the journal.
     *
     * @param epochId the epoch, 0 or more, not below the current one
     * @throws IllegalStateException when this is not an epoch appender
     * @throws IllegalArgumentException when the epoch is negative or goes back
     */
    public void beginEpoch(long epochId) {
        if (!epochs) {
            throw new IllegalStateException("only an epoch appender (Journal.epochAppender) has epochs");
        }
        if (epochId < epoch) {
            throw new IllegalArgumentException("epoch must not go back: appender of journal " + journal.directory()
                + " is in epoch " + epoch + ", asked for " + epochId);
        }
        epoch = epochId;
    }

    /**
     * @return the epoch the next record belongs to; {@link Long#MIN_VALUE} for a record committed at once
     */
    public long epoch() {
        return epoch;
    }

    /**
     * @return whether this is an epoch appender
     */
    boolean isEpochAppender() {
        return epochs;
    }

    /**
     * Writes the end-of-journal marker: readers that reach it see {@link JournalReader#END_OF_JOURNAL},
     * and the journal takes no more appenders. The appender appends nothing more.
     */
    public void endJournal() {
        if (!bound) {
            bind();
        }
        try (DocumentContext dc = appender.writingDocument(true)) {
            dc.wire().bytes().writeLong(Framing.END_MARKER_MAGIC).writeLong(~Framing.END_MARKER_MAGIC);
        }
        ended = true;
        bound = false;
    }

    /**
     * Touches pages ahead of the write position (at most 1 MiB per call) so that later appends do
     * not fault. Does something only with {@link JournalPretouch#OWNER}; call it from the owner
     * thread when it has nothing else to do.
     *
     * @return the number of pages touched
     */
    public int pretouch() {
        if (ownerToucher == null || writePosition < 0 || closed) {
            return 0;
        }
        Wire wire = appender.wire();
        if (wire == null || !(wire.bytes() instanceof MappedBytes)) {
            return 0;
        }
        try {
            return ownerToucher.touch(((MappedBytes) wire.bytes()).mappedFile(), writePosition,
                journal.options().pretouchAheadLength(), OWNER_PRETOUCH_MAX_PAGES);
        } catch (IOException e) {
            throw new JournalException("cannot pretouch journal file " + currentFile() + ": " + e, e);
        }
    }

    /**
     * Forces the records appended so far in the current cycle file to disk ({@code msync}), so they
     * survive an operating-system crash or power loss, not only a crash of this process. Costs a
     * disk flush; call it at commit points, not per record.
     */
    public void sync() {
        if (writePosition >= 0 && !closed) {
            appender.sync();
        }
    }

    /**
     * @return the offset of the last record this appender appended, or {@link Journal#NO_OFFSET}
     */
    public long lastOffset() {
        return lastOffset;
    }

    /**
     * @return the journal this appender writes
     */
    public Journal journal() {
        return journal;
    }

    PretouchTarget pretouchTarget() {
        return pretouchTarget;
    }

    private File currentFile() {
        try {
            return appender.currentFile();
        } catch (RuntimeException e) {
            return journal.directory().toFile();
        }
    }

    /** Releases the appender. Call from the owner thread, or after it stopped. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        bound = false;
        try {
            appender.singleThreadedCheckReset();
            appender.close();
        } finally {
            if (ownerToucher != null) {
                ownerToucher.close();
            }
            journal.onChildClosed(this, null);
        }
    }

    @Override
    public String toString() {
        return "JournalAppender[" + journal.directory() + "]";
    }
}
