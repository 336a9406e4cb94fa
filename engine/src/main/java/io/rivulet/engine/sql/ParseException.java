package io.rivulet.engine.sql;

/**
 * A string in Spark's SQL syntax (a DDL schema, a data type; later an expression) did not parse, or named
 * something unknown. The message says what and where:
 * {@code Syntax error at or near 'foo' (line 1, pos 12) in "id INT, ...": ...}; {@link #line()} and
 * {@link #position()} locate it for tools.
 * <p>
 * Thrown when a query is built, never while it runs. Immutable.
 */
public final class ParseException extends IllegalArgumentException {
    private final String command;
    private final int line;
    private final int position;
    private final int offset;

    /**
     * @param message  the full message, naming the token or name at fault.
     * @param command  the whole text parsed.
     * @param line     the line of the fault, from 1.
     * @param position the character position of the fault in its line, from 0 (as Spark counts).
     * @param offset   the character offset of the fault in the whole text, from 0.
     */
    public ParseException(String message, String command, int line, int position, int offset) {
        super(message);
        this.command = command;
        this.line = line;
        this.position = position;
        this.offset = offset;
    }

    /**
     * @return the whole text that was parsed.
     */
    public String command() {
        return command;
    }

    /**
     * @return the line of the fault, from 1.
     */
    public int line() {
        return line;
    }

    /**
     * @return the character position of the fault within its line, from 0.
     */
    public int position() {
        return position;
    }

    /**
     * @return the character offset of the fault within the whole text, from 0.
     */
    public int offset() {
        return offset;
    }
}
