package io.rivulet.engine.sql.connector;

import io.rivulet.engine.source.Source;
import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructType;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * What a {@link SourceProvider} makes: a source, the schema of its rows and, for a source whose
 * records are not rows already, how a record becomes a row (fused into the source's task, run once per
 * record). Immutable.
 *
 * @param <T> the source's record type
 */
public final class ConnectorSource<T> {
    private final Source<T> source;
    private final StructType schema;
    private final Function<? super T, ? extends Row> toRow;
    private final BiConsumer<? super T, ? super MutableRow> fill;

    private ConnectorSource(Source<T> source, StructType schema, Function<? super T, ? extends Row> toRow,
                            BiConsumer<? super T, ? super MutableRow> fill) {
        this.source = Objects.requireNonNull(source, "source");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.toRow = toRow;
        this.fill = fill;
    }

    /**
     * @param source a source of rows of {@code schema}
     * @param schema their schema
     * @return the description
     */
    public static ConnectorSource<Row> ofRows(Source<Row> source, StructType schema) {
        return new ConnectorSource<>(source, schema, null, null);
    }

    /**
     * @param source a source of records
     * @param schema the schema of the rows they become
     * @param toRow turns a record into a row of {@code schema}; must return a new row per record (the
     *     rows travel downstream and may be held), never {@code null}; thread-safe (one call per record
     *     on the source's tasks)
     * @param <T> record type
     * @return the description
     */
    public static <T> ConnectorSource<T> of(Source<T> source, StructType schema, Function<? super T, ? extends Row> toRow) {
        return new ConnectorSource<>(source, schema, Objects.requireNonNull(toRow, "toRow"), null);
    }

    /**
     * A source whose records are written into rows by the engine's choice of row: one row per task, refilled for
     * every record, while the rows' consumers only read each row while it is handed over (a projection or filter
     * fused with the source, {@code withWatermark}, a {@code groupBy}'s pre-projection); a new row per record
     * otherwise (a consumer keeps rows, or hands them to another thread). Nothing is allocated per record in the
     * first case.
     *
     * @param source a source of records
     * @param schema the schema of the rows they become
     * @param fill writes a record into a row of {@code schema}: every field (a NULL with {@code setNull}), since
     *     the row may hold the previous record's values; keeps no reference to the row and never changes a value
     *     it set before (a new list, map or nested row per record: a row copied into a ring slot shares them);
     *     thread-safe (one call per record on the source's tasks)
     * @param <T> record type
     * @return the description
     */
    public static <T> ConnectorSource<T> refilling(Source<T> source, StructType schema,
                                                   BiConsumer<? super T, ? super MutableRow> fill) {
        return new ConnectorSource<>(source, schema, null, Objects.requireNonNull(fill, "fill"));
    }

    /** @return the source */
    public Source<T> source() {
        return source;
    }

    /** @return the schema of the rows */
    public StructType schema() {
        return schema;
    }

    /**
     * @return how a record is written into a row ({@link #refilling}), or {@code null}
     */
    public BiConsumer<? super T, ? super MutableRow> fill() {
        return fill;
    }

    /** @return how a record becomes a row, or {@code null} when the records are rows of {@link #schema()} or
     *     written by {@link #fill()} */
    public Function<? super T, ? extends Row> toRow() {
        return toRow;
    }
}
