package io.rivulet.journal;

/**
 * Whether and how the pages ahead of a journal's writer are touched before the writer reaches them,
 * so that appends do not take page faults (which cost microseconds each, and far more when the file
 * system must allocate a block) in the middle of the hot path.
 *
 * <p>The trade-off: pretouching moves the same page-fault work to another moment or thread, and keeps
 * up to {@link JournalOptions#pretouchAheadLength()} more bytes of the cycle file allocated on disk
 * and resident in memory. It pays when tail latency matters; it costs throughput (a thread's CPU,
 * or the owner's idle time) when only throughput does.
 */
public enum JournalPretouch {
    /** Never touch ahead: the writer faults pages in as it reaches them. The default. */
    OFF,
    /**
     * The appender's owner touches ahead when it calls {@link JournalAppender#pretouch()}, a bounded
     * step per call, best in its idle time (the engine's journal sink and journaled sources call it
     * between polls and at epoch ends). No extra thread.
     */
    OWNER,
    /**
     * A daemon thread per journal ({@code rivulet-journal-pretouch-<dir>}) touches ahead of every
     * appender of the journal every millisecond. Costs part of a core; keeps faults off the owner
     * entirely, as long as the writer does not outrun it.
     */
    BACKGROUND
}
