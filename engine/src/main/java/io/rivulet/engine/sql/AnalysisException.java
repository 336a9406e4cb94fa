package io.rivulet.engine.sql;

/**
 * A query refers to something that does not exist or does not fit: an unknown column, a function called with the
 * wrong number or types of arguments, an operation Rivulet does not support on a stream. Spark's
 * {@code AnalysisException}, with Spark's error class first in the message:
 * {@code [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `x` cannot be resolved. Did
 * you mean one of the following? [`qty`, `sym`].}
 * <p>
 * Thrown when a query is built, never while it runs. Immutable.
 */
public final class AnalysisException extends IllegalArgumentException {
    private final String errorClass;

    /**
     * @param errorClass Spark's error class ({@code UNRESOLVED_COLUMN.WITH_SUGGESTION}), or null.
     * @param message    the message after the class.
     */
    public AnalysisException(String errorClass, String message) {
        super(errorClass == null ? message : "[" + errorClass + "] " + message);
        this.errorClass = errorClass;
    }

    /**
     * @return Spark's error class, or null when Spark has none for this case.
     */
    public String errorClass() {
        return errorClass;
    }
}
