package io.rivulet.engine.sink;

import io.rivulet.journal.JournalOptions;
import io.rivulet.journal.codec.Codec;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Factories of the built-in sinks.
 */
public final class Sinks {
    private Sinks() {
    }

    /**
     * Spark's {@code console} sink with its defaults ({@code numRows} 20, {@code truncate} true).
     *
     * @param <T> record type
     * @return the sink; set options on it
     */
    public static <T> ConsoleSink<T> console() {
        return new ConsoleSink<>(20, true, System.out);
    }

    /**
     * Spark's {@code memory} sink: a named in-memory table of committed rows.
     *
     * @param tableName the table's name
     * @param <T> record type
     * @return the sink, which is also the handle to read the table
     */
    public static <T> MemorySink<T> memory(String tableName) {
        return new MemorySink<>(tableName);
    }

    /**
     * Spark's {@code foreach}: a writer per partition handles rows one by one.
     *
     * @param factory creates one writer per partition
     * @param <T> record type
     * @return the sink
     */
    public static <T> ForeachSink<T> foreach(Supplier<? extends ForeachWriter<? super T>> factory) {
        return new ForeachSink<>(factory);
    }

    /**
     * Spark's {@code foreachBatch}: a function gets each committed epoch's rows and id.
     *
     * @param function the function
     * @param <T> record type
     * @return the sink
     */
    public static <T> ForeachBatchSink<T> foreachBatch(BatchFunction<? super T> function) {
        return new ForeachBatchSink<>(function);
    }

    /**
     * A sink that collects every row as it arrives, for tests.
     *
     * @param <T> record type
     * @return the sink, which is also the handle to read the rows
     */
    public static <T> CollectingSink<T> collecting() {
        return new CollectingSink<>();
    }

    /**
     * Writes the query's records to a journal other processes can tail, exactly once by default:
     * readers see an epoch's records when it commits ({@code .delivery(Delivery.AT_LEAST_ONCE)} makes
     * them visible as written). See {@link JournalSink}.
     *
     * @param options the journal
     * @param codec writes the records
     * @param <T> record type
     * @return the sink; set options on it
     */
    public static <T> JournalSink<T> journal(JournalOptions options, Codec<T> codec) {
        return new JournalSink<>(options, codec, false, false, Delivery.EXACTLY_ONCE);
    }

    /**
     * Files in a directory, exactly once: one JSON-lines file per epoch and writer, visible when the
     * epoch commits (see {@link FileSink}; {@code .csv()}, {@code .text()} choose other formats). The
     * query needs a checkpoint location and append mode.
     *
     * @param directory where the files go; created if missing
     * @param <T> record type
     * @return the sink
     */
    public static <T> FileSink<T> files(Path directory) {
        return new FileSink<>(directory);
    }
}
