package io.rivulet.engine.sql;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StaticSource;
import io.rivulet.engine.sql.internal.formats.BadRecordException;
import io.rivulet.engine.sql.internal.formats.JsonRowDecoder;
import io.rivulet.engine.types.StructType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Makes static DataFrames (Spark's {@code spark.read()} / {@code spark.createDataFrame}): rows that are not a
 * stream, for the static side of a stream-static {@link Dataset#join}. Obtained from {@code rivulet.read()};
 * {@code rivulet.createDataFrame(rows, schema)} is {@code read().schema(schema).rows(rows)};
 * {@code rivulet.read().schema(s).json(path)} reads a JSON-lines file or directory.
 *
 * <p>Not thread-safe: one reader per DataFrame.
 */
public final class DataFrameReader {
    private final Rivulet rivulet;
    private StructType schema;

    /**
     * @param rivulet the engine the DataFrames belong to
     */
    public DataFrameReader(Rivulet rivulet) {
        this.rivulet = Objects.requireNonNull(rivulet, "rivulet");
    }

    /**
     * @param schema the rows' schema
     * @return this reader
     */
    public DataFrameReader schema(StructType schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
        return this;
    }

    /**
     * @param ddl the rows' schema as a DDL string ({@code "adId INT, campaign STRING"})
     * @return this reader
     * @throws ParseException for a bad DDL string
     */
    public DataFrameReader schema(String ddl) {
        return schema(StructType.fromDDL(Objects.requireNonNull(ddl, "ddl")));
    }

    /**
     * A DataFrame of fixed rows.
     *
     * @param rows the rows, each of the schema (checked now)
     * @return the static DataFrame
     * @throws IllegalStateException without a schema
     * @throws IllegalArgumentException naming the row and field whose value does not fit the schema
     */
    public Dataset<Row> rows(List<Row> rows) {
        StructType s = requireSchema();
        Objects.requireNonNull(rows, "rows");
        List<Row> checked = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row row = Objects.requireNonNull(rows.get(i), "rows[" + i + "]");
            Object[] values = new Object[row.size()];
            for (int j = 0; j < values.length; j++) {
                values[j] = row.get(j);
            }
            try {
                checked.add(Row.of(s, values));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("rows[" + i + "] does not fit the schema " + s.simpleString() + ": "
                    + e.getMessage(), e);
            }
        }
        return Dataset.ofStatic(rivulet, StaticSource.of(checked), s);
    }

    /**
     * A DataFrame of the rows a static source loads: read when a join with a stream is built, and again whenever
     * that join's table is refreshed.
     *
     * @param rows the source; each row it loads must be of the schema
     * @return the static DataFrame
     * @throws IllegalStateException without a schema
     */
    public Dataset<Row> source(StaticSource<Row> rows) {
        return Dataset.ofStatic(rivulet, Objects.requireNonNull(rows, "rows"), requireSchema());
    }

    /**
     * A DataFrame of a JSON-lines file, or of every file of a directory (not hidden, by name), read with the schema
     * by Spark's json conversions (as the streaming {@code json} format) each time a join's table is loaded or
     * refreshed. Unlike Spark's default (PERMISSIVE), a malformed line fails the load, naming the file and line
     * (FAILFAST): a static table is not half loaded. Blank lines hold no row; a line that is an array holds a row per
     * element.
     *
     * @param path a file or a directory
     * @return the static DataFrame
     * @throws IllegalStateException without a schema
     */
    public Dataset<Row> json(String path) {
        StructType s = requireSchema();
        Path location = Path.of(Objects.requireNonNull(path, "path"));
        JsonRowDecoder decoder =
            JsonRowDecoder.create(s, Map.of());
        return source(new StaticSource<>() {
            @Override
            public Collection<? extends Row> load() throws IOException {
                List<Row> rows = new ArrayList<>();
                JsonRowDecoder reader = decoder.newReader();
                for (Path file : files(location)) {
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    for (int i = 0; i < lines.size(); i++) {
                        byte[] line = lines.get(i).getBytes(StandardCharsets.UTF_8);
                        try {
                            for (Row row = reader.decode(line, 0, line.length); row != null; row = reader.nextRowOfLine()) {
                                rows.add(row);
                            }
                        } catch (BadRecordException e) {
                            throw new IOException(file + " line " + (i + 1) + ": malformed JSON for the schema "
                                + s.simpleString() + ": " + e.getMessage(), e);
                        }
                    }
                }
                return rows;
            }

            @Override
            public String description() {
                return "JSON lines " + location;
            }
        });
    }

    private static List<Path> files(Path location) throws IOException {
        if (!Files.isDirectory(location)) {
            return List.of(location);
        }
        try (Stream<Path> listing = Files.list(location)) {
            return listing.filter(Files::isRegularFile)
                .filter(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().startsWith("_"))
                .sorted().toList();
        }
    }

    private StructType requireSchema() {
        if (schema == null) {
            throw new IllegalStateException("a static DataFrame needs a schema: call schema(..) first");
        }
        return schema;
    }
}
