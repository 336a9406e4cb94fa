package io.rivulet.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where the static side of a stream-static join comes from: a collection, a CSV file, a JSON-lines
 * file or any {@link Supplier}. {@link #load()} reads the whole static side; a {@link StaticTableHandle}
 * calls it once when built and again at each refresh, on the refreshing thread.
 *
 * <p>Files are read as UTF-8. A bad line (a mapper that throws, malformed CSV or JSON) fails the load with
 * an exception naming the file and the line; the rows are not loaded in part.
 *
 * <p>Implementations must be safe to call from any one thread at a time.
 *
 * @param <R> static row type
 */
@FunctionalInterface
public interface StaticSource<R> {
    /**
     * Reads every static row.
     *
     * @return the rows, no {@code null} element; the caller does not keep the collection
     * @throws Exception if they cannot be read (the handle keeps its previous table on a refresh)
     */
    Collection<? extends R> load() throws Exception;

    /**
     * @return what the source reads, for logs and errors
     */
    default String description() {
        return "static source";
    }

    /**
     * A fixed collection of rows (copied now): the table never changes on refresh.
     *
     * @param rows the rows; no {@code null} element
     * @param <R> row type
     * @return the source
     */
    static <R> StaticSource<R> of(Collection<? extends R> rows) {
        List<R> copy = List.copyOf(rows);
        return new StaticSource<>() {
            @Override
            public Collection<? extends R> load() {
                return copy;
            }

            @Override
            public String description() {
                return "collection of " + copy.size() + " rows";
            }
        };
    }

    /**
     * Rows from a supplier, called at every load (a database query, a REST call, a cache).
     *
     * @param description what the supplier reads, for logs and errors
     * @param supplier gives the rows; may throw (a refresh then keeps the previous table)
     * @param <R> row type
     * @return the source
     */
    static <R> StaticSource<R> fromSupplier(String description, Supplier<? extends Collection<? extends R>> supplier) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(supplier, "supplier");
        return new StaticSource<>() {
            @Override
            public Collection<? extends R> load() {
                return Objects.requireNonNull(supplier.get(), () -> description + " supplied null");
            }

            @Override
            public String description() {
                return description;
            }
        };
    }

    /**
     * A CSV file without a header line (RFC 4180: quoted fields may hold commas, quotes and line breaks;
     * blank lines are skipped), each record mapped by {@code mapper} from its fields.
     *
     * @param file the file
     * @param mapper makes a row from a record's fields, as strings
     * @param <R> row type
     * @return the source
     */
    static <R> StaticSource<R> csv(Path file, Function<String[], ? extends R> mapper) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(mapper, "mapper");
        return StaticFiles.csv(file.toString(), () -> Files.newBufferedReader(file, StandardCharsets.UTF_8), false,
            record -> mapper.apply(record.values()));
    }

    /**
     * A CSV file whose first line names the columns, each record mapped by {@code mapper} from its
     * fields by column name.
     *
     * @param file the file
     * @param mapper makes a row from a record's fields by column name (an immutable map in column order)
     * @param <R> row type
     * @return the source
     */
    static <R> StaticSource<R> csvWithHeader(Path file, Function<Map<String, String>, ? extends R> mapper) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(mapper, "mapper");
        return StaticFiles.csv(file.toString(), () -> Files.newBufferedReader(file, StandardCharsets.UTF_8), true,
            record -> mapper.apply(record.toMap()));
    }

    /**
     * {@link #csvWithHeader(Path, Function)} read from a URL, e.g. a class-path resource
     * ({@code MyApp.class.getResource("/items.csv")}).
     *
     * @param url where the file is
     * @param mapper makes a row from a record's fields by column name
     * @param <R> row type
     * @return the source
     */
    static <R> StaticSource<R> csvWithHeader(URL url, Function<Map<String, String>, ? extends R> mapper) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(mapper, "mapper");
        return StaticFiles.csv(url.toString(), () -> new BufferedReader(new InputStreamReader(url.openStream(),
            StandardCharsets.UTF_8)), true, record -> mapper.apply(record.toMap()));
    }

    /**
     * A JSON-lines file: one JSON object per line (blank lines skipped), each mapped to {@code type} by
     * Jackson (a record, a bean, or {@code Map.class}). Unknown properties fail the load.
     *
     * @param file the file
     * @param type the row class
     * @param <R> row type
     * @return the source
     */
    static <R> StaticSource<R> jsonLines(Path file, Class<R> type) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(type, "type");
        return StaticFiles.jsonLines(file, line -> StaticFiles.Json.MAPPER.readValue(line, type));
    }

    /**
     * A JSON-lines file, each line a {@code Map} of its properties (numbers as Jackson reads them:
     * {@code Integer}, {@code Long}, {@code Double}...).
     *
     * @param file the file
     * @return the source
     */
    static StaticSource<Map<String, Object>> jsonLines(Path file) {
        Objects.requireNonNull(file, "file");
        return StaticFiles.jsonLines(file, line -> StaticFiles.Json.MAPPER.readValue(line, StaticFiles.Json.MAP));
    }
}

/** The file readers behind {@link StaticSource}'s factories. */
final class StaticFiles {
    /** Jackson, loaded only when a JSON-lines source is read. */
    static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
        static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
        };

        private Json() {
        }
    }

    private StaticFiles() {
    }

    /** Opens a reader. */
    interface ReaderOpener {
        Reader open() throws IOException;
    }

    /** Maps one parsed line. */
    interface LineMapper<T, R> {
        R map(T line) throws Exception;
    }

    static <R> StaticSource<R> csv(String name, ReaderOpener opener, boolean header, LineMapper<CSVRecord, ? extends R> mapper) {
        CSVFormat format = header ? CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get() : CSVFormat.DEFAULT;
        return new StaticSource<>() {
            @Override
            public Collection<? extends R> load() throws IOException {
                List<R> rows = new ArrayList<>();
                try (Reader reader = opener.open(); CSVParser parser = CSVParser.parse(reader, format)) {
                    for (CSVRecord record : parser) {
                        rows.add(mapped(name, "record " + record.getRecordNumber() + " (ending on line "
                            + parser.getCurrentLineNumber() + ")", record, mapper));
                    }
                } catch (UncheckedIOException e) {
                    throw new IOException(name + ": malformed CSV: " + e.getMessage(), e);
                }
                return rows;
            }

            @Override
            public String description() {
                return "CSV " + name;
            }
        };
    }

    static <R> StaticSource<R> jsonLines(Path file, LineMapper<String, ? extends R> mapper) {
        return new StaticSource<>() {
            @Override
            public Collection<? extends R> load() throws IOException {
                List<R> rows = new ArrayList<>();
                try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    int lineNumber = 0;
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        lineNumber++;
                        if (!line.isBlank()) {
                            rows.add(mapped(file.toString(), "line " + lineNumber, line, mapper));
                        }
                    }
                }
                return rows;
            }

            @Override
            public String description() {
                return "JSON lines " + file;
            }
        };
    }

    private static <T, R> R mapped(String name, String where, T line, LineMapper<T, ? extends R> mapper) throws IOException {
        R row;
        try {
            row = mapper.map(line);
        } catch (Exception e) {
            throw new IOException(name + " " + where + ": cannot map it to a row: " + e.getMessage(), e);
        }
        if (row == null) {
            throw new IOException(name + " " + where + ": the mapper returned null (a static row must not be null)");
        }
        return row;
    }
}
