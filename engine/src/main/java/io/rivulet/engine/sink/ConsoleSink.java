package io.rivulet.engine.sink;

import io.rivulet.engine.internal.Options;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.OutputMode;

import java.io.PrintStream;
import java.util.List;
import java.util.Objects;

/**
 * Prints each committed epoch as Spark's {@code console} sink does: a {@code Batch: N} header, a
 * table of the first {@code numRows} rows in Spark's {@code show} format,
 * {@code only showing top N rows} if there were more, and a blank line. For debugging and demos;
 * only the shown rows are kept in memory, the rest are counted.
 *
 * <p>Batch numbers are consecutive, as Spark prints them. In micro-batch mode every batch prints
 * under its batch id, empty ones (a no-data batch, a batch whose rows produced no output) included,
 * with an empty table whose header is that of the rows printed before ({@code value} until then),
 * exactly as Spark prints every batch it runs. In continuous mode an epoch is not a batch Spark
 * would run (one every 100 ms by default), so only epochs with rows print, numbered from 0 in the
 * order they print.
 *
 * <p>In update mode an epoch shows each result key once, with its last value in the epoch (a
 * {@code KeyValue} is keyed by its key, a {@code WindowedValue} by key and window; other rows all
 * show), as a Spark batch would; the {@code foreach} and {@code foreachBatch} sinks keep every change.
 *
 * <p>Options: {@code numRows} (default 20), {@code truncate} (default true: cells over 20
 * characters are cut). Every setter returns a validated copy. Thread-safe per the {@link Sink}
 * contract; one query at a time prints through an instance (a second concurrent query fails to
 * start), and it can be used again once that query has ended.
 *
 * @param <T> record type
 */
public final class ConsoleSink<T> implements Sink<T> {
    private final int numRows;
    private final boolean truncate;
    private final PrintStream out;
    /** The columns of structured rows, for the header of an empty batch; {@code null} for typed records. */
    private final StructType schema;
    private final QueryClaim claim = new QueryClaim();
    private EpochBuffer<T> buffer;
    /** Whether every epoch prints (micro-batch), or only epochs with rows (continuous). */
    private boolean printEmpty;
    /** Continuous mode: batches printed so far, the next one's number. */
    private long printedBatches;
    /** The class of the last rows printed, for an empty batch's header; {@code null} before. */
    private Class<?> lastRowType;

    ConsoleSink(int numRows, boolean truncate, PrintStream out) {
        this(numRows, truncate, out, null);
    }

    private ConsoleSink(int numRows, boolean truncate, PrintStream out, StructType schema) {
        this.numRows = Options.positive("numRows", numRows);
        this.truncate = truncate;
        this.out = Objects.requireNonNull(out, "out");
        this.schema = schema;
    }

    /**
     * The columns of the structured rows ({@code io.rivulet.engine.sql.Row}) this sink prints, so that a
     * batch without rows shows their header, as Spark prints an empty DataFrame (the structured API's
     * {@code format("console")} sets it). Rows with a schema print under its column names either way.
     *
     * @param schema the rows' schema
     * @return a copy with that header
     */
    public ConsoleSink<T> schema(StructType schema) {
        return new ConsoleSink<>(numRows, truncate, out, Objects.requireNonNull(schema, "schema"));
    }

    /**
     * @param rows most rows shown per epoch, at least 1
     * @return a copy with that limit
     */
    public ConsoleSink<T> numRows(int rows) {
        return new ConsoleSink<>(rows, truncate, out, schema);
    }

    /**
     * @param truncate whether long cells are cut to 20 characters
     * @return a copy with that setting
     */
    public ConsoleSink<T> truncate(boolean truncate) {
        return new ConsoleSink<>(numRows, truncate, out, schema);
    }

    /**
     * @param stream where to print (default {@code System.out})
     * @return a copy printing there
     */
    public ConsoleSink<T> printTo(PrintStream stream) {
        return new ConsoleSink<>(numRows, truncate, stream, schema);
    }

    /**
     * Sets an option by its Spark name.
     *
     * @param name {@code numRows} or {@code truncate} (any case)
     * @param value the value
     * @return a copy with the option set
     * @throws IllegalArgumentException naming the option and what is allowed
     */
    public ConsoleSink<T> option(String name, String value) {
        @SuppressWarnings("unchecked")
        ConsoleSink<T>[] result = new ConsoleSink[] {this};
        new Options("sink 'console'")
            .add("numRows", v -> result[0] = numRows(Options.parseInt(v)))
            .add("truncate", v -> result[0] = truncate(Options.parseBoolean(v)))
            .set(name, value);
        return result[0];
    }

    @Override
    public String description() {
        return "console[numRows=" + numRows + ", truncate=" + truncate + "]";
    }

    /**
     * @throws IllegalStateException if another query is printing through this sink
     */
    @Override
    public void open(String queryName, int numWriters) {
        open(queryName, numWriters, OutputMode.APPEND, false);
    }

    /**
     * @throws IllegalStateException if another query is printing through this sink
     */
    @Override
    public void open(String queryName, int numWriters, OutputMode outputMode) {
        open(queryName, numWriters, outputMode, false);
    }

    /**
     * @throws IllegalStateException if another query is printing through this sink
     */
    @Override
    public void open(String queryName, int numWriters, OutputMode outputMode, boolean microBatch) {
        claim.claim(description(), queryName);
        buffer = new EpochBuffer<>(numWriters, numRows, outputMode == OutputMode.UPDATE);
        printEmpty = microBatch;
        printedBatches = 0;
        lastRowType = null;
    }

    @Override
    public SinkWriter<T> createWriter(int writerIndex) {
        return buffer.writer(writerIndex);
    }

    @Override
    public void commit(long epochId) {
        EpochBuffer.Batch<T> batch = buffer.take(epochId, numRows);
        if (batch.count() == 0 && !printEmpty) {
            return;
        }
        long number = printEmpty ? epochId : printedBatches++;
        StringBuilder text = new StringBuilder();
        text.append("-------------------------------------------\n")
            .append("Batch: ").append(number).append('\n')
            .append("-------------------------------------------\n");
        List<T> rows = batch.rows();
        if (!rows.isEmpty()) {
            lastRowType = rows.get(0).getClass();
        }
        String table;
        if (!rows.isEmpty()) {
            table = TableFormat.format(rows, truncate);
        } else if (schema != null && (lastRowType == null || Row.class.isAssignableFrom(lastRowType))) {
            table = TableFormat.formatRows(rows, schema, truncate);
        } else {
            table = TableFormat.formatEmpty(lastRowType);
        }
        text.append(table);
        if (batch.count() > numRows) {
            // Spark's footer, word for word: it does not say how many rows there were.
            text.append("only showing top ").append(numRows).append(numRows == 1 ? " row\n" : " rows\n");
        }
        text.append('\n');
        out.print(text);
        out.flush();
    }

    @Override
    public void close() {
        claim.release();
    }
}
