package io.rivulet.journal;

import io.rivulet.journal.codec.Codec;
import io.rivulet.journal.internal.Framing;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;

/**
 * Reads a {@link Journal} forward by polling: {@link #poll} hands the records available now to a
 * handler and returns at once, never waiting for more.
 *
 * <pre>
 *   poll(handler, limit) ─► n &gt; 0            n records read
 *                        ─► 0                nothing now: {@link #isCaughtUp()} is true, every record
 *                                            written so far has been read
 *                        ─► END_OF_JOURNAL   the writer ended the journal; nothing will follow
 * </pre>
 *
 * <p>Every record is checked against its checksum before it is decoded: a damaged record throws
 * {@link JournalCorruptedException} naming the file and offset, never reaches the handler, and stays
 * where it is (the next poll throws again). A record a crashed writer left half-written is not
 * complete and is never read.
 *
 * <p><b>Epoch-committed journals</b> ({@link Journal#isEpochCommitted()}) are read committed: the
 * reader hands over only records whose epoch is committed, each once, in journal order (so in order
 * per writer), and skips aborted ones (a crashed run's records its recovery did not commit). A
 * record's fate is decided by the control markers after it, so the reader looks ahead with a
 * second cursor (the <i>scout</i>, which reads only document headers and markers) and stops at the
 * first record whose epoch is not committed yet: a poll then returns what came before it and
 * {@link #isCaughtUp()} is true (every record committed so far has been read). Records a writer
 * appended after such a record wait for it, even if their own epoch is committed (Kafka's read
 * committed stops at the last stable offset in the same way). Offsets, {@link #commit} and start
 * positions work as for a plain journal; a restart point lies on a delivered record.
 *
 * <p>A <b>named</b> reader ({@link Journal#reader(String, Codec, StartPosition)}) resumes after the
 * offset it last {@link #commit}ted, and holds retention back to it.
 *
 * <p>Not thread-safe; owned by the thread that first polls. Polling allocates nothing beyond what
 * the codec does (with {@link #reuseRecords(boolean)} and a codec that reuses, nothing at all).
 *
 * @param <T> record type
 */
public final class JournalReader<T> implements AutoCloseable {
    /** Returned by {@link #poll} once the reader reached the end-of-journal marker. */
    public static final int END_OF_JOURNAL = -1;
    private static final int METADATA_SKIP_BUDGET = 64;
    /** Records one poll of {@link #pollAvailable} hands over at most. */
    private static final int AVAILABLE_BATCH = 4096;
    /** Documents the scout reads per poll at most, looking for the marker that decides a record. */
    private static final int SCOUT_BUDGET = 16_384;
    private static final int COMMITTED = 1;
    private static final int ABORTED = 2;
    private static final int UNDECIDED = 0;

    private final Journal journal;
    private final ExcerptTailer tailer;
    private final Codec<T> codec;
    private final String name;
    private final StartPosition start;
    private boolean bound;
    private boolean closed;
    private boolean caughtUp;
    private boolean ended;
    private boolean reuseRecords;
    private T reuse;
    private long lastReadOffset = Journal.NO_OFFSET;
    /** Records at offsets above this carry an epoch tag; {@link Journal#PLAIN} for none. */
    private long taggedAfter;
    /** Recovery markers this reader has passed: the run the next record belongs to. */
    private long run;
    /** Looks ahead for the markers that decide records; created on the first tagged record. */
    private ExcerptTailer scout;
    /** Offset of the last record the scout passed; it is valid only at or after the record in question. */
    private long scoutOffset = Journal.NO_OFFSET;
    /** The run the scout is in, counted like {@link #run}. */
    private long scoutRun;
    /** Newest commit the scout saw in its run. */
    private long scoutCommitted = Long.MIN_VALUE;
    /** For the run before the scout's: newest commit, and the epoch its recovery committed through. */
    private long endedRunCommitted = Long.MIN_VALUE;
    private long endedRunRecovered = Long.MIN_VALUE;
    /** Whether the scout's last look ahead stopped at the end of what is written. */
    private boolean scoutAtEnd;

    JournalReader(Journal journal, ExcerptTailer tailer, Codec<T> codec, StartPosition start, String name) {
        this.journal = journal;
        this.tailer = tailer;
        this.codec = codec;
        this.start = start;
        this.name = name;
        try {
            this.taggedAfter = journal.taggedAfter();
            position(start);
        } catch (RuntimeException e) {
            tailer.close();
            throw e;
        }
    }

