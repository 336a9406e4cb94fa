package io.rivulet.engine.source;

import io.rivulet.journal.JournalOptions;
import io.rivulet.journal.StartPosition;
import io.rivulet.journal.codec.Codec;
import io.rivulet.engine.source.file.CsvDecoder;
import io.rivulet.engine.source.file.FileSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.LongFunction;

/**
 * Factories of the built-in sources.
 */
public final class Sources {
    /** Default capacity of a {@link MemoryStream}'s queue. */
    public static final int DEFAULT_MEMORY_STREAM_CAPACITY = 65_536;

    private Sources() {
    }

    /**
     * Spark's {@code rate} source at 1 row per second, one partition; set options on the result.
     *
     * @return the source
     */
    public static RateSource rate() {
        return new RateSource();
    }

    /**
     * A push source with the default capacity.
     *
     * @param name how it shows in progress and errors
     * @param <T> record type
     * @return the stream to add records to
     */
    public static <T> MemoryStream<T> memoryStream(String name) {
        return new MemoryStream<>(name, DEFAULT_MEMORY_STREAM_CAPACITY);
    }

    /**
     * A push source.
     *
     * @param name how it shows in progress and errors
     * @param capacity records the queue holds before {@code addData} waits, at least 2
     * @param <T> record type
     * @return the stream to add records to
     */
    public static <T> MemoryStream<T> memoryStream(String name, int capacity) {
        return new MemoryStream<>(name, capacity);
    }

    /**
     * Lines of text from a TCP server, one record per line (Spark's {@code socket} source).
     *
     * @param host the server's host
     * @param port the server's port, 1-65535
     * @return the source; set options on it
     */
    public static SocketSource socket(String host, int port) {
        return new SocketSource(host, port);
    }

    /**
     * A bounded source over an iterable, read once per query.
     *
     * @param elements the records, none {@code null}
     * @param <T> record type
     * @return the source
     */
    public static <T> IterableSource<T> fromIterable(Iterable<? extends T> elements) {
        return new IterableSource<>(elements);
    }

    /**
     * A bounded source of the given records.
     *
     * @param elements the records, none {@code null}
     * @param <T> record type
     * @return the source
     */
    @SafeVarargs
    public static <T> IterableSource<T> of(T... elements) {
        return new IterableSource<>(Arrays.asList(elements.clone()));
    }

    /**
     * Generates {@code count} records from their index, as fast as the query takes them, in one
     * partition (see {@link GeneratorSource#numPartitions(int)}).
     *
     * @param count how many records, 0 or more ({@code Long.MAX_VALUE}: effectively unbounded)
     * @param generator builds record {@code i}; called on the source threads
     * @param <T> record type
     * @return the source
     */
    public static <T> GeneratorSource<T> generator(long count, LongFunction<? extends T> generator) {
        return new GeneratorSource<>(count, generator, 1);
    }

    /**
     * Reads a journal as a stream, from its earliest record, unbounded (until an end-of-journal
     * marker); set the start, a reader name (to resume after restarts) or a bound on the result.
     *
     * @param options the journal
     * @param codec reads the records
     * @param <T> record type
     * @return the source
     */
    public static <T> JournalSource<T> journal(JournalOptions options, Codec<T> codec) {
        return new JournalSource<>(options, codec, StartPosition.earliest(), null, false);
    }

    /**
     * Makes {@code source} replayable: its records are appended to a journal per partition (under
     * {@code options.directory()}) before they enter the query, and a restarted query re-reads those
     * after its last committed offset. See {@link JournaledSource}.
     *
     * @param source the source to journal
     * @param options the journal (its directory holds one journal per partition)
     * @param codec writes and reads the records
     * @param <T> record type
     * @return the source
     */
    public static <T> JournaledSource<T> journaled(Source<T> source, JournalOptions options, Codec<T> codec) {
        return new JournaledSource<>(source, options, codec, true);
    }

    /**
     * Spark's {@code text} file source: each line of each new file in {@code directory} is a record.
     * See {@link FileSource} for its options and its exactly-once bookkeeping.
     *
     * @param directory the directory to watch
     * @return the source; set options on it
     */
    public static FileSource<String> textFiles(Path directory) {
        return FileSource.text(directory);
    }

    /**
     * Spark's {@code json} file source: each line of each new file in {@code directory} is a JSON
     * object bound to {@code type}. See {@link FileSource}.
     *
     * @param directory the directory to watch
     * @param type the record class
     * @param <T> record type
     * @return the source; set options on it
     */
    public static <T> FileSource<T> jsonFiles(Path directory, Class<T> type) {
        return FileSource.jsonLines(directory, type);
    }

    /**
     * Spark's {@code csv} file source: each line of each new file in {@code directory} is parsed and
     * turned into a record by {@code decoder}. See {@link FileSource}.
     *
     * @param directory the directory to watch
     * @param decoder turns a parsed line into a record
     * @param <T> record type
     * @return the source; set options on it
     */
    public static <T> FileSource<T> csvFiles(Path directory, CsvDecoder<T> decoder) {
        return FileSource.csv(directory, decoder);
    }
}
