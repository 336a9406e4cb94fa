package io.rivulet.engine.sink;

import io.rivulet.engine.internal.Options;

import java.io.PrintStream;
import java.util.List;
import java.util.Objects;

/**
 * Prints each committed epoch as Spark's {@code console} sink does: a {@code Batch: N} header, a
 * table of the first {@code numRows} rows in Spark's {@code show} format,
 * {@code only showing top N rows} if there were more, and a blank line. Epochs without rows print
 * nothing. For debugging and demos; only the shown rows are kept in memory, the rest are counted.
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
    private final QueryClaim claim = new QueryClaim();
    private EpochBuffer<T> buffer;

    ConsoleSink(int numRows, boolean truncate, PrintStream out) {
        this.numRows = Options.positive("numRows", numRows);
        this.truncate = truncate;
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * @param rows most rows shown per epoch, at least 1
     * @return a copy with that limit
     */
    public ConsoleSink<T> numRows(int rows) {
        return new ConsoleSink<>(rows, truncate, out);
    }

    /**
     * @param truncate whether long cells are cut to 20 characters
     * @return a copy with that setting
     */
    public ConsoleSink<T> truncate(boolean truncate) {
        return new ConsoleSink<>(numRows, truncate, out);
    }

    /**
     * @param stream where to print (default {@code System.out})
     * @return a copy printing there
     */
    public ConsoleSink<T> printTo(PrintStream stream) {
        return new ConsoleSink<>(numRows, truncate, stream);
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
        claim.claim(description(), queryName);
        buffer = new EpochBuffer<>(numWriters, numRows);
    }

    @Override
    public SinkWriter<T> createWriter(int writerIndex) {
        return buffer.writer(writerIndex);
    }

    @Override
    public void commit(long epochId) {
        EpochBuffer.Batch<T> batch = buffer.take(epochId, numRows);
        if (batch.count() == 0) {
            return;
        }
        StringBuilder text = new StringBuilder();
        text.append("-------------------------------------------\n")
            .append("Batch: ").append(epochId).append('\n')
            .append("-------------------------------------------\n");
        List<T> rows = batch.rows();
        text.append(TableFormat.format(rows, truncate));
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
