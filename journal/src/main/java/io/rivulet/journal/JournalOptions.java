package io.rivulet.journal;

import io.rivulet.journal.internal.PageToucher;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to open a journal: its directory, roll cycle, retention, pretouch, the free space an
 * appender insists on, and the clock that decides the cycle. Every setter returns a validated copy
 * and names the bad parameter; the directory itself is checked when {@link Journal#open} opens it.
 *
 * <p>Immutable and thread-safe.
 */
public final class JournalOptions {
    /** Default of {@link #pretouchAheadLength()}: 16 MiB. */
    public static final long DEFAULT_PRETOUCH_AHEAD_LENGTH = 16L << 20;
    /** Default of {@link #minFreeSpace()}: 64 MiB. */
    public static final long DEFAULT_MIN_FREE_SPACE = 64L << 20;

    private final Path directory;
    private final JournalRollCycle rollCycle;
    private final JournalRetention retention;
    private final JournalPretouch pretouch;
    private final long pretouchAheadLength;
    private final long minFreeSpace;
    private final EpochClock clock;

    private JournalOptions(Path directory, JournalRollCycle rollCycle, JournalRetention retention,
                           JournalPretouch pretouch, long pretouchAheadLength, long minFreeSpace, EpochClock clock) {
        this.directory = Objects.requireNonNull(directory, "journal directory");
        this.rollCycle = Objects.requireNonNull(rollCycle, "journal rollCycle");
        this.retention = Objects.requireNonNull(retention, "journal retention");
        this.pretouch = Objects.requireNonNull(pretouch, "journal pretouch");
        this.clock = Objects.requireNonNull(clock, "journal clock");
        if (pretouchAheadLength < PageToucher.PAGE_LENGTH || pretouchAheadLength > (1L << 30)) {
            throw new IllegalArgumentException("journal pretouchAheadLength must be 4096 bytes to 1 GiB, got "
                + pretouchAheadLength);
        }
        if (minFreeSpace < 0) {
            throw new IllegalArgumentException("journal minFreeSpace must be >= 0 bytes, got " + minFreeSpace);
        }
        this.pretouchAheadLength = pretouchAheadLength;
        this.minFreeSpace = minFreeSpace;
    }

    /**
     * Options with the defaults: {@link JournalRollCycle#HOURLY}, {@link JournalRetention#KEEP_ALL},
     * {@link JournalPretouch#OFF}, 64 MiB minimum free space, the system clock.
     *
     * @param directory the journal's directory; created when the journal opens if missing
     * @return the options
     */
    public static JournalOptions of(Path directory) {
        return new JournalOptions(directory, JournalRollCycle.HOURLY, JournalRetention.KEEP_ALL, JournalPretouch.OFF,
            DEFAULT_PRETOUCH_AHEAD_LENGTH, DEFAULT_MIN_FREE_SPACE, SystemEpochClock.INSTANCE);
    }

    /**
     * @return the journal's directory
     */
    public Path directory() {
        return directory;
    }

    /**
     * @param directory another directory
     * @return a copy with that directory
     */
    public JournalOptions directory(Path directory) {
        return new JournalOptions(directory, rollCycle, retention, pretouch, pretouchAheadLength, minFreeSpace, clock);
    }

    /**
     * @return the roll cycle for a new journal
     */
    public JournalRollCycle rollCycle() {
        return rollCycle;
    }

    /**
     * The roll cycle of a journal this creates. A journal that exists keeps the roll cycle it was
     * created with, because its offsets encode it; {@link Journal#rollCycle()} tells which.
     *
     * @param rollCycle the roll cycle
     * @return a copy with that roll cycle
     */
    public JournalOptions rollCycle(JournalRollCycle rollCycle) {
        return new JournalOptions(directory, rollCycle, retention, pretouch, pretouchAheadLength, minFreeSpace, clock);
    }

    /**
     * @return what the journal deletes
     */
    public JournalRetention retention() {
        return retention;
    }

    /**
     * @param retention what the journal deletes
     * @return a copy with that retention
     */
    public JournalOptions retention(JournalRetention retention) {
        return new JournalOptions(directory, rollCycle, retention, pretouch, pretouchAheadLength, minFreeSpace, clock);
    }

    /**
     * @return how pages ahead of the writer are touched
     */
    public JournalPretouch pretouch() {
        return pretouch;
    }

    /**
     * @param pretouch how pages ahead of the writer are touched
     * @return a copy with that pretouch
     */
    public JournalOptions pretouch(JournalPretouch pretouch) {
        return new JournalOptions(directory, rollCycle, retention, pretouch, pretouchAheadLength, minFreeSpace, clock);
    }

    /**
     * @return how far ahead of the writer pretouch keeps pages touched, in bytes
     */
    public long pretouchAheadLength() {
        return pretouchAheadLength;
    }

    /**
     * @param length how far ahead of the writer pretouch keeps pages touched, 4096 bytes to 1 GiB
     * @return a copy with that length
     */
    public JournalOptions pretouchAheadLength(long length) {
        return new JournalOptions(directory, rollCycle, retention, pretouch, length, minFreeSpace, clock);
    }

    /**
     * @return the free space, in bytes, an appender insists on
     */
    public long minFreeSpace() {
        return minFreeSpace;
    }

    /**
     * The free space on the journal's file system below which appending fails with a
     * {@link JournalException} naming the directory, checked when an appender opens, when it starts
     * a cycle and every 64 MiB it writes. A journal writes through memory-mapped files, where a full
     * disk shows up as a fault inside a memory access; checking first turns that into a clear error.
     *
     * @param bytes the minimum, 0 to turn the check off
     * @return a copy with that minimum
     */
    public JournalOptions minFreeSpace(long bytes) {
        return new JournalOptions(directory, rollCycle, retention, pretouch, pretouchAheadLength, bytes, clock);
    }

    /**
     * @return the clock that decides which cycle an append falls in
     */
    public EpochClock clock() {
        return clock;
    }

    /**
     * @param clock the clock that decides which cycle an append falls in (tests roll cycles with a
     *     hand-advanced clock)
     * @return a copy with that clock
     */
    public JournalOptions clock(EpochClock clock) {
        return new JournalOptions(directory, rollCycle, retention, pretouch, pretouchAheadLength, minFreeSpace, clock);
    }

    @Override
    public String toString() {
        return "journal[" + directory + ", rollCycle=" + rollCycle + ", retention=" + retention + ", pretouch=" + pretouch + "]";
    }
}
