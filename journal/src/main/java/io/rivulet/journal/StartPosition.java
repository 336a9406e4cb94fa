package io.rivulet.journal;

import java.util.Locale;

/**
 * Where a reader starts: the earliest record still in the journal, the end (records appended from
 * now on), at a record's offset, or just after it.
 *
 * @param kind which kind of position
 * @param offset the offset for {@link Kind#AT} and {@link Kind#AFTER}; {@link Journal#NO_OFFSET} otherwise
 */
public record StartPosition(Kind kind, long offset) {
    /** The kinds of start position. */
    public enum Kind {
        /** The first record still in the journal. */
        EARLIEST,
        /** The end: the first record appended after the reader opens. */
        LATEST,
        /** The record at the offset. */
        AT,
        /** The record after the one at the offset (a restart point). */
        AFTER
    }

    private static final StartPosition EARLIEST = new StartPosition(Kind.EARLIEST, Journal.NO_OFFSET);
    private static final StartPosition LATEST = new StartPosition(Kind.LATEST, Journal.NO_OFFSET);

    /**
     * @throws IllegalArgumentException when an offset is missing, negative or present where none belongs
     */
    public StartPosition {
        if (kind == null) {
            throw new IllegalArgumentException("start position kind must not be null");
        }
        boolean needsOffset = kind == Kind.AT || kind == Kind.AFTER;
        if (needsOffset && offset < 0) {
            throw new IllegalArgumentException("start position " + kind + " needs an offset >= 0, got " + offset);
        }
        if (!needsOffset && offset != Journal.NO_OFFSET) {
            throw new IllegalArgumentException("start position " + kind + " takes no offset, got " + offset);
        }
    }

    /**
     * @return the first record still in the journal
     */
    public static StartPosition earliest() {
        return EARLIEST;
    }

    /**
     * @return the first record appended after the reader opens
     */
    public static StartPosition latest() {
        return LATEST;
    }

    /**
     * @param offset an offset an appender returned
     * @return the record at that offset
     */
    public static StartPosition at(long offset) {
        return new StartPosition(Kind.AT, offset);
    }

    /**
     * @param offset an offset an appender returned, usually the last one a reader committed
     * @return the record after the one at that offset
     */
    public static StartPosition after(long offset) {
        return new StartPosition(Kind.AFTER, offset);
    }

    @Override
    public String toString() {
        return offset == Journal.NO_OFFSET ? kind.name().toLowerCase(Locale.ROOT)
            : kind.name().toLowerCase(Locale.ROOT) + "(" + Journal.formatOffset(offset) + ")";
    }
}