    private void position(StartPosition start) {
        switch (start.kind()) {
            case EARLIEST:
                tailer.toStart();
                break;
            case LATEST:
                tailer.toEnd();
                break;
            case AT:
                moveTo(start.offset());
                break;
            case AFTER:
                moveTo(start.offset());
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        throw new JournalException("journal " + journal.directory() + " has no record at offset "
                            + Journal.formatOffset(start.offset()) + " to start after");
                    }
                }
                break;
            default:
                throw new IllegalStateException("unknown start position " + start);
        }
    }

    private void moveTo(long offset) {
        if (tailer.moveToIndex(offset)) {
            return;
        }
        long first = journal.firstOffset();
        long last = journal.lastOffset();
        if (last != Journal.NO_OFFSET && offset == last + 1 && journal.cycleOf(offset) == journal.cycleOf(last)) {
            tailer.toEnd();
            return;
        }
        String where = first == Journal.NO_OFFSET ? "the journal is empty"
            : "it holds " + Journal.formatOffset(first) + " to " + Journal.formatOffset(last);
        String why = first != Journal.NO_OFFSET && offset < first ? " (retention deleted it)" : "";
        throw new JournalException("offset " + Journal.formatOffset(offset) + " is not in journal "
            + journal.directory() + why + ": " + where);
    }

    /**
     * Hands every record available now to {@code handler}: polls until the reader has caught up
     * ({@link #isCaughtUp()}) or reached the end of the journal.
     *
     * @param handler receives each record, on this thread, before the next is read
     * @return the number read (0 if nothing was available)
     * @throws JournalCorruptedException as {@link #poll} does
     * @throws JournalException as {@link #poll} does
     */
    public long pollAvailable(JournalHandler<? super T> handler) {
        long read = 0;
        while (true) {
            int n = poll(handler, AVAILABLE_BATCH);
            if (n == END_OF_JOURNAL) {
                return read;
            }
            read += n;
            if (n == 0 && caughtUp) {
                return read;
            }
        }
    }

    /**
     * Hands up to {@code limit} records available now to {@code handler}, in offset order.
     *
     * @param handler receives each record, on this thread, before the next is read
     * @param limit the most records to read, at least 1
     * @return the number read, or {@link #END_OF_JOURNAL}. 0 does not always mean "nothing now": a poll
     *     also stops after skipping a bounded number of control markers or aborted records (so one call
     *     stays short), and then {@link #isCaughtUp()} is false and the next poll goes on from there. To
     *     read everything available, use {@link #pollAvailable}
     * @throws JournalCorruptedException when a record fails its checksum or Chronicle cannot parse
     *     the file; the reader stays before that record
     * @throws JournalException when the codec cannot read a record (a journal written with another
     *     codec), or the reader is closed
     */
    public int poll(JournalHandler<? super T> handler, int limit) {
        if (!bound) {
            bind();
        }
        if (ended) {
            return END_OF_JOURNAL;
        }
        int read = 0;
        int skips = METADATA_SKIP_BUDGET;
        int abortedSkips = SCOUT_BUDGET;
        while (read < limit) {
            DocumentContext dc = readingDocument();
            T record = null;
            long offset;
            long heldEpoch = Long.MIN_VALUE;
            try {
                if (!dc.isPresent()) {
                    caughtUp = true;
                    return read;
                }
                Bytes<?> bytes = dc.wire().bytes();
                if (dc.isMetaData()) {
                    if (isEndMarker(bytes)) {
                        ended = true;
                        return read > 0 ? read : END_OF_JOURNAL;
                    }
                    onControlMarker(bytes);
                    if (--skips == 0) {
                        break;
                    }
                    continue;
                }
                offset = dc.index();
                boolean tagged = offset > taggedAfter;
                int fate = tagged ? fate(bytes.readLong(bytes.readPosition() + Framing.HEADER_LENGTH), offset) : COMMITTED;
                if (fate == COMMITTED) {
                    record = decode(bytes, offset, tagged);
                } else if (fate == ABORTED) {
                    if (--abortedSkips == 0) {
                        break;
                    }
                    continue;
                } else {
                    // Not decided by what the scout has seen: hold the record back, look further, read it again.
                    heldEpoch = bytes.readLong(bytes.readPosition() + Framing.HEADER_LENGTH);
                    dc.rollbackOnClose();
                }
            } catch (RuntimeException e) {
                dc.rollbackOnClose();
                throw e;
            } finally {
                dc.close();
            }
            if (record == null) {
                if (scoutFor(heldEpoch, offset) == UNDECIDED) {
                    // At the end for now: every committed record has been read. Else the budget ran out.
                    caughtUp = scoutAtEnd;
                    return read;
                }
                continue;
            }
            lastReadOffset = offset;
            handler.onRecord(record, offset);
            read++;
        }
        caughtUp = false;
        return read;
    }

    private DocumentContext readingDocument() {
        try {
            return tailer.readingDocument(true);
        } catch (RuntimeException e) {
            throw new JournalCorruptedException(currentFile(), lastReadOffset,
                "Chronicle Queue cannot read the document after the last record read: " + e, e);
        }
    }

    private T decode(Bytes<?> bytes, long offset, boolean tagged) {
        long payload = bytes.readPosition() + Framing.HEADER_LENGTH;
        long length = bytes.readLimit() - payload;
        if (length < (tagged ? Framing.EPOCH_TAG_LENGTH : 0)) {
            throw new JournalCorruptedException(currentFile(), offset, "a document of "
                + (length + Framing.HEADER_LENGTH) + " bytes is shorter than the record framing", null);
        }
        int stored = bytes.readInt(bytes.readPosition());
        int actual = Framing.checksum(bytes, payload, length);
        if (stored != actual) {
            throw new JournalCorruptedException(currentFile(), offset, "checksum mismatch over " + length
                + " bytes: stored 0x" + Integer.toHexString(stored) + ", computed 0x" + Integer.toHexString(actual), null);
        }
        bytes.readSkip(tagged ? Framing.HEADER_LENGTH + Framing.EPOCH_TAG_LENGTH : Framing.HEADER_LENGTH);
        T record;
        try {
            record = codec.read(bytes, reuseRecords ? reuse : null);
        } catch (RuntimeException e) {
            throw new JournalException("record at offset " + Journal.formatOffset(offset) + " in " + currentFile()
                + " does not decode with codec " + codec + " (written with another codec?): " + e, e);
        }
        if (bytes.readRemaining() != 0) {
            throw new JournalException("codec " + codec + " left " + bytes.readRemaining() + " of " + length
                + " bytes of the record at offset " + Journal.formatOffset(offset) + " in " + currentFile()
                + " unread (written with another codec?)");
        }
        if (reuseRecords) {
            reuse = record;
        }
        return record;
    }

    /** A control marker the reader itself passes: a layout switch, or a recovery (a new run). */
    private void onControlMarker(Bytes<?> bytes) {
        long position = bytes.readPosition();
        long kind = Framing.controlKind(bytes, position, bytes.readRemaining());
        if (kind == Framing.RECOVER_MAGIC) {
            run++;
        } else if (kind == Framing.LAYOUT_MAGIC && taggedAfter == Journal.PLAIN) {
            taggedAfter = Framing.controlValue(bytes, position);
        }
    }

    /**
     * The fate of the record of {@code epoch} at {@code offset} from what the scout has seen: markers
     * after the record decide it, so the scout must have passed the record.
     */
    private int fate(long epoch, long offset) {
        if (epoch == Framing.IMMEDIATE_EPOCH) {
            return COMMITTED;
        }
        if (scoutOffset < offset || run > scoutRun) {
            return UNDECIDED;
        }
        if (run == scoutRun) {
            return epoch <= scoutCommitted ? COMMITTED : UNDECIDED;
        }
        if (run == scoutRun - 1) {
            return epoch <= endedRunCommitted || epoch <= endedRunRecovered ? COMMITTED : ABORTED;
        }
        return UNDECIDED;
    }

    /**
     * Moves the scout forward until the record at {@code offset}, which the reader holds back, is
     * decided, the journal ends for now, or the budget is spent.
     *
     * @return {@link #UNDECIDED} when the record is still undecided ({@link #scoutAtEnd} says why)
     */
    private int scoutFor(long epoch, long offset) {
        if (scout == null) {
            scout = journal.queue().createTailer();
            scout.singleThreadedCheckReset();
        }
        if (scoutOffset < offset || run > scoutRun || run < scoutRun - 1) {
            // Start at the record itself: only markers after it matter.
            if (!scout.moveToIndex(offset)) {
                throw new JournalException("journal " + journal.directory() + " lost the record at offset "
                    + Journal.formatOffset(offset) + " while reading it (retention?)");
            }
            scoutOffset = Journal.NO_OFFSET;
            scoutRun = run;
            scoutCommitted = Long.MIN_VALUE;
            endedRunCommitted = Long.MIN_VALUE;
            endedRunRecovered = Long.MIN_VALUE;
        }
        scoutAtEnd = false;
        for (int budget = SCOUT_BUDGET; budget > 0; budget--) {
            DocumentContext dc;
            try {
                dc = scout.readingDocument(true);
            } catch (RuntimeException e) {
                throw new JournalCorruptedException(currentFile(), scoutOffset,
                    "Chronicle Queue cannot read the document after this record while looking ahead: " + e, e);
            }
            try {
                if (!dc.isPresent()) {
                    scoutAtEnd = true;
                    return UNDECIDED;
                }
                Bytes<?> bytes = dc.wire().bytes();
                if (!dc.isMetaData()) {
                    scoutOffset = dc.index();
                    continue;
                }
                long position = bytes.readPosition();
                long kind = Framing.controlKind(bytes, position, bytes.readRemaining());
                if (kind == Framing.COMMIT_MAGIC) {
                    scoutCommitted = Math.max(scoutCommitted, Framing.controlValue(bytes, position));
                } else if (kind == Framing.RECOVER_MAGIC) {
                    endRun(Framing.controlValue(bytes, position));
                } else if (isEndMarker(bytes)) {
                    // Nothing follows: what the last run did not commit never will be.
                    endRun(Long.MIN_VALUE);
                } else {
                    continue;
                }
            } finally {
                dc.close();
            }
            int fate = fate(epoch, offset);
            if (fate != UNDECIDED) {
                return fate;
            }
        }
        return UNDECIDED;
    }

    private void endRun(long recoveredThrough) {
        endedRunCommitted = scoutCommitted;
        endedRunRecovered = recoveredThrough;
        scoutCommitted = Long.MIN_VALUE;
        scoutRun++;
    }

    static boolean isEndMarker(Bytes<?> bytes) {
        long position = bytes.readPosition();
        return bytes.readRemaining() == Framing.END_MARKER_LENGTH
            && bytes.readLong(position) == Framing.END_MARKER_MAGIC
            && bytes.readLong(position + 8) == ~Framing.END_MARKER_MAGIC;
    }

    private void bind() {
        if (closed) {
            throw new JournalException("reader of journal " + journal.directory() + " is closed");
        }
        tailer.singleThreadedCheckReset();
        if (scout != null) {
            scout.singleThreadedCheckReset();
        }
        bound = true;
    }

    /**
     * Lets the codec decode into the record it returned last time: the handler must not keep a
     * record after its call. Off by default.
     *
     * @param reuse whether to reuse records
     * @return this reader
     */
    public JournalReader<T> reuseRecords(boolean reuse) {
        this.reuseRecords = reuse;
        return this;
    }

    /**
     * @return true if the last {@link #poll} stopped because nothing more was written yet: the reader
     *     has read every record appended before that poll (in an epoch-committed journal: every record
     *     committed before that poll)
     */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    /**
     * @return true once the reader reached the end-of-journal marker
     */
    public boolean isEnded() {
        return ended;
    }

    /**
     * @return the offset of the last record read, or {@link Journal#NO_OFFSET}
     */
    public long lastReadOffset() {
        return lastReadOffset;
    }

    /**
     * @return where the reader started
     */
    public StartPosition start() {
        return start;
    }

    /**
     * @return the reader's name, or {@code null} for an unnamed reader
     */
    public String name() {
        return name;
    }

    /**
     * Makes the last record read this reader's restart point; see {@link #commit(long)}.
     */
    public void commit() {
        commit(lastReadOffset);
    }

    /**
     * Makes {@code offset} this named reader's restart point, durably (a small file replaced
     * atomically and forced to disk): a reader opened later under the same name starts after it,
     * and retention may delete the cycles before the offset's cycle. Does file I/O; call it at
     * commit points, not per record.
     *
     * @param offset the offset of the last record the reader is done with; {@link Journal#NO_OFFSET}
     *     does nothing
     * @throws IllegalStateException for an unnamed reader
     */
    public void commit(long offset) {
        if (name == null) {
            throw new IllegalStateException("only a named reader commits offsets; open it with Journal.reader(name, ...)");
        }
        if (closed) {
            throw new JournalException("reader '" + name + "' of journal " + journal.directory() + " is closed");
        }
        if (offset != Journal.NO_OFFSET) {
            journal.onReaderCommitted(name, offset);
        }
    }

    /**
     * @return the journal this reader reads
     */
    public Journal journal() {
        return journal;
    }

    private File currentFile() {
        try {
            return tailer.currentFile();
        } catch (RuntimeException e) {
            return journal.directory().toFile();
        }
    }

    /** Releases the reader. Call from the owner thread, or after it stopped. Idempotent; commits nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            tailer.singleThreadedCheckReset();
            tailer.close();
            if (scout != null) {
                scout.singleThreadedCheckReset();
                scout.close();
            }
        } finally {
            journal.onChildClosed(this, name);
        }
    }

    @Override
    public String toString() {
        return "JournalReader[" + journal.directory() + (name != null ? ", " + name : "") + "]";
    }
}
