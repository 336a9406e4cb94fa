package io.rivulet.journal;

import io.rivulet.journal.codec.Codec;
import io.rivulet.journal.internal.Framing;
import io.rivulet.journal.internal.OffsetFile;
import io.rivulet.journal.internal.PretouchThread;
import io.rivulet.journal.internal.WriterLock;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.EpochClock;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A durable, replayable log of records in a directory, on Chronicle Queue: appenders add records and
 * get back each record's offset; readers read forward from the earliest record, the end, or an
 * offset, by polling.
 *
 * <pre>
 *   JournalAppender.append(r) ──► [cycle file 20260101-10F.cq4][cycle file 20260101-11F.cq4] ...
 *          returns offset                 ▲                          ▲
 *                       JournalReader.poll(handler) (earliest | latest | at/after offset)
 *                       named readers commit offsets ─► readers/NAME.offset ─► retention
 * </pre>
 *
 * <p><b>Offsets</b> are Chronicle indexes: the cycle number in the high bits, the sequence within
 * the cycle in the low bits (how many of each depends on the roll cycle). They increase with every
 * record, survive restarts and are never reused; they are not dense (a new cycle starts at
 * sequence 0 of a higher cycle number).
 *
 * <p><b>Epoch-committed journals.</b> An exactly-once writer (the engine's journal sink) makes a
 * journal <i>epoch-committed</i> ({@link #epochAppender}): from then on every record carries the
 * epoch it belongs to, and readers see a record only once its epoch is committed. The writer's
 * records go into the journal as they are written (so nothing is buffered and a crash loses nothing
 * the checkpoint covers); control markers decide their fate:
 * <pre>
 *   r(e=5) r(e=5) r(e=6) COMMIT(5) r(e=6) r(e=7) ✗crash   RECOVER(6) r(e=7) r(e=7) COMMIT(7) ...
 *   └─ visible at COMMIT(5) ─┘ └─ visible at RECOVER(6) ─┘ aborted (e &gt; 6)   └─ new run ──────┘
 * </pre>
 * A record is committed when a {@link #commitEpoch COMMIT} of its epoch or a later one follows it
 * in the same run, or when the {@link #recoverEpochs RECOVER} that ends its run names its epoch or a
 * later one; otherwise (its run ended without committing it: a crash, an end-of-journal marker) it
 * is aborted and no reader ever sees it. Readers deliver committed records in journal order and stop
 * at the first record whose fate is not yet known (Kafka's "last stable offset"); see
 * {@link JournalReader}. The switch is recorded in {@value #EPOCHS_FILE} (the last plain record's
 * offset) and by a marker in the journal; records before it stay plain and visible.
 *
 * <p><b>Writers.</b> One process at a time appends to a journal (an operating-system lock on
 * {@code writer.lock} enforces it; the kernel drops it when that process dies); in that process,
 * each appender has one owner thread. <b>Readers</b> may be in any number of processes.
 *
 * <p><b>Lifecycle.</b> {@link #close()} closes every appender and reader this journal handed out.
 * {@link #openJournals()} lists the journals of this JVM that are still open, so tests can fail on
 * a leak.
 *
 * <p>Thread-safe: appenders and readers may be created from any thread; each is then owned by one.
 */
public final class Journal implements AutoCloseable {
    /** An offset that names no record: "none yet", "from the start". */
    public static final long NO_OFFSET = -1L;
    /** Directory, under the journal's, holding named readers' committed offsets. */
    public static final String READERS_DIRECTORY = "readers";
    /** File, in the journal's directory, holding the last checkpoint's offset. */
    public static final String CHECKPOINT_FILE = "checkpoint" + OffsetFile.SUFFIX;
    /**
     * File, in the journal's directory, present when the journal is epoch-committed: the offset of
     * its last plain record (records after it carry epochs), or {@link #NO_OFFSET}.
     */
    public static final String EPOCHS_FILE = "epochs" + OffsetFile.SUFFIX;
    /** {@link #taggedAfter} of a plain journal: no record carries an epoch. */
    static final long PLAIN = Long.MAX_VALUE;

    private static final System.Logger LOG = System.getLogger(Journal.class.getName());
    private static final Set<Journal> OPEN = ConcurrentHashMap.newKeySet();
    private static final Pattern READER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final String CYCLE_FILE_SUFFIX = ".cq4";

    private final JournalOptions options;
    private final Path directory;
    private final SingleChronicleQueue queue;
    private final JournalRollCycle rollCycle;
    private final DateTimeFormatter cycleFileFormat;
    private final List<AutoCloseable> children = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> pinnedCycles = new ConcurrentHashMap<>();
    private final Object writerLockGuard = new Object();
    private final Object retentionGuard = new Object();
    /** Records at offsets above this carry an epoch tag; {@link #PLAIN} while the journal is plain. */
    private volatile long taggedAfter;
    /** Appends control markers; guarded by {@link #writerLockGuard}. */
    private ExcerptAppender controlAppender;
    private WriterLock writerLock;
    private PretouchThread pretouchThread;
    private volatile boolean closed;

    private Journal(JournalOptions options, Path directory) {
        this.options = options;
        this.directory = directory;
        SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.single(directory.toFile())
            .rollCycle(options.rollCycle().chronicle())
            .timeProvider(new ClockTimeProvider(options.clock()))
            .storeFileListener(new RetentionTrigger(this));
        try {
            this.queue = builder.build();
        } catch (RuntimeException e) {
            throw new JournalException("cannot open journal " + directory + ": " + e, e);
        }
        RollCycle actual = queue.rollCycle();
        JournalRollCycle known = JournalRollCycle.of(actual);
        if (known == null) {
            queue.close();
            throw new JournalException("journal " + directory + " uses roll cycle " + actual
                + ", which is not a JournalRollCycle; it was not written by Rivulet");
        }
        this.rollCycle = known;
        this.cycleFileFormat = DateTimeFormatter.ofPattern(actual.format()).withZone(ZoneOffset.UTC);
        try {
            this.taggedAfter = OffsetFile.read(directory.resolve(EPOCHS_FILE), PLAIN);
        } catch (RuntimeException e) {
            queue.close();
            throw e;
        }
    }

    /**
     * Opens (creating if missing) the journal in {@code options.directory()}.
     *
     * @param options validated options
     * @return the open journal; close it
     * @throws JournalException naming the directory when it cannot be created, is not a directory,
     *     is not writable, or holds files Chronicle Queue cannot open
     */
    public static Journal open(JournalOptions options) {
        Objects.requireNonNull(options, "journal options");
        Path directory = options.directory().toAbsolutePath().normalize();
        prepareDirectory(directory);
        Journal journal = new Journal(options, directory);
        OPEN.add(journal);
        return journal;
    }

    private static void prepareDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException e) {
            throw new JournalException("journal directory " + directory + " exists and is not a directory", e);
        } catch (IOException | SecurityException e) {
            throw new JournalException("cannot create journal directory " + directory + ": " + e, e);
        }
        Path probe = directory.resolve(".rivulet-write-probe");
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new JournalException("journal directory " + directory + " is not writable: " + e, e);
        }
        try {
            Files.createDirectories(directory.resolve(READERS_DIRECTORY));
        } catch (IOException e) {
            throw new JournalException("cannot create " + directory.resolve(READERS_DIRECTORY) + ": " + e, e);
        }
    }

    /**
     * @return the directories of the journals of this JVM that are open now
     */
    public static List<Path> openJournals() {
        List<Path> open = new ArrayList<>();
        for (Journal journal : OPEN) {
            open.add(journal.directory);
        }
        return open;
    }

    /**
     * Writes an offset the way logs and errors show it: {@code cycle:sequence} with the raw value.
     *
     * @param offset an offset or {@link #NO_OFFSET}
     * @return e.g. {@code 0x6b0144220000002a}
     */
    public static String formatOffset(long offset) {
        return offset == NO_OFFSET ? "none" : "0x" + Long.toHexString(offset);
    }

    /**
     * @return the journal's directory, absolute
     */
    public Path directory() {
        return directory;
    }

    /**
     * @return the options the journal was opened with
     */
    public JournalOptions options() {
        return options;
    }

    /**
     * @return the journal's roll cycle: the one it was created with, whatever the options say
     */
    public JournalRollCycle rollCycle() {
        return rollCycle;
    }

    /**
     * @param offset an offset of this journal
     * @return the cycle the offset falls in
     */
    public int cycleOf(long offset) {
        return queue.rollCycle().toCycle(offset);
    }

    /**
     * @param offset an offset of this journal
     * @return the offset's sequence number within its cycle
     */
    public long sequenceOf(long offset) {
        return queue.rollCycle().toSequenceNumber(offset);
    }

    /**
     * @return the offset of the first record still in the journal, or {@link #NO_OFFSET} if empty
     */
    public long firstOffset() {
        checkOpen();
        long first = queue.firstIndex();
        return first == Long.MAX_VALUE ? NO_OFFSET : first;
    }

    /**
     * @return the offset of the last record appended, or {@link #NO_OFFSET} if empty
     */
    public long lastOffset() {
        checkOpen();
        long last = queue.lastIndex();
        return last < 0 ? NO_OFFSET : last;
    }

    /**
     * Whether a writer ended the journal ({@link JournalAppender#endJournal()}): its last document is
     * an end-of-journal marker. An ended journal takes no more appenders.
     *
     * @return true if ended
     */
    public boolean isEnded() {
        checkOpen();
        try (ExcerptTailer tailer = queue.createTailer()) {
            long last = queue.lastIndex();
            if (last >= 0) {
                tailer.moveToIndex(last);
            } else {
                tailer.toStart();
            }
            boolean ended = false;
            for (int i = 0; i < 1_000_000; i++) {
                try (DocumentContext dc = tailer.readingDocument(true)) {
                    if (!dc.isPresent()) {
                        return ended;
                    }
                    ended = dc.isMetaData() && JournalReader.isEndMarker(dc.wire().bytes());
                }
            }
            return ended;
        }
    }

    /**
     * Opens an appender. Its first call takes this process's exclusive right to write the journal.
     *
     * @param codec writes the records
     * @param <T> record type
     * @return the appender, owned from its first append by the calling thread
     * @throws JournalException when another process writes the journal, the journal was ended, or
     *     the file system has less than {@link JournalOptions#minFreeSpace()} free
     */
    public <T> JournalAppender<T> appender(Codec<T> codec) {
        Objects.requireNonNull(codec, "codec");
        checkOpen();
        synchronized (writerLockGuard) {
            acquireWriterLock();
            return newAppender(codec, taggedAfter() != PLAIN, false, Framing.IMMEDIATE_EPOCH);
        }
    }

    /**
     * Opens an <b>epoch appender</b>: its records belong to the epoch it is in (see
     * {@link JournalAppender#beginEpoch}) and readers see them only once that epoch is committed
     * ({@link #commitEpoch}) or a {@link #recoverEpochs recovery} commits it. The first one makes the
     * journal epoch-committed, for good: records appended before stay plain (and visible), records
     * after carry epochs.
     *
     * @param codec writes the records
     * @param firstEpoch the epoch of the first records, 0 or more
     * @param <T> record type
     * @return the appender, owned from its first append by the calling thread
     * @throws JournalException as {@link #appender(Codec)} does, or when a plain appender of this
     *     journal is open while the journal becomes epoch-committed (close it first)
     * @throws IllegalArgumentException when {@code firstEpoch} is negative
     */
    public <T> JournalAppender<T> epochAppender(Codec<T> codec, long firstEpoch) {
        Objects.requireNonNull(codec, "codec");
        if (firstEpoch < 0) {
            throw new IllegalArgumentException("first epoch must be >= 0, got " + firstEpoch);
        }
        checkOpen();
        synchronized (writerLockGuard) {
            acquireWriterLock();
            makeEpochCommitted();
            return newAppender(codec, true, true, firstEpoch);
        }
    }

    /**
     * Commits epoch {@code epochId} of the current run: every record of it and of earlier epochs,
     * appended before this call, becomes visible to readers. Call it after every epoch appender has
     * appended all of the epoch's records. Appends a small control marker; does no disk flush.
     *
     * @param epochId the epoch, 0 or more
     * @throws JournalException when the journal is not epoch-committed or the marker cannot be written
     */
    public void commitEpoch(long epochId) {
        if (epochId < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epochId);
        }
        appendControl(Framing.COMMIT_MAGIC, epochId);
    }

    /**
     * Ends the previous run of the journal's exactly-once writer (which may have crashed) and starts a
     * new one: the previous run's records of epochs up to {@code committedThrough} are committed (if
     * a {@link #commitEpoch} had not already), all its other records are aborted and never read. Call
     * it before the new run appends, with the epoch its restored checkpoint covers (-1 to abort
     * everything not committed). Makes the journal epoch-committed if it is not yet.
     *
     * @param committedThrough the newest epoch of the previous run to commit, or -1
     * @throws JournalException when the marker cannot be written
     */
    public void recoverEpochs(long committedThrough) {
        if (committedThrough < -1) {
            throw new IllegalArgumentException("committedThrough must be >= -1, got " + committedThrough);
        }
        checkOpen();
        synchronized (writerLockGuard) {
            acquireWriterLock();
            makeEpochCommitted();
        }
        appendControl(Framing.RECOVER_MAGIC, committedThrough);
    }

    /**
     * @return whether the journal is epoch-committed (an exactly-once writer wrote it; readers see
     *     only committed records)
     */
    public boolean isEpochCommitted() {
        return taggedAfter() != PLAIN;
    }

    /**
     * Records at offsets above this carry an epoch; {@link #PLAIN} for a plain journal. Another
     * process may have switched the journal since it was opened: a plain answer reads the file again.
     */
    long taggedAfter() {
        long after = taggedAfter;
        if (after == PLAIN) {
            after = OffsetFile.read(directory.resolve(EPOCHS_FILE), PLAIN);
            if (after != PLAIN) {
                taggedAfter = after;
            }
        }
        return after;
    }

    /** Under {@link #writerLockGuard}. */
    private void acquireWriterLock() {
        if (writerLock == null) {
            writerLock = WriterLock.acquire(directory);
        }
    }

    /** Under {@link #writerLockGuard}, with the writer lock held. */
    private void makeEpochCommitted() {
        if (taggedAfter() != PLAIN) {
            return;
        }
        for (AutoCloseable child : children) {
            if (child instanceof JournalAppender<?> open && !open.isEpochAppender()) {
                throw new JournalException("journal " + directory + " has an open plain appender; close it before"
                    + " the journal becomes epoch-committed (its records would lack epochs)");
            }
        }
        checkNotEnded();
        long lastPlain = lastOffset();
        // The file first: a reader opened from now on knows; a reader already reading passes the marker.
        OffsetFile.write(directory.resolve(EPOCHS_FILE), lastPlain);
        taggedAfter = lastPlain;
        appendControlLocked(Framing.LAYOUT_MAGIC, lastPlain);
    }

    private void appendControl(long magic, long value) {
        checkOpen();
        synchronized (writerLockGuard) {
            acquireWriterLock();
            if (taggedAfter() == PLAIN) {
                throw new JournalException("journal " + directory + " is not epoch-committed: open an epoch appender"
                    + " (Journal.epochAppender) before committing epochs");
            }
            appendControlLocked(magic, value);
        }
    }

    /** Under {@link #writerLockGuard}; the control appender may be used from any thread, one at a time. */
    private void appendControlLocked(long magic, long value) {
        if (controlAppender == null) {
            controlAppender = queue.createAppender();
        }
        controlAppender.singleThreadedCheckReset();
        try (DocumentContext dc = controlAppender.writingDocument(true)) {
            dc.wire().bytes().writeLong(magic).writeLong(value).writeLong(~(magic ^ value));
        } catch (RuntimeException | InternalError e) {
            throw new JournalException("cannot append a control marker to journal " + directory + ": " + e, e);
        }
    }

    private void checkNotEnded() {
        if (isEnded()) {
            throw new JournalException("journal " + directory + " was ended by its writer (end-of-journal marker);"
                + " it takes no more records");
        }
    }

    /** Under {@link #writerLockGuard}, with the writer lock held. */
    private <T> JournalAppender<T> newAppender(Codec<T> codec, boolean tagged, boolean epochs, long firstEpoch) {
        checkNotEnded();
        JournalAppender<T> appender = new JournalAppender<>(this, queue.createAppender(), codec, tagged, epochs, firstEpoch);
        children.add(appender);
        if (options.pretouch() == JournalPretouch.BACKGROUND) {
            if (pretouchThread == null) {
                pretouchThread = new PretouchThread("rivulet-journal-pretouch-" + directory.getFileName(),
                    options.pretouchAheadLength());
            }
            pretouchThread.add(appender.pretouchTarget());
        }
        return appender;
    }

    /**
     * @return the pages the background pretouch thread has touched ({@link JournalPretouch#BACKGROUND}), else 0
     */
    public long pretouchedPages() {
        synchronized (writerLockGuard) {
            return pretouchThread == null ? 0 : pretouchThread.pagesTouched();
        }
    }

    /**
     * Opens an unnamed reader. It holds no retention back and remembers nothing across restarts.
     *
     * @param codec reads the records
     * @param start where to start
     * @param <T> record type
     * @return the reader, owned from its first poll by the calling thread
     * @throws JournalException when {@code start} names an offset not in the journal
     */
    public <T> JournalReader<T> reader(Codec<T> codec, StartPosition start) {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(start, "start");
        checkOpen();
        JournalReader<T> reader = new JournalReader<>(this, queue.createTailer(), codec, start, null);
        children.add(reader);
        return reader;
    }

    /**
     * Opens a named reader: it resumes after the offset it last committed (kept in
     * {@code readers/NAME.offset}), or at {@code startIfNew} when it never committed; and it holds
     * retention back to the cycle of that offset, whether it is open or not, until
     * {@link #deleteReader(String)}.
     *
     * @param name letters, digits, {@code .}, {@code _}, {@code -}; 1 to 128 characters
     * @param codec reads the records
     * @param startIfNew where to start when the name has no committed offset
     * @param <T> record type
     * @return the reader, owned from its first poll by the calling thread
     * @throws JournalException when the committed offset is no longer in the journal
     */
    public <T> JournalReader<T> reader(String name, Codec<T> codec, StartPosition startIfNew) {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(startIfNew, "startIfNew");
        checkReaderName(name);
        checkOpen();
        long committed = committedOffset(name);
        StartPosition start = committed == NO_OFFSET ? startIfNew : StartPosition.after(committed);
        if (pinnedCycles.putIfAbsent(name, pinFor(start)) != null) {
            throw new JournalException("journal " + directory + " already has an open reader named '" + name + "'");
        }
        try {
            JournalReader<T> reader = new JournalReader<>(this, queue.createTailer(), codec, start, name);
            if (committed == NO_OFFSET && startIfNew.kind() != StartPosition.Kind.AT) {
                long initial = startIfNew.kind() == StartPosition.Kind.LATEST ? lastOffset() : NO_OFFSET;
                if (initial != NO_OFFSET) {
                    OffsetFile.write(readerFile(name), initial);
                }
            }
            children.add(reader);
            return reader;
        } catch (RuntimeException e) {
            pinnedCycles.remove(name);
            throw e;
        }
    }

    /**
     * @param name a reader name
     * @return the offset the named reader last committed, or {@link #NO_OFFSET}
     */
    public long committedOffset(String name) {
        checkReaderName(name);
        return OffsetFile.read(readerFile(name), NO_OFFSET);
    }

    /**
     * Forgets a named reader: it no longer holds retention back. The reader must not be open.
     *
     * @param name a reader name
     * @return true if the reader had a committed offset
     */
    public boolean deleteReader(String name) {
        checkReaderName(name);
        if (pinnedCycles.containsKey(name)) {
            throw new JournalException("reader '" + name + "' of journal " + directory + " is open; close it first");
        }
        try {
            return Files.deleteIfExists(readerFile(name));
        } catch (IOException e) {
            throw new JournalException("cannot delete " + readerFile(name) + ": " + e, e);
        }
    }

    /**
     * Records durably that the last complete checkpoint needs the records from {@code offset} on;
     * retention keeps them.
     *
     * @param offset the first offset the checkpoint needs
     */
    public void checkpoint(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("checkpoint offset must be >= 0, got " + offset);
        }
        checkOpen();
        OffsetFile.write(directory.resolve(CHECKPOINT_FILE), offset);
        applyRetention();
    }

    /**
     * @return the offset of the last checkpoint, or {@link #NO_OFFSET}
     */
    public long checkpointOffset() {
        return OffsetFile.read(directory.resolve(CHECKPOINT_FILE), NO_OFFSET);
    }

    /**
     * Deletes the cycle files retention allows (see {@link JournalRetention#DELETE_CONSUMED}); does
     * nothing under {@link JournalRetention#KEEP_ALL}.
     *
     * @return the number of cycle files deleted
     * @throws JournalException naming a file that cannot be deleted
     */
    public int applyRetention() {
        if (options.retention() != JournalRetention.DELETE_CONSUMED) {
            return 0;
        }
        synchronized (retentionGuard) {
            if (closed) {
                return 0;
            }
            int keepFrom = retainedFromCycle();
            if (keepFrom == Integer.MIN_VALUE) {
                return 0;
            }
            int first = queue.firstCycle();
            if (first == Integer.MAX_VALUE || first >= keepFrom) {
                return 0;
            }
            NavigableSet<Long> cycles = queue.listCyclesBetween(first, keepFrom - 1);
            int deleted = 0;
            for (long cycle : cycles) {
                Path file = cycleFile((int) cycle);
                try {
                    if (Files.deleteIfExists(file)) {
                        deleted++;
                        LOG.log(System.Logger.Level.DEBUG, "journal retention deleted " + file);
                    }
                } catch (IOException e) {
                    throw new JournalException("journal retention cannot delete " + file + ": " + e, e);
                }
            }
            if (deleted > 0) {
                queue.refreshDirectoryListing();
            }
            return deleted;
        }
    }

    /**
     * The lowest cycle still needed: by an open named reader, by a committed reader offset on disk,
     * by the checkpoint; never above the last cycle. {@code Integer.MIN_VALUE} when nothing may go.
     */
    private int retainedFromCycle() {
        boolean anyHolder = false;
        long lowest = Long.MAX_VALUE;
        for (int pinned : pinnedCycles.values()) {
            anyHolder = true;
            lowest = Math.min(lowest, pinned);
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory.resolve(READERS_DIRECTORY), "*" + OffsetFile.SUFFIX)) {
            for (Path file : files) {
                anyHolder = true;
                long committed = OffsetFile.read(file, NO_OFFSET);
                lowest = Math.min(lowest, committed == NO_OFFSET ? Integer.MIN_VALUE : cycleOf(committed));
            }
        } catch (IOException e) {
            throw new JournalException("cannot list " + directory.resolve(READERS_DIRECTORY) + ": " + e, e);
        }
        long checkpoint = checkpointOffset();
        if (checkpoint != NO_OFFSET) {
            anyHolder = true;
            lowest = Math.min(lowest, cycleOf(checkpoint));
        }
        if (!anyHolder || lowest <= Integer.MIN_VALUE) {
            return Integer.MIN_VALUE;
        }
        return (int) Math.min(lowest, queue.lastCycle());
    }

    /**
     * @param cycle a cycle number
     * @return the file that holds the cycle (which may not exist)
     */
    public Path cycleFile(int cycle) {
        long epochMs = cycle * (long) queue.rollCycle().lengthInMillis();
        return directory.resolve(cycleFileFormat.format(Instant.ofEpochMilli(epochMs)) + CYCLE_FILE_SUFFIX);
    }

    /**
     * @return the cycle files in the journal's directory now, oldest first
     */
    public List<Path> cycleFiles() {
        checkOpen();
        List<Path> files = new ArrayList<>();
        int first = queue.firstCycle();
        int last = queue.lastCycle();
        if (first == Integer.MAX_VALUE || last == Integer.MIN_VALUE) {
            return files;
        }
        for (long cycle : queue.listCyclesBetween(first, last)) {
            files.add(cycleFile((int) cycle));
        }
        return files;
    }

    void onReaderCommitted(String name, long offset) {
        OffsetFile.write(readerFile(name), offset);
        Integer previous = pinnedCycles.put(name, cycleOf(offset));
        if (previous == null || previous != cycleOf(offset)) {
            applyRetention();
        }
    }

    void onChildClosed(AutoCloseable child, String readerName) {
        children.remove(child);
        if (readerName != null) {
            pinnedCycles.remove(readerName);
        }
        if (child instanceof JournalAppender<?> appender && pretouchThread != null) {
            pretouchThread.remove(appender.pretouchTarget());
        }
    }

    private int pinFor(StartPosition start) {
        switch (start.kind()) {
            case EARLIEST:
                return Integer.MIN_VALUE;
            case LATEST:
                long last = lastOffset();
                return last == NO_OFFSET ? Integer.MIN_VALUE : cycleOf(last);
            default:
                return cycleOf(start.offset());
        }
    }

    private Path readerFile(String name) {
        return directory.resolve(READERS_DIRECTORY).resolve(name + OffsetFile.SUFFIX);
    }

    private static void checkReaderName(String name) {
        Objects.requireNonNull(name, "reader name");
        if (!READER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("reader name must be 1-128 of letters, digits, '.', '_', '-'"
                + " and start with a letter or digit, got '" + name + "'");
        }
    }

    SingleChronicleQueue queue() {
        return queue;
    }

    void checkOpen() {
        if (closed) {
            throw new JournalException("journal " + directory + " is closed");
        }
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Closes every appender and reader of this journal (from this thread: they must be idle), stops
     * the pretouch thread, releases the writer lock and the queue. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        List<AutoCloseable> open = new ArrayList<>(children);
        for (AutoCloseable child : open) {
            try {
                child.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + child + " of journal " + directory + " failed", e);
            }
        }
        synchronized (retentionGuard) {
            closed = true;
        }
        synchronized (writerLockGuard) {
            if (pretouchThread != null) {
                pretouchThread.close();
                pretouchThread = null;
            }
            if (controlAppender != null) {
                controlAppender.singleThreadedCheckReset();
                controlAppender.close();
                controlAppender = null;
            }
        }
        try {
            queue.close();
        } finally {
            synchronized (writerLockGuard) {
                if (writerLock != null) {
                    writerLock.close();
                    writerLock = null;
                }
            }
            OPEN.remove(this);
        }
    }

    @Override
    public String toString() {
        return "Journal[" + directory + "]";
    }

    /** Chronicle asks a {@link TimeProvider}; the journal's options carry an Agrona clock. */
    private static final class ClockTimeProvider implements TimeProvider {
        private final EpochClock clock;

        ClockTimeProvider(EpochClock clock) {
            this.clock = clock;
        }

        @Override
        public long currentTimeMillis() {
            return clock.time();
        }

        @Override
        public long currentTimeMicros() {
            return TimeUnit.MILLISECONDS.toMicros(clock.time());
        }

        @Override
        public long currentTimeNanos() {
            return TimeUnit.MILLISECONDS.toNanos(clock.time());
        }
    }

    /**
     * Runs retention when Chronicle releases a cycle file (after a roll), on Chronicle's background
     * resource-releaser thread: off the appender's hot path.
     */
    private static final class RetentionTrigger implements StoreFileListener {
        private final Journal journal;

        RetentionTrigger(Journal journal) {
            this.journal = journal;
        }

        @Override
        public void onReleased(int cycle, File file) {
            if (journal.options.retention() == JournalRetention.KEEP_ALL || journal.closed || journal.queue == null) {
                return;
            }
            try {
                journal.applyRetention();
            } catch (RuntimeException e) {
                if (!journal.closed) {
                    LOG.log(System.Logger.Level.WARNING, "journal retention after releasing " + file + " failed", e);
                }
            }
        }
    }
}
