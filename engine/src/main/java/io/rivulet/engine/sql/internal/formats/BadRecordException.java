package io.rivulet.engine.sql.internal.formats;

import io.rivulet.engine.sql.Row;

/**
 * A line a row decoder rejected (Spark's {@code BadRecordException}): carries the row Spark's {@code PERMISSIVE}
 * mode makes of it, the values that did convert (Spark's partial result, or all null), the raw line in the
 * corrupt-record column if the schema has one. The message is the cause's: it names the field, the value and
 * the type, or the syntax error. No stack trace of its own (the cause has one). Immutable once thrown.
 */
public final class BadRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Row corruptRow;

    /**
     * @param corruptRow the row PERMISSIVE emits for the line.
     * @param cause      why the line was rejected.
     */
    public BadRecordException(Row corruptRow, Throwable cause) {
        super(String.valueOf(cause.getMessage()), cause, false, false);
        this.corruptRow = corruptRow;
    }

    /**
     * @return the row PERMISSIVE emits: converted values kept, the others null, the raw line in the
     *     corrupt-record column when the schema has it.
     */
    public Row corruptRow() {
        return corruptRow;
    }
}
