package io.rivulet.engine.sql;

import io.rivulet.engine.KeyedStream;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StaticSource;
import io.rivulet.engine.Stream;
import io.rivulet.engine.internal.EngineAccess;
import io.rivulet.engine.runtime.PlanExplainer;
import io.rivulet.engine.sql.expressions.Analyzer;
import io.rivulet.engine.sql.expressions.BoundReference;
import io.rivulet.engine.sql.expressions.Columns;
import io.rivulet.engine.sql.expressions.ComplexAccess;
import io.rivulet.engine.sql.expressions.EvalContext;
import io.rivulet.engine.sql.expressions.Expression;
import io.rivulet.engine.sql.expressions.Values;
import io.rivulet.engine.sql.internal.AsProjection;
import io.rivulet.engine.sql.internal.ColumnResolver;
import io.rivulet.engine.sql.internal.RowEncoder;
import io.rivulet.engine.sql.expressions.Predicate;
import io.rivulet.engine.sql.expressions.Projection;
import io.rivulet.engine.sql.expressions.Unresolved;
import io.rivulet.engine.sql.internal.PackedRow;
import io.rivulet.engine.sql.internal.RowOperator;
import io.rivulet.engine.sql.internal.RowReuse;
import io.rivulet.engine.sql.internal.SelectPlan;
import io.rivulet.engine.sql.parser.SqlParsers;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;
import io.rivulet.engine.types.TimestampType;
import io.rivulet.operators.Operator;
import io.rivulet.operators.Output;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.groupstate.IntervalStrings;
import io.rivulet.operators.process.KeyedProcessFunction;
import io.rivulet.operators.state.KeyedStateStore;
import io.rivulet.operators.state.LongValueState;
import io.rivulet.operators.state.StateDescriptor;
import org.agrona.concurrent.EpochClock;

import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * A streaming Dataset: Spark's {@code Dataset<T>} for Java, and with {@code T = Row} a DataFrame. It is
 * a {@link Stream} of {@code T} with a schema ({@link #schema()}) and the {@link Encoder} between
 * {@code T} and rows of that schema; every operation builds the same plan nodes the typed API builds,
 * so a structured query runs exactly as the typed query it spells.
 *
 * <pre>{@code
 * Dataset<Row> rates = rivulet.readStream().format("rate").option("rowsPerSecond", 10).load();
 * rates.printSchema();                                   // timestamp, value
 * Dataset<Tick> ticks = rates.as(Tick.class);            // record Tick(Instant timestamp, long value)
 * ticks.filter(t -> t.value() % 2 == 0).writeStream().format("console").start();
 * }</pre>
 *
 * <p>Immutable and thread-safe: each operation returns a new Dataset. Building a Dataset runs nothing;
 * {@link #writeStream()} and {@code start()} run a query. A Dataset can be written once per query (a
 * node may feed one consumer). Column names resolve when the Dataset is built, as Spark's analyzer
 * resolves them ({@code spark.sql.caseSensitive=false}): an unknown column fails at once, listing the
 * columns.
 *
 * @param <T> element type ({@link Row} for a DataFrame)
 */
public final class Dataset<T> {
    private final Rivulet rivulet;
    private final Stream<T> stream;
    private final Encoder<T> encoder;
    /** The {@code withWatermark} event-time column while it is still a column here, or null. */
    private final String watermarkColumn;
    /** Its {@code withWatermark} delay; null with {@link #watermarkColumn}. */
    private final Duration watermarkDelay;
    /** Whether this Dataset is an {@code orderBy}: {@link #limit} then keeps the first rows. */
    private final boolean sorted;
    /** Whether a {@code limit} without {@code orderBy} is upstream (allowed in complete mode only). */
    private final boolean unorderedLimit;
    /** The rows of a static DataFrame ({@code rivulet.createDataFrame}); null for a stream (then {@link #stream} is set). */
    private final StaticSource<Row> staticRows;
    /** Each column's qualifier (the alias of the Dataset it comes from, as {@code a} in {@code col("a.x")}), or null. */
    private final String[] qualifiers;
    /** For a {@code limit} without {@code orderBy}: the plan that runs it in append mode (the first n rows ever). */
    private final Stream<T> appendLimit;
    /**
     * Whether the operator emitting these rows may reuse one row per task ({@link RowReuse}); {@code null} when
     * the rows are new per record. Every consumer of {@link #stream} but those that only read each row while it is
     * handed over escapes it ({@link #escapingStream()}).
     */
    private final RowReuse reuse;
    /**
     * The filter-only step ({@code where}/{@code filter} by a condition) that made this Dataset, which a projection
     * right after it fuses with into one operator (Spark's filter-then-project in one whole-stage function); else
     * {@code null}.
     */
    private final FilterStep filterStep;

    /**
     * The row operation that made this Dataset from its input: a projection ({@code select}, {@code selectExpr},
     * {@code withColumn}, {@code drop}, {@code withColumnRenamed}, {@code toDF(names)}) or a {@code where}. A
     * {@code where} or {@code orderBy} naming a column missing here finds it below, through any chain of them (Spark's
     * {@code ResolveMissingReferences}); {@code null} where that search stops: a source, an aggregation, a
     * {@code dropDuplicates}, a join, a typed operation, an alias ({@code as("t")}, Spark's {@code SubqueryAlias}).
     */
    private final RowStep rowStep;
    /**
     * For an {@code orderBy} by a column below the projection that made its input: the sorted rows with that column
     * still in (the first {@code columns} are this Dataset's), which a {@code limit} cuts before the column is dropped;
     * else {@code null}.
     */
    private final SortedWide sortedWide;

    /** A filter-only select plan, the rows it reads, their reuse decision and its description. */
    private record FilterStep(SelectPlan plan, Stream<Row> input, RowReuse inputReuse, String description) {
    }

    /** A row operation's input and description: {@link ProjectStep} or {@link WhereStep}. */
    private sealed interface RowStep permits ProjectStep, WhereStep {
        /** @return the Dataset the operation read */
        Dataset<?> input();

        /** @return the operation's description */
        String description();
    }

    /** A projection's input, its unresolved items and its description. */
    private record ProjectStep(Dataset<?> input, List<Expression> items, String description) implements RowStep {
    }

    /** A filter's input, its unresolved condition and its description: its rows have its input's columns. */
    private record WhereStep(Dataset<?> input, Expression condition, String description) implements RowStep {
    }

    /** Sorted rows wider than the Dataset they make, how many columns it keeps, and the projection's description. */
    private record SortedWide(Dataset<Row> sorted, int columns, String description) {
    }

    Dataset(Rivulet rivulet, Stream<T> stream, Encoder<T> encoder) {
        this(rivulet, stream, encoder, null, null, false, false);
    }

    Dataset(Rivulet rivulet, Stream<T> stream, Encoder<T> encoder, RowReuse reuse) {
        this(rivulet, stream, encoder, null, null, false, false, reuse);
    }

    private Dataset(Rivulet rivulet, Stream<T> stream, Encoder<T> encoder, String watermarkColumn, Duration watermarkDelay,
                    boolean sorted, boolean unorderedLimit) {
        this(rivulet, Objects.requireNonNull(stream, "stream"), encoder, watermarkColumn, watermarkDelay, sorted,
            unorderedLimit, null, null, null, null, null, null, null);
    }

    private Dataset(Rivulet rivulet, Stream<T> stream, Encoder<T> encoder, String watermarkColumn, Duration watermarkDelay,
                    boolean sorted, boolean unorderedLimit, RowReuse reuse) {
        this(rivulet, Objects.requireNonNull(stream, "stream"), encoder, watermarkColumn, watermarkDelay, sorted,
            unorderedLimit, null, null, null, reuse, null, null, null);
    }

    private Dataset(Rivulet rivulet, Stream<T> stream, Encoder<T> encoder, String watermarkColumn, Duration watermarkDelay,
                    boolean sorted, boolean unorderedLimit, StaticSource<Row> staticRows, String[] qualifiers,
                    Stream<T> appendLimit, RowReuse reuse, FilterStep filterStep, RowStep rowStep,
                    SortedWide sortedWide) {
        this.appendLimit = appendLimit;
        this.rowStep = rowStep;
        this.sortedWide = sortedWide;
        this.rivulet = Objects.requireNonNull(rivulet, "rivulet");
        this.stream = stream;
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.watermarkColumn = watermarkColumn;
        this.watermarkDelay = watermarkDelay;
        this.sorted = sorted;
        this.unorderedLimit = unorderedLimit;
        this.staticRows = staticRows;
        this.qualifiers = qualifiers;
        this.reuse = reuse;
        this.filterStep = filterStep;
    }

    /**
     * A static DataFrame: the rows a {@link StaticSource} loads (read when a join with a stream is built, and again
     * at each refresh of that join's table). It can be the static side of a {@link #join}, after row operations
     * ({@code select}, {@code where}, {@code withColumn}, ...) that run over the loaded rows.
     *
     * @param rivulet the engine
     * @param rows the rows, each of {@code schema}
     * @param schema their schema
     * @return the static DataFrame
     */
    static Dataset<Row> ofStatic(Rivulet rivulet, StaticSource<Row> rows, StructType schema) {
        return new Dataset<>(rivulet, null, Encoders.row(schema), null, null, false, false,
            Objects.requireNonNull(rows, "rows"), null, null, null, null, null, null);
    }

    /** @return whether this is a static DataFrame (no stream: only a join side) */
    boolean isStatic() {
        return staticRows != null;
    }

    /** @return the static rows, or null for a stream */
    StaticSource<Row> staticRows() {
        return staticRows;
    }

    /** @return each column's qualifier (alias), null entries where none; never null */
    String[] columnQualifiers() {
        return qualifiers != null ? qualifiers.clone() : new String[schema().size()];
    }

    /**
     * @return this Dataset with these column qualifiers (same rows: the same reuse decision, so that a consumer of the
     *     qualified Dataset, e.g. a join of {@code df.as("a")}, turns reuse off for the operator emitting them)
     */
    Dataset<T> withQualifiers(String[] columnQualifiers) {
        return new Dataset<>(rivulet, stream, encoder, watermarkColumn, watermarkDelay, sorted, unorderedLimit, staticRows,
            columnQualifiers, null, reuse, filterStep, null, null);
    }

    /** @return this Dataset, made by {@code step} from the step's input (same rows, same reuse decision) */
    private Dataset<T> withRowStep(RowStep step) {
        return new Dataset<>(rivulet, stream, encoder, watermarkColumn, watermarkDelay, sorted, unorderedLimit, staticRows,
            qualifiers, appendLimit, reuse, filterStep, step, sortedWide);
    }

    private void requireStream(String operation) {
        if (staticRows != null) {
            throw new UnsupportedOperationException(operation + " is not supported on a static DataFrame in Rivulet: a"
                + " static DataFrame is the static side of a join with a stream (row operations such as select, where and"
                + " withColumn are)");
        }
    }

    /**
     * The stream, for a consumer that may keep rows or hand them to another thread: the operator emitting them
     * then makes a new row per record.
     */
    private Stream<T> escapingStream() {
        RowReuse.escape(reuse);
        return stream;
    }

    /**
     * A Dataset downstream of this one that keeps what this one knows of its lineage: the watermark's event-time
     * column (while a column of {@code encoder}'s schema has its name) and an unordered {@code limit} upstream.
     */
    private <U> Dataset<U> derived(Stream<U> next, Encoder<U> nextEncoder) {
        String column = watermarkColumn;
        if (column != null && !hasColumn(nextEncoder.schema(), column)) {
            column = null;
        }
        return new Dataset<>(rivulet, next, nextEncoder, column, column == null ? null : watermarkDelay, false, unorderedLimit,
            null);
    }

    private static boolean hasColumn(StructType schema, String name) {
        for (StructField field : schema.fields()) {
            if (field.name().equals(name) && field.dataType() instanceof TimestampType) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the schema of the rows (for a typed Dataset: its encoder's schema)
     */
    public StructType schema() {
        return encoder.schema();
    }

    /**
     * Prints the schema as a tree to {@code System.out}, exactly as Spark's {@code printSchema}.
     */
    public void printSchema() {
        schema().printTreeString();
    }

    /**
     * @return the column names, in order
     */
    public String[] columns() {
        return schema().fieldNames();
    }

    /**
     * Each column's name and type, as Spark's Java {@code dtypes()} (the type as its Scala
     * {@code toString}, e.g. {@code IntegerType}, {@code ArrayType(StringType,true)}).
     *
     * @return one (name, type) pair per column, in order
     */
    @SuppressWarnings("unchecked")
    public Map.Entry<String, String>[] dtypes() {
        StructField[] fields = schema().fields();
        Map.Entry<String, String>[] types = new Map.Entry[fields.length];
        for (int i = 0; i < fields.length; i++) {
            types[i] = new AbstractMap.SimpleImmutableEntry<>(fields[i].name(), fields[i].dataType().toString());
        }
        return types;
    }

    /**
     * @return {@code true} for a stream, {@code false} for a static DataFrame ({@code rivulet.createDataFrame})
     */
    public boolean isStreaming() {
        return staticRows == null;
    }

    /**
     * @return the encoder of the elements
     */
    public Encoder<T> encoder() {
        return encoder;
    }

    /**
     * The rows as objects of a record class ({@link Encoders#record}) or a bean class
     * ({@link Encoders#bean}): see {@link #as(Encoder)}.
     *
     * @param type a record or bean class
     * @param <U> its type
     * @return the typed Dataset
     * @throws IllegalArgumentException as {@link #as(Encoder)}
     * @throws UnsupportedOperationException if the class cannot be encoded (naming the field)
     */
    public <U> Dataset<U> as(Class<U> type) {
        Objects.requireNonNull(type, "type");
        return as(type.isRecord() ? Encoders.record(type) : Encoders.bean(type));
    }

    /**
     * The rows as objects of an encoder (Spark's {@code as[U]}): each field of the encoder's schema is the
     * column of the same name (columns it lacks are ignored; order does not matter), converted by Spark's
     * up-cast rules (e.g. {@code int} into a {@code long} field, {@code date} into a timestamp, anything
     * into a string); a lossy conversion ({@code bigint} into an {@code int} field, {@code double} into
     * {@code float}) is rejected. Checked now, before any query starts.
     *
     * @param target the encoder; {@code Encoders.row(schema)} reorders and converts the rows into that schema
     * @param <U> element type
     * @return the typed Dataset
     * @throws IllegalArgumentException Spark's {@code UNRESOLVED_COLUMN} error listing the columns for a
     *     field no column has; {@code CANNOT_UP_CAST_DATATYPE} naming the column, both types and the
     *     field's class for a lossy conversion
     */
    public <U> Dataset<U> as(Encoder<U> target) {
        Objects.requireNonNull(target, "encoder");
        requireStream("as(encoder)");
        Dataset<Row> rows = toDF();
        AsProjection projection = AsProjection.resolve(rows.schema(), target.schema(), target.clazz());
        StructType targetSchema = target.schema();
        Stream<U> typed;
        if (target instanceof RowEncoder) {
            // The row is the element: a new one per record.
            typed = rows.escapingStream().map(row -> {
                MutableRow into = MutableRow.create(targetSchema);
                projection.project(row, into);
                @SuppressWarnings("unchecked") U element = (U) into;
                return element;
            });
        } else {
            // The object is the element; the row it is read from is the task's own, reused.
            typed = rows.escapingStream().transform("as " + target.clazz().getSimpleName(), () -> new Operator<Row, U>() {
                private final MutableRow into = MutableRow.create(targetSchema);

                @Override
                public void process(Row record, Output<U> out) {
                    projection.project(record, into);
                    out.emit(target.fromRow(into));
                }
            });
        }
        return new Dataset<>(rivulet, typed, target);
    }

    /**
     * This Dataset as a DataFrame: itself if its elements are rows, else each element encoded into a new
     * row of {@link #schema()}.
     *
     * @return the DataFrame
     */
    @SuppressWarnings("unchecked")
    public Dataset<Row> toDF() {
        if (encoder instanceof RowEncoder) {
            return (Dataset<Row>) this;
        }
        Encoder<T> enc = encoder;
        Stream<Row> rows = escapingStream().map(enc::toRow);
        return derived(rows, Encoders.row(enc.schema()));
    }

    /**
     * The rows with the columns renamed, in order (Spark's {@code toDF(names...)}).
     *
     * @param names one new name per column
     * @return the renamed DataFrame
     * @throws IllegalArgumentException if the number of names is not the number of columns (Spark's message)
     */
    public Dataset<Row> toDF(String... names) {
        Objects.requireNonNull(names, "names");
        StructField[] fields = schema().fields();
        if (names.length != fields.length) {
            throw new IllegalArgumentException("The number of columns doesn't match.\nOld column names (" + fields.length
                + "): " + String.join(", ", columns()) + "\nNew column names (" + names.length + "): " + String.join(", ", names));
        }
        StructField[] renamed = new StructField[fields.length];
        for (int i = 0; i < fields.length; i++) {
            Objects.requireNonNull(names[i], "names[" + i + "]");
            renamed[i] = new StructField(names[i], fields[i].dataType(), fields[i].nullable(), fields[i].comment());
        }
        StructType schema = new StructType(renamed);
        Encoder<Row> rows = Encoders.row(schema);
        List<Expression> items = new ArrayList<>(fields.length);
        for (int i = 0; i < fields.length; i++) {
            items.add(new ComplexAccess.Alias(column(i, fields[i]), names[i]));
        }
        String description = "toDF " + String.join(", ", names);
        // A projection for a where/orderBy above that names a column only a Dataset below has (see rowStep).
        return toDF().mapRows(description, schema, row -> rows.toRow(row)).withRowStep(new ProjectStep(this, items, description));
    }

    /**
     * Applies a function to each element (Spark's {@code map(func, encoder)}).
     *
     * @param fn the function; see {@link MapFunction} for threads and errors
     * @param resultEncoder the encoder of the results ({@code Encoders.row(schema)} for rows)
     * @param <U> result type
     * @return the Dataset of results
     */
    public <U> Dataset<U> map(MapFunction<? super T, ? extends U> fn, Encoder<U> resultEncoder) {
        Objects.requireNonNull(fn, "fn");
        requireStream("map");
        Objects.requireNonNull(resultEncoder, "encoder");
        return new Dataset<>(rivulet, escapingStream().map(value -> call(fn, value)), resultEncoder);
    }

    /**
     * Applies a function to each element and flattens the results (Spark's {@code flatMap(func, encoder)}).
     *
     * @param fn the function; see {@link FlatMapFunction}
     * @param resultEncoder the encoder of the results
     * @param <U> result type
     * @return the Dataset of results
     */
    public <U> Dataset<U> flatMap(FlatMapFunction<? super T, ? extends U> fn, Encoder<U> resultEncoder) {
        Objects.requireNonNull(fn, "fn");
        requireStream("flatMap");
        Objects.requireNonNull(resultEncoder, "encoder");
        Stream<U> results = escapingStream().flatMap((T value, Output<U> out) -> {
            Iterator<? extends U> each = fn.call(value);
            while (each.hasNext()) {
                out.emit(each.next());
            }
        });
        return new Dataset<>(rivulet, results, resultEncoder);
    }

    /**
     * Keeps the elements a predicate accepts (Spark's {@code filter(FilterFunction)}).
     *
     * @param predicate the predicate; see {@link FilterFunction}
     * @return the filtered Dataset, same schema
     */
    public Dataset<T> filter(FilterFunction<? super T> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        requireStream("filter(FilterFunction)");
        return derived(escapingStream().filter(value -> {
            try {
                return predicate.call(value);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new RuntimeException(e.toString(), e);
            }
        }), encoder);
    }

    /**
     * The elements of this Dataset and another (Spark's {@code union}: by position, duplicates kept). The
     * schemas must have the same number of columns and the same type at each position (Rivulet does not
     * widen types, as Spark would from {@code int} to {@code bigint}: cast first); names and nullability may
     * differ: the result has this Dataset's names, and a column is nullable if it is in either.
     *
     * @param other a Dataset of the same engine
     * @return the union
     * @throws IllegalArgumentException Spark's {@code NUM_COLUMNS_MISMATCH} or {@code INCOMPATIBLE_COLUMN_TYPE}
     *     error naming the column and both types
     */
    public Dataset<T> union(Dataset<T> other) {
        Objects.requireNonNull(other, "other");
        requireStream("union");
        other.requireStream("union");
        StructField[] left = schema().fields();
        StructField[] right = other.schema().fields();
        if (left.length != right.length) {
            throw new IllegalArgumentException("[NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with the same"
                + " number of columns, but the first input has " + left.length + " columns and the second input has "
                + right.length + " columns.");
        }
        StructField[] merged = new StructField[left.length];
        for (int i = 0; i < left.length; i++) {
            DataType l = left[i].dataType();
            DataType r = right[i].dataType();
            if (!l.equals(r)) {
                throw new IllegalArgumentException("[INCOMPATIBLE_COLUMN_TYPE] UNION can only be performed on tables with"
                    + " compatible column types. The " + ordinal(i + 1) + " column of the second table is \"" + r.sql()
                    + "\" type which is not compatible with \"" + l.sql() + "\" at the same column of the first table.");
            }
            merged[i] = new StructField(left[i].name(), l, left[i].nullable() || right[i].nullable(), left[i].comment());
        }
        StructType schema = new StructType(merged);
        Encoder<T> mergedEncoder = encoder instanceof RowEncoder ? castEncoder(Encoders.row(schema)) : encoder;
        return new Dataset<>(rivulet, escapingStream().union(other.escapingStream()), mergedEncoder);
    }

    /**
     * This Dataset under an alias (Spark's {@code as(alias)}/{@code alias}): its columns can then be named
     * {@code alias.column} ({@code col("imp.adId")}), which is how a column both sides of a {@link #join} have is
     * told apart in the join's condition and in the joined rows.
     *
     * @param alias the alias, not empty
     * @return the same rows, their columns qualified by {@code alias}
     * @throws IllegalArgumentException if {@code alias} is empty
     */
    public Dataset<T> as(String alias) {
        Objects.requireNonNull(alias, "alias");
        if (alias.isEmpty()) {
            throw new IllegalArgumentException("alias must not be empty");
        }
        String[] all = new String[schema().size()];
        Arrays.fill(all, alias);
        return withQualifiers(all);
    }

    /**
     * The same as {@link #as(String)} (Spark's {@code alias}).
     *
     * @param alias the alias
     * @return the same rows, their columns qualified by {@code alias}
     */
    public Dataset<T> alias(String alias) {
        return as(alias);
    }

    /**
     * A column of this Dataset (Spark's {@code df.col(name)}), checked now: qualified by this Dataset's alias when it
     * has one ({@link #as(String)}), so that it names this side's column in a join's condition.
     *
     * @param colName the column's name
     * @return the column
     * @throws IllegalArgumentException listing the columns if there is none of that name
     */
    public Column col(String colName) {
        Objects.requireNonNull(colName, "colName");
        int i = ColumnResolver.resolve(schema(), colName);
        String name = schema().fields()[i].name();
        String qualifier = qualifiers == null ? null : qualifiers[i];
        return functions.col(qualifier == null ? ColumnResolver.quoted(name)
            : ColumnResolver.quoted(qualifier) + "." + ColumnResolver.quoted(name));
    }

    /**
     * An inner equi-join on a column both Datasets have (Spark's {@code join(right, usingColumn)}): see
     * {@link #join(Dataset, List, String)}.
     *
     * @param right the other Dataset
     * @param usingColumn the column, in both
     * @return the joined rows
     */
    public Dataset<Row> join(Dataset<?> right, String usingColumn) {
        return join(right, List.of(Objects.requireNonNull(usingColumn, "usingColumn")), "inner");
    }

    /**
     * An inner equi-join on columns both Datasets have (Spark's {@code join(right, usingColumns)}).
     *
     * @param right the other Dataset
     * @param usingColumns the columns, in both
     * @return the joined rows
     */
    public Dataset<Row> join(Dataset<?> right, List<String> usingColumns) {
        return join(right, usingColumns, "inner");
    }

    /**
     * An inner equi-join on columns both Datasets have (Spark's {@code join(right, Array[String])}).
     *
     * @param right the other Dataset
     * @param usingColumns the columns, in both
     * @return the joined rows
     */
    public Dataset<Row> join(Dataset<?> right, String[] usingColumns) {
        return join(right, Arrays.asList(Objects.requireNonNull(usingColumns, "usingColumns")), "inner");
    }

    /**
     * An equi-join on columns both Datasets have (Spark's {@code join(right, Array[String], joinType)}): see
     * {@link #join(Dataset, List, String)}.
     *
     * @param right the other Dataset
     * @param usingColumns the columns, in both
     * @param joinType as {@link #join(Dataset, Column, String)}
     * @return the joined rows
     */
    public Dataset<Row> join(Dataset<?> right, String[] usingColumns, String joinType) {
        return join(right, Arrays.asList(Objects.requireNonNull(usingColumns, "usingColumns")), joinType);
    }

    /**
     * An equi-join on columns both Datasets have (Spark's {@code join(right, usingColumns, joinType)}): the condition
     * is {@code left.c = right.c} for each; the rows have each using column once (the left's; the right's in a right
     * outer join; {@code coalesce} of both in a full outer join), then this Dataset's other columns, then the other's.
     * Otherwise as {@link #join(Dataset, Column, String)}.
     *
     * @param right the other Dataset
     * @param usingColumns the columns, in both, at least one
     * @param joinType as {@link #join(Dataset, Column, String)}
     * @return the joined rows
     * @throws AnalysisException {@code UNRESOLVED_USING_COLUMN_FOR_JOIN} naming the side that lacks a column
     */
    public Dataset<Row> join(Dataset<?> right, List<String> usingColumns, String joinType) {
        Objects.requireNonNull(right, "right");
        Objects.requireNonNull(usingColumns, "usingColumns");
        return DatasetJoins.join(toDF(), right.toDF(), null, List.copyOf(usingColumns), DatasetJoins.joinType(joinType));
    }

    /**
     * An inner join on a condition (Spark's {@code join(right, joinExprs)}): see {@link #join(Dataset, Column, String)}.
     *
     * @param right the other Dataset
     * @param joinExprs the condition
     * @return the joined rows
     */
    public Dataset<Row> join(Dataset<?> right, Column joinExprs) {
        return join(right, joinExprs, "inner");
    }

    /**
     * Joins this Dataset (the left side) with another on a condition (Spark's {@code join(right, joinExprs,
     * joinType)}), e.g. {@code impressions.join(clicks, expr("clickAdId = impressionAdId AND clickTime >=
     * impressionTime AND clickTime <= impressionTime + interval 1 hour"), "left_outer")}. The rows have this
     * Dataset's columns, then the other's (a left semi join: this Dataset's only); a name both have must be
     * qualified ({@code col("a.x")} after {@code as("a")}), else {@code AMBIGUOUS_REFERENCE} lists the candidates.
     *
     * <p>The condition's conjuncts: equalities between an expression of each side are the join key (at least one);
     * {@code <, <=, >, >=} between a timestamp column of each side, each optionally {@code ± interval}, bounding the
     * right time on both sides, are the event-time range; anything else is applied to the joined rows, in an inner
     * join only (rejected in the others). A NULL key matches nothing.
     *
     * <p><b>Stream-stream</b> compiles onto the typed {@link io.rivulet.engine.KeyedStream#join} (one int key:
     * {@link io.rivulet.engine.LongKeyedStream#join}), whose rules {@code start()} checks with Spark's messages: append
     * mode only; outer and semi joins need a watermark ({@link #withWatermark}) and the range. Its state (both sides'
     * rows) is checkpointed with the query. <b>Stream-static</b> (the other side from {@code rivulet.createDataFrame})
     * compiles onto the typed {@link io.rivulet.engine.Stream#join(io.rivulet.engine.StaticTableHandle,
     * java.util.function.Function, io.rivulet.operators.join.JoinType, io.rivulet.operators.join.JoinFunction)}, which
     * rejects a stream RIGHT OUTER static (and static LEFT OUTER stream) and FULL OUTER joins.
     *
     * @param right the other Dataset, of the same engine
     * @param joinExprs the condition, an expression of both Datasets' columns
     * @param joinType {@code inner}, {@code left_outer}/{@code left}, {@code right_outer}/{@code right},
     *     {@code full_outer}/{@code full}/{@code outer}, {@code left_semi}/{@code semi} (case and underscores ignored)
     * @return the joined rows
     * @throws AnalysisException for an unknown or ambiguous column, no equality between the sides, key types that
     *     cannot be compared, extra conditions in a join that is not inner
     * @throws IllegalArgumentException for an unknown join type (Spark's message) or a stream-static join Spark rejects
     * @throws UnsupportedOperationException for {@code left_anti} and {@code cross}, or two static sides
     */
    public Dataset<Row> join(Dataset<?> right, Column joinExprs, String joinType) {
        Objects.requireNonNull(right, "right");
        Objects.requireNonNull(joinExprs, "joinExprs");
        return DatasetJoins.join(toDF(), right.toDF(), Columns.expression(joinExprs), null, DatasetJoins.joinType(joinType));
    }

    /**
     * Declares {@code eventTime} the event-time column and generates the watermark from it (Spark's
     * {@code withWatermark}): watermark = the largest event time seen − {@code delayThreshold}. Stateful
     * event-time operations downstream drop rows older than the watermark and close windows behind it. A
     * null event time counts as the epoch (1970-01-01), as Spark reads it.
     *
     * @param eventTime the column, of type {@code timestamp}
     * @param delayThreshold a Spark interval string, e.g. {@code "10 seconds"}, {@code "1 hour 30 minutes"}
     * @return the same rows, with a watermark
     * @throws IllegalArgumentException listing the columns for an unknown column; Spark's
     *     {@code EVENT_TIME_IS_NOT_ON_TIMESTAMP_TYPE} error for a column of another type; Spark's interval
     *     error for a bad or negative delay
     */
    public Dataset<T> withWatermark(String eventTime, String delayThreshold) {
        Objects.requireNonNull(eventTime, "eventTime");
        requireStream("withWatermark");
        StructType schema = schema();
        int column = ColumnResolver.resolve(schema, eventTime);
        DataType type = schema.fields()[column].dataType();
        if (!(type instanceof TimestampType)) {
            throw new IllegalArgumentException("[EVENT_TIME_IS_NOT_ON_TIMESTAMP_TYPE] The event time "
                + ColumnResolver.quoted(schema.fields()[column].name()) + " has the invalid type \"" + type.sql()
                + "\", but expected \"TIMESTAMP\".");
        }
        Duration delay = Duration.ofMillis(IntervalStrings.parseDurationMs(delayThreshold));
        Encoder<T> enc = encoder;
        Stream<T> watermarked = enc instanceof RowEncoder
            ? stream.withWatermark(value -> eventTimeMs((Row) value, column), delay)
            : escapingStream().withWatermark(value -> eventTimeMs(enc.toRow(value), column), delay);
        // The watermark reads each row's event time while it is handed over: the rows may stay reused.
        return new Dataset<>(rivulet, watermarked, encoder, schema.fields()[column].name(), delay, false, unorderedLimit,
            reuse);
    }

    private static long eventTimeMs(Row row, int column) {
        if (row instanceof PackedRow p) {
            // the column is a timestamp (checked when the watermark was declared): its raw bits are the micros
            return p.isNullAt(column) ? 0 : Math.floorDiv(p.bits(column), 1_000L);
        }
        return row.isNullAt(column) ? 0 : Math.floorDiv(row.getTimestampMicros(column), 1_000L);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Untyped operations on rows: compiled against the schema now, evaluated by one fused operator per task

    /**
     * The rows of a select list (Spark's {@code select(Column...)}): each column an expression of this
     * Dataset's columns ({@code col("a")}, {@code col("qty").multiply(col("price")).as("value")},
     * {@code explode(split(col("value"), " ")).as("word")}); {@code col("*")} is every column. Resolved now,
     * against {@link #schema()}; each output column is named as Spark names it. One generator ({@code explode})
     * may be a whole item: each input row then gives one row per array element (none for NULL or empty).
     *
     * @param cols the select list
     * @return the new DataFrame
     * @throws AnalysisException Spark's error for an unknown column ({@code UNRESOLVED_COLUMN}, listing the
     *     columns), an unknown function, mismatched types; an aggregate (use {@link #groupBy(Column...)}); two
     *     generators or one nested in an expression
     */
    public Dataset<Row> select(Column... cols) {
        Objects.requireNonNull(cols, "cols");
        List<Expression> items = new ArrayList<>(cols.length);
        for (int i = 0; i < cols.length; i++) {
            items.add(Columns.expression(Objects.requireNonNull(cols[i], "cols[" + i + "]")));
        }
        return selectItems("select", items);
    }

    /**
     * The named columns (Spark's {@code select(String col, String... cols)}); {@code "*"} is every column and
     * {@code "a.b"} a nested field, as {@link functions#col}.
     *
     * @param col the first column
     * @param cols more columns
     * @return the new DataFrame
     * @throws AnalysisException for an unknown column, listing the columns
     */
    public Dataset<Row> select(String col, String... cols) {
        Objects.requireNonNull(col, "col");
        Objects.requireNonNull(cols, "cols");
        Column[] all = new Column[cols.length + 1];
        all[0] = functions.col(col);
        for (int i = 0; i < cols.length; i++) {
            all[i + 1] = functions.col(Objects.requireNonNull(cols[i], "cols[" + i + "]"));
        }
        return select(all);
    }

    /**
     * A select list of Spark SQL expression strings (Spark's {@code selectExpr}):
     * {@code selectExpr("CAST(value AS STRING)", "qty * price AS value", "*")}.
     *
     * @param exprs the items, each an expression with an optional alias, {@code *} or {@code a.*}
     * @return the new DataFrame
     * @throws ParseException on a syntax error or unknown function, naming the token
     * @throws AnalysisException as {@link #select(Column...)}
     */
    public Dataset<Row> selectExpr(String... exprs) {
        Objects.requireNonNull(exprs, "exprs");
        List<Expression> items = new ArrayList<>(exprs.length);
        for (int i = 0; i < exprs.length; i++) {
            items.add(SqlParsers.parseSelectItem(Objects.requireNonNull(exprs[i], "exprs[" + i + "]")));
        }
        return selectItems("selectExpr", items);
    }

    /**
     * Keeps the rows for which a condition is true (Spark's {@code where}/{@code filter(Column)}); NULL drops the
     * row, as in SQL. The schema is unchanged.
     *
     * @param condition a boolean column (a string column is cast to boolean, as Spark does)
     * @return the filtered DataFrame
     * @throws AnalysisException for an unknown column; Spark's {@code DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN} for a
     *     condition of another type
     */
    public Dataset<Row> where(Column condition) {
        Objects.requireNonNull(condition, "condition");
        return filterRows("where " + condition, Columns.expression(condition));
    }

    /**
     * As {@link #where(Column)}, with a Spark SQL condition: {@code where("qty > 100 AND sym LIKE 'A%'")}.
     *
     * @param conditionExpr the condition
     * @return the filtered DataFrame
     * @throws ParseException on a syntax error
     * @throws AnalysisException as {@link #where(Column)}
     */
    public Dataset<Row> where(String conditionExpr) {
        Objects.requireNonNull(conditionExpr, "conditionExpr");
        return filterRows("where " + conditionExpr, SqlParsers.parseExpression(conditionExpr));
    }

    /**
     * The same as {@link #where(Column)} (Spark's {@code filter(Column)}).
     *
     * @param condition a boolean column
     * @return the filtered DataFrame
     * @throws AnalysisException as {@link #where(Column)}
     */
    public Dataset<Row> filter(Column condition) {
        return where(condition);
    }

    /**
     * The same as {@link #where(String)} (Spark's {@code filter(String)}).
     *
     * @param conditionExpr the condition
     * @return the filtered DataFrame
     * @throws AnalysisException as {@link #where(Column)}
     */
    public Dataset<Row> filter(String conditionExpr) {
        return where(conditionExpr);
    }

    /**
     * Adds a column, or replaces the column of that name (compared ignoring case, as Spark) in its place
     * (Spark's {@code withColumn}).
     *
     * @param colName the column's name
     * @param col its value, an expression of this Dataset's columns
     * @return the new DataFrame
     * @throws AnalysisException as {@link #select(Column...)}
     */
    public Dataset<Row> withColumn(String colName, Column col) {
        Objects.requireNonNull(colName, "colName");
        Objects.requireNonNull(col, "col");
        StructField[] fields = schema().fields();
        Expression value = Columns.expression(col.as(colName));
        List<Expression> items = new ArrayList<>(fields.length + 1);
        boolean replaced = false;
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].name().equalsIgnoreCase(colName)) {
                items.add(value);
                replaced = true;
            } else {
                items.add(column(i, fields[i]));
            }
        }
        if (!replaced) {
            items.add(value);
        }
        return selectItems("withColumn " + colName, items);
    }

    /**
     * Renames a column (Spark's {@code withColumnRenamed}); a name no column has (compared ignoring case) is a
     * no-op, as in Spark. Rows pass unchanged in content.
     *
     * @param existingName the column's name
     * @param newName its new name
     * @return the renamed DataFrame, or this one as a DataFrame
     */
    public Dataset<Row> withColumnRenamed(String existingName, String newName) {
        Objects.requireNonNull(existingName, "existingName");
        Objects.requireNonNull(newName, "newName");
        String[] names = columns();
        boolean found = false;
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(existingName)) {
                names[i] = newName;
                found = true;
            }
        }
        return found ? toDF(names) : toDF();
    }

    /**
     * Drops columns by name (Spark's {@code drop(String...)}); names no column has (compared ignoring case) are
     * ignored, as in Spark.
     *
     * @param colNames the columns
     * @return the DataFrame without them, or this one as a DataFrame
     */
    public Dataset<Row> drop(String... colNames) {
        Objects.requireNonNull(colNames, "colNames");
        StructField[] fields = schema().fields();
        List<Expression> items = new ArrayList<>(fields.length);
        for (int i = 0; i < fields.length; i++) {
            boolean dropped = false;
            for (String name : colNames) {
                dropped |= fields[i].name().equalsIgnoreCase(Objects.requireNonNull(name, "colNames"));
            }
            if (!dropped) {
                items.add(column(i, fields[i]));
            }
        }
        if (items.size() == fields.length) {
            return toDF();
        }
        return selectItems("drop " + String.join(", ", colNames), items);
    }

    /**
     * Groups the rows by columns for an aggregation (Spark's {@code groupBy(Column...)}), e.g.
     * {@code groupBy(window(col("ts"), "10 minutes"), col("word")).count()}.
     *
     * @param cols the grouping columns; at most one may be a {@code window(..)} (event-time windows)
     * @return the grouped Dataset; aggregate it
     * @throws AnalysisException for an unknown column, an aggregate or a generator among the columns
     */
    public RelationalGroupedDataset groupBy(Column... cols) {
        Objects.requireNonNull(cols, "cols");
        requireStream("groupBy");
        return new RelationalGroupedDataset(toDF(), qualify(cols));
    }

    /**
     * Groups the elements by a key a function computes (Spark's {@code groupByKey(func, encoder)}), for
     * {@link KeyValueGroupedDataset#mapGroupsWithState} and {@link KeyValueGroupedDataset#flatMapGroupsWithState}:
     * {@code trades.withWatermark("ts", "5 seconds").groupByKey(r -> r.getString(0), Encoders.STRING())}.
     *
     * @param func the key of an element; called in the task that reads the element (thread-safe if that stage has
     *     several partitions); keys need {@code equals} and {@code hashCode}; a {@code null} key or a throw fails
     *     the query
     * @param encoder the key's encoder
     * @param <K> key type
     * @return the grouped Dataset
     * @throws UnsupportedOperationException on a static DataFrame
     */
    public <K> KeyValueGroupedDataset<K, T> groupByKey(MapFunction<? super T, K> func, Encoder<K> encoder) {
        Objects.requireNonNull(func, "func");
        Objects.requireNonNull(encoder, "encoder");
        requireStream("groupByKey");
        return new KeyValueGroupedDataset<>(this, func, encoder);
    }

    /**
     * Aggregates over the whole stream without grouping (Spark's {@code df.agg(...)}, short for
     * {@code groupBy().agg(...)}): one row, e.g. {@code trades.agg(count("*"), sum("qty"))}.
     *
     * @param expr the first aggregate
     * @param exprs more aggregates
     * @return the one-row aggregation
     * @throws AnalysisException as {@link RelationalGroupedDataset#agg(Column, Column...)}
     */
    public Dataset<Row> agg(Column expr, Column... exprs) {
        return groupBy().agg(expr, exprs);
    }

    /**
     * Groups the rows by named columns (Spark's {@code groupBy(String col, String... cols)}).
     *
     * @param col the first column
     * @param cols more columns
     * @return the grouped Dataset
     * @throws AnalysisException for an unknown column
     */
    public RelationalGroupedDataset groupBy(String col, String... cols) {
        Objects.requireNonNull(col, "col");
        Objects.requireNonNull(cols, "cols");
        Column[] all = new Column[cols.length + 1];
        all[0] = functions.col(col);
        for (int i = 0; i < cols.length; i++) {
            all[i + 1] = functions.col(Objects.requireNonNull(cols[i], "cols[" + i + "]"));
        }
        return groupBy(all);
    }

    /**
     * Drops rows equal in every column to a row seen before (Spark's {@code dropDuplicates()}): see
     * {@link #dropDuplicates(String...)} with every column.
     *
     * @return the first row of each distinct row
     */
    public Dataset<T> dropDuplicates() {
        return dropDuplicates(columns());
    }

    /**
     * Drops rows whose values in {@code colNames} equal a row's seen before (Spark's {@code dropDuplicates(cols)}):
     * the first row in input order passes. Compiled onto the typed deduplication
     * ({@link io.rivulet.engine.KeyedStream#dropDuplicates()}): same state, checkpointed with the query. As in
     * Spark, when the {@link #withWatermark} event-time column is among {@code colNames}, a key is forgotten once
     * the watermark passes its event time and a row at or behind the watermark is late (dropped); otherwise keys
     * are kept forever. The event-time column is known while it is still a column of the same name; a renaming
     * or {@code as(..)} in between forgets it.
     *
     * @param colNames the key columns, at least one (compared ignoring case)
     * @return the first row of each key, same schema
     * @throws IllegalArgumentException for no column, or listing the columns for an unknown one
     */
    public Dataset<T> dropDuplicates(String... colNames) {
        requireStream("dropDuplicates");
        int[] keys = keyColumns("dropDuplicates", colNames);
        int time = watermarkColumn == null ? -1 : ColumnResolver.resolve(schema(), watermarkColumn);
        int[] rest = without(keys, time);
        ToLongFunction<T> rowTime = rest.length < keys.length ? eventTime(time) : null;
        KeyedStream<List<Object>, T> keyed = escapingStream().keyBy("dropDuplicates(" + names(keys) + ")", key(rest));
        return derived(rowTime == null ? keyed.dropDuplicates() : keyed.dropDuplicates(rowTime), encoder);
    }

    /**
     * Drops rows whose values in {@code colNames} equal a row's seen within the watermark delay (Spark's
     * {@code dropDuplicatesWithinWatermark(cols)}): the first row of a key passes; the key is remembered until the
     * watermark reaches that row's event time + the {@link #withWatermark} delay, then passes again. Rows at or
     * behind the watermark are late. Compiled onto the typed
     * {@link io.rivulet.engine.KeyedStream#dropDuplicatesWithinWatermark(ToLongFunction, Duration)}.
     *
     * @param colNames the key columns, at least one
     * @return the first row of each key within the delay, same schema
     * @throws IllegalArgumentException for no column or an unknown one; Spark's "dropDuplicatesWithinWatermark is
     *     not supported on streaming DataFrames/DataSets without watermark" when no {@code withWatermark}
     *     event-time column reaches here
     */
    public Dataset<T> dropDuplicatesWithinWatermark(String... colNames) {
        requireStream("dropDuplicatesWithinWatermark");
        int[] keys = keyColumns("dropDuplicatesWithinWatermark", colNames);
        if (watermarkColumn == null) {
            throw new AnalysisException("UNSUPPORTED_FEATURE.WITHOUT_WATERMARK", "dropDuplicatesWithinWatermark is not"
                + " supported on streaming DataFrames/DataSets without watermark: call withWatermark(eventTime, delay)"
                + " first (the event-time column must still be a column here)");
        }
        ToLongFunction<T> rowTime = eventTime(ColumnResolver.resolve(schema(), watermarkColumn));
        KeyedStream<List<Object>, T> keyed = escapingStream().keyBy("dropDuplicatesWithinWatermark(" + names(keys) + ")", key(keys));
        return derived(keyed.dropDuplicatesWithinWatermark(rowTime, watermarkDelay), encoder);
    }

    private int[] keyColumns(String operation, String... colNames) {
        Objects.requireNonNull(colNames, "colNames");
        if (colNames.length == 0) {
            throw new IllegalArgumentException(operation + " needs at least one column");
        }
        StructType schema = schema();
        int[] keys = new int[colNames.length];
        for (int i = 0; i < colNames.length; i++) {
            keys[i] = ColumnResolver.resolve(schema, Objects.requireNonNull(colNames[i], "colNames[" + i + "]"));
        }
        return keys;
    }

    private String names(int[] columns) {
        StringJoiner text = new StringJoiner(", ");
        for (int c : columns) {
            text.add(schema().fields()[c].name());
        }
        return text.toString();
    }

    private static int[] without(int[] columns, int column) {
        return Arrays.stream(columns).filter(c -> c != column).distinct().toArray();
    }

    private Function<T, List<Object>> key(int[] columns) {
        Function<T, Row> toRow = rowOf();
        return value -> {
            Row row = toRow.apply(value);
            Object[] values = new Object[columns.length];
            for (int i = 0; i < columns.length; i++) {
                values[i] = row.get(columns[i]);
            }
            return Arrays.asList(values);
        };
    }

    private ToLongFunction<T> eventTime(int column) {
        Function<T, Row> toRow = rowOf();
        return value -> eventTimeMs(toRow.apply(value), column);
    }

    @SuppressWarnings("unchecked")
    private Function<T, Row> rowOf() {
        Encoder<T> enc = encoder;
        return enc instanceof RowEncoder ? value -> (Row) value : enc::toRow;
    }

    /**
     * Sorts each epoch's result table (Spark's {@code orderBy(Column...)}): allowed as in Spark only on an
     * aggregation in complete output mode, where each epoch carries the whole table; compiled onto the typed
     * {@link Stream#orderBy} (one partition). A column sorts ascending with NULLs first unless it is
     * {@code col.desc()} (NULLs last), {@code asc_nulls_last()}, {@code desc_nulls_first()}.
     *
     * @param sortExprs the sort keys, at least one
     * @return the sorted Dataset; {@link #limit} keeps its first rows
     * @throws AnalysisException for an unknown column; {@code start()} fails with Spark's "Sorting is not supported
     *     on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode"
     */
    public Dataset<T> orderBy(Column... sortExprs) {
        Objects.requireNonNull(sortExprs, "sortExprs");
        if (sortExprs.length == 0) {
            throw new IllegalArgumentException("orderBy needs at least one column");
        }
        requireStream("orderBy");
        Column[] unqualified = sortExprs;
        sortExprs = qualify(sortExprs);
        StructType schema = schema();
        List<ComplexAccess.SortOrder> orders = new ArrayList<>();
        List<Expression> keys = new ArrayList<>();
        for (int i = 0; i < sortExprs.length; i++) {
            keys.add(Columns.expression(Objects.requireNonNull(sortExprs[i], "sortExprs[" + i + "]")));
        }
        try {
            for (Expression key : keys) {
                Expression e = Analyzer.resolve(key, schema);
                orders.add(e instanceof ComplexAccess.SortOrder o ? o : new ComplexAccess.SortOrder(e, true, true));
            }
        } catch (AnalysisException e) {
            Dataset<Row> wide = widenedFor(e, keys);
            if (wide == null) {
                throw e;
            }
            // Spark's ResolveMissingReferences for a sort: sort with the missing columns kept, then drop them.
            Dataset<Row> sortedRows = wide.orderBy(unqualified);
            Dataset<Row> narrow = sortedRows.narrowed(schema.size(), rowStep.description());
            return castDataset(new Dataset<>(rivulet, narrow.stream, narrow.encoder, narrow.watermarkColumn,
                narrow.watermarkDelay, false, unorderedLimit, null, null, null, narrow.reuse, null, null,
                new SortedWide(sortedRows, schema.size(), rowStep.description())));
        }
        Comparator<Row> rows = (a, b) -> compare(orders, a, b);
        Function<T, Row> toRow = rowOf();
        Comparator<T> order = (a, b) -> rows.compare(toRow.apply(a), toRow.apply(b));
        Dataset<T> next = derived(escapingStream().orderBy(order), encoder);
        return new Dataset<>(rivulet, next.stream, encoder, next.watermarkColumn, next.watermarkDelay, true, unorderedLimit,
            null);
    }

    /**
     * Sorts by named columns, ascending (Spark's {@code orderBy(String, String...)}); see {@link #orderBy(Column...)}.
     *
     * @param sortCol the first column
     * @param sortCols more columns
     * @return the sorted Dataset
     */
    public Dataset<T> orderBy(String sortCol, String... sortCols) {
        Objects.requireNonNull(sortCol, "sortCol");
        Objects.requireNonNull(sortCols, "sortCols");
        Column[] all = new Column[sortCols.length + 1];
        all[0] = functions.col(sortCol);
        for (int i = 0; i < sortCols.length; i++) {
            all[i + 1] = functions.col(Objects.requireNonNull(sortCols[i], "sortCols[" + i + "]"));
        }
        return orderBy(all);
    }

    /**
     * The same as {@link #orderBy(Column...)} (Spark's {@code sort}).
     *
     * @param sortExprs the sort keys
     * @return the sorted Dataset
     */
    public Dataset<T> sort(Column... sortExprs) {
        return orderBy(sortExprs);
    }

    /**
     * The same as {@link #orderBy(String, String...)} (Spark's {@code sort}).
     *
     * @param sortCol the first column
     * @param sortCols more columns
     * @return the sorted Dataset
     */
    public Dataset<T> sort(String sortCol, String... sortCols) {
        return orderBy(sortCol, sortCols);
    }

    /**
     * The first {@code n} rows (Spark's {@code limit}). After {@link #orderBy} (an aggregation in complete mode):
     * the first {@code n} rows of each epoch's sorted result table. Without it: in complete mode, {@code n} rows of
     * each epoch's result table of an aggregation, in no particular order; in append mode (Spark's streaming limit),
     * the first {@code n} rows ever, in one partition, the count checkpointed with the query (Rivulet needs the
     * limit to be the query's last operation there); in update mode {@code start()} fails with Spark's "Limits are
     * not supported on streaming DataFrames/Datasets in Update output mode".
     *
     * @param n rows to keep, at least 0 (Spark allows 0: nothing passes)
     * @return the limited Dataset
     * @throws IllegalArgumentException if {@code n} is negative (Spark's message)
     */
    public Dataset<T> limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("The limit expression must be equal to or greater than 0, but got " + n);
        }
        requireStream("limit");
        if (sortedWide != null) {
            // orderBy by a column the projection dropped: limit the sorted rows, then drop it.
            return castDataset(sortedWide.sorted().limit(n).narrowed(sortedWide.columns(), sortedWide.description()));
        }
        if (sorted) {
            return derived(n == 0 ? escapingStream().filter(value -> false) : escapingStream().limit(n), encoder);
        }
        Stream<T> unordered = escapingStream().orderBy((a, b) -> 0);
        Dataset<T> next = derived(n == 0 ? unordered.filter(value -> false) : unordered.limit(n), encoder);
        // The first rows cross to one partition by reference: the rows must be new per record (escapingStream).
        Stream<T> firstRows = escapingStream().keyBy("limit", value -> 0L, 1).transformWithState("limit(" + n + ")",
            () -> new FirstRows<>(n));
        return new Dataset<>(rivulet, next.stream, encoder, next.watermarkColumn, next.watermarkDelay, false, true, null,
            null, firstRows, null, null, null, null);
    }

    /**
     * The Dataset a query in {@code mode} writes: for a {@code limit} without {@code orderBy} in append mode, the
     * plan that passes the first {@code n} rows ever; else this one.
     *
     * @param mode the query's output mode
     * @return the Dataset to write
     * @throws IllegalArgumentException for a limit without orderBy in append mode that is not the last operation
     */
    Dataset<T> forOutputMode(OutputMode mode) {
        if (mode != OutputMode.APPEND || !unorderedLimit) {
            return this;
        }
        if (appendLimit == null) {
            throw new IllegalArgumentException("limit without orderBy in append output mode must be the last operation"
                + " of the query in Rivulet (Spark allows operations after it): write the limited Dataset itself");
        }
        return new Dataset<>(rivulet, appendLimit, encoder);
    }

    /**
     * A streaming limit in append mode (Spark's {@code StreamingGlobalLimitExec}): one partition, one key, the rows
     * passed so far in keyed state (checkpointed with the query); the first {@code n} rows ever pass. Owned by the
     * partition's thread.
     */
    private static final class FirstRows<T> extends KeyedProcessFunction<Long, T, T> {
        private final long n;
        private LongValueState passed;

        FirstRows(long n) {
            this.n = n;
        }

        @Override
        public void open(KeyedStateStore states) {
            passed = states.state(StateDescriptor.longValue("passed", 0));
        }

        @Override
        public void processElement(T value, Context<Long, T> ctx, Output<T> out) {
            long p = passed.value();
            if (p < n) {
                passed.update(p + 1);
                out.emit(value);
            }
        }
    }

    /**
     * @return whether a {@code limit} without {@code orderBy} is upstream, which {@code start()} allows in
     *     complete mode only
     */
    boolean unorderedLimit() {
        return unorderedLimit;
    }

    private static int compare(List<ComplexAccess.SortOrder> orders, Row a, Row b) {
        EvalContext ctx = new EvalContext();
        for (ComplexAccess.SortOrder order : orders) {
            Object x = order.child().eval(a, ctx);
            Object y = order.child().eval(b, ctx);
            int c;
            if (x == null || y == null) {
                c = x == y ? 0 : (x == null) == order.nullsFirst() ? -1 : 1;
            } else {
                c = order.ascending() ? Values.compareObjects(x, y) : Values.compareObjects(y, x);
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static Expression column(int ordinal, StructField field) {
        return new BoundReference(ordinal, field.name(), field.dataType(), field.nullable());
    }

    private Dataset<Row> selectItems(String description, List<Expression> items) {
        List<Expression> bound = items;
        if (qualifiers != null) {
            bound = new DatasetJoins.Scope(schema(), qualifiers).bindItems(items);
        }
        Dataset<Row> out = runPlan(description, SelectPlan.select(schema(), bound));
        return new Dataset<>(rivulet, out.stream, out.encoder, out.watermarkColumn, out.watermarkDelay, false,
            out.unorderedLimit, out.staticRows, null, null, out.reuse, null, new ProjectStep(this, items, description), null);
    }

    /**
     * A filter naming a column this Dataset lacks but a Dataset below it has, through any chain of projections and
     * filters (Spark's {@code ResolveMissingReferences}, as in {@code df.select("action").where("id > 10")} or
     * {@code df.select("a", "b").select("a").where("b > 1")}): those operations again with the missing columns kept,
     * the filter, then this Dataset's columns only. Any other failure, a column unknown below too included, is the
     * error of the condition against this Dataset's columns.
     */
    private Dataset<Row> filterRows(String description, Expression condition) {
        Dataset<Row> filtered;
        try {
            filtered = filterResolved(description, condition);
        } catch (AnalysisException e) {
            Dataset<Row> wide = widenedFor(e, List.of(condition));
            if (wide == null) {
                throw e;
            }
            return wide.filterRows(description, condition).narrowed(schema().size(), rowStep.description());
        }
        return qualifiers == null ? filtered.withRowStep(new WhereStep(this, condition, description)) : filtered;
    }

    /**
     * This Dataset with the columns {@code expressions} name that it lacks but a Dataset below it has, appended (its
     * own columns first, in order); {@code null} unless {@code failure} is an unresolved column and some such column
     * is found.
     */
    private Dataset<Row> widenedFor(AnalysisException failure, List<Expression> expressions) {
        if (rowStep == null || failure.errorClass() == null || !failure.errorClass().startsWith("UNRESOLVED_COLUMN")) {
            return null;
        }
        List<Unresolved.Attribute> attributes = new ArrayList<>();
        for (Expression e : expressions) {
            Projection.collect(e, Unresolved.Attribute.class, attributes);
        }
        List<String> names = new ArrayList<>();
        for (Unresolved.Attribute attribute : attributes) {
            String first = attribute.parts().get(0);
            if (ordinalOf(names, first) < 0) {
                names.add(first);
            }
        }
        return widenedFor(names);
    }

    /**
     * This Dataset's row operations again, from the deepest one whose input has one of {@code names} up, each keeping
     * the columns of those names that the Dataset above it lacks (Spark's {@code resolveExprsAndAddMissingAttrs}: a
     * name resolves at the nearest Dataset below that has it, so a renamed column by its new name above the rename
     * and by its old name below it). The search stops where {@link #rowStep} is {@code null}.
     *
     * @param names column names, compared ignoring case
     * @return this Dataset's columns then the found ones, or {@code null} if none is found
     */
    private Dataset<Row> widenedFor(List<String> names) {
        if (rowStep == null) {
            return null;
        }
        List<String> wanted = new ArrayList<>();
        for (String name : names) {
            if (!hasName(schema(), name)) {
                wanted.add(name);
            }
        }
        if (wanted.isEmpty()) {
            return null;
        }
        Dataset<?> input = rowStep.input();
        if (rowStep instanceof WhereStep where) {
            Dataset<Row> wideInput = input.widenedFor(wanted);
            return wideInput == null ? null : wideInput.filterRows(where.description(), where.condition());
        }
        ProjectStep project = (ProjectStep) rowStep;
        List<String> deeper = new ArrayList<>();
        for (String name : wanted) {
            if (!hasName(input.schema(), name)) {
                deeper.add(name);
            }
        }
        Dataset<Row> wideInput = deeper.isEmpty() ? null : input.widenedFor(deeper);
        Dataset<?> source = wideInput != null ? wideInput : input;
        List<Expression> items = new ArrayList<>(project.items().size() + wanted.size());
        for (Expression item : project.items()) {
            if (wideInput != null && item instanceof Unresolved.Star star && star.target().isEmpty()) {
                // `*` is the input's columns, not the ones added below
                StructField[] fields = input.schema().fields();
                for (int i = 0; i < fields.length; i++) {
                    items.add(column(i, fields[i]));
                }
            } else {
                items.add(item);
            }
        }
        int before = items.size();
        StructField[] fields = source.schema().fields();
        for (String name : wanted) {
            int i = ordinalOf(source.schema().fieldNames(), name);
            if (i >= 0) {
                items.add(column(i, fields[i]));
            }
        }
        return items.size() == before ? null : source.selectItems(project.description(), items);
    }

    private static int ordinalOf(List<String> names, String name) {
        return ordinalOf(names.toArray(new String[0]), name);
    }

    private static int ordinalOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean hasName(StructType schema, String name) {
        return ordinalOf(schema.fieldNames(), name) >= 0;
    }

    /** The first {@code columns} columns of these rows: a projection dropping the ones {@link #widenedFor} added. */
    private Dataset<Row> narrowed(int columns, String description) {
        StructField[] fields = schema().fields();
        List<Expression> items = new ArrayList<>(columns);
        for (int i = 0; i < columns; i++) {
            items.add(column(i, fields[i]));
        }
        return selectItems(description, items);
    }

    private Dataset<Row> filterResolved(String description, Expression condition) {
        if (qualifiers != null) {
            condition = new DatasetJoins.Scope(schema(), qualifiers).bind(condition);
            return runPlan(description, SelectPlan.filter(schema(), condition)).withQualifiers(qualifiers);
        }
        return runPlan(description, SelectPlan.filter(schema(), condition));
    }

    /** The columns with their qualified names bound ({@code col("a.x")} of a join's output), for a resolution here. */
    Column[] qualify(Column[] cols) {
        if (qualifiers == null) {
            return cols;
        }
        DatasetJoins.Scope scope = new DatasetJoins.Scope(schema(), qualifiers);
        Column[] bound = new Column[cols.length];
        for (int i = 0; i < cols.length; i++) {
            bound[i] = Columns.column(scope.bind(Columns.expression(Objects.requireNonNull(cols[i], "cols[" + i + "]"))));
        }
        return bound;
    }

    private Dataset<Row> runPlan(String description, SelectPlan plan) {
        EpochClock clock = plan.usesCurrentTimestamp()
            ? EngineAccess.bridge().epochClock(rivulet) : null;
        if (staticRows != null) {
            // A static DataFrame's rows are kept in the loaded table: a new row per record.
            return transformRows(description, plan.outputSchema(), () -> new RowOperator<>(plan.filter(), plan.projection(),
                plan.outputSchema(), plan.generator(), clock, false));
        }
        Dataset<Row> df = toDF();
        if (plan.projection() == null) {
            // A filter passes its input rows on: they stay reusable while its own consumers allow it.
            RowReuse passOn = df.reuse;
            Stream<Row> rows = df.readingStream().transform(description,
                () -> new RowOperator<>(plan.filter(), null, plan.outputSchema(), -1, clock, false));
            return df.derivedRows(rows, Encoders.row(plan.outputSchema()), passOn,
                new FilterStep(plan, df.readingStream(), passOn, description));
        }
        // A projection reads its input row and writes its own: one reused row unless a consumer keeps rows.
        RowReuse out = plan.generator() < 0 ? new RowReuse() : null;
        FilterStep before = df.filterStep;
        if (before != null && plan.filter() == null) {
            // where(..).select(..): one operator testing the condition, then projecting, on the filter's input
            EpochClock both = clock != null || !before.plan().usesCurrentTimestamp() ? clock
                : EngineAccess.bridge().epochClock(rivulet);
            Predicate condition = before.plan().filter();
            Stream<Row> rows = before.input().transform(before.description() + ", " + description,
                () -> new RowOperator<>(condition, plan.projection(), plan.outputSchema(), plan.generator(), both,
                    out != null && out.allowed()));
            return df.derivedRows(rows, Encoders.row(plan.outputSchema()), out, null);
        }
        Stream<Row> rows = df.readingStream().transform(description, () -> new RowOperator<>(plan.filter(),
            plan.projection(), plan.outputSchema(), plan.generator(), clock, out != null && out.allowed()));
        return df.derivedRows(rows, Encoders.row(plan.outputSchema()), out, null);
    }

    /** {@link #derived} with the rows' reuse decision and the filter step that made them. */
    private Dataset<Row> derivedRows(Stream<Row> next, Encoder<Row> nextEncoder, RowReuse nextReuse, FilterStep step) {
        Dataset<Row> d = derived(next, nextEncoder);
        return new Dataset<>(rivulet, d.stream, d.encoder, d.watermarkColumn, d.watermarkDelay, false, d.unorderedLimit,
            null, null, null, nextReuse, step, null, null);
    }

    /**
     * Prints the physical plan to {@code System.out}: see {@link #explain(boolean)}.
     */
    public void explain() {
        explain(false);
    }

    /**
     * Prints the plan to {@code System.out} (Spark's {@code explain}): the operators as a tree, root first;
     * {@code *(n)} marks the operators fused into stage {@code n} (one task per partition), with each
     * stage's partitions; an {@code Exchange} line marks where rows cross to a keyed stage by key.
     *
     * @param extended whether the logical plan is printed first
     */
    public void explain(boolean extended) {
        System.out.print(explainString(extended));
    }

    String explainString(boolean extended) {
        requireStream("explain");
        EngineAccess.Bridge bridge = EngineAccess.bridge();
        return PlanExplainer.explain(bridge.node(stream), bridge.defaultParallelism(rivulet), extended);
    }

    /**
     * Starts describing a query that writes this Dataset (Spark's {@code writeStream}).
     *
     * @return a new writer; not thread-safe
     */
    public DataStreamWriter<T> writeStream() {
        requireStream("writeStream");
        return new DataStreamWriter<>(this);
    }

    /**
     * The typed stream underneath, to finish a structured query with the typed API (a typed operator or a
     * {@link io.rivulet.engine.sink.Sink} object, with the typed writer's settings). A row on it is valid while
     * it is handed over: the operator that emits it may refill the same row for the next record (a projection
     * does, see {@code docs/structured-api.md}, "Evaluation"), so copy a row ({@link Row#copy()}) to keep it or to
     * hand it to another thread (a keyed stream with {@code copyingRecords} copies into its ring slots).
     *
     * @return the stream of this Dataset's elements
     */
    public Stream<T> asStream() {
        requireStream("asStream");
        return stream;
    }

    /**
     * @return the stream underneath, for the structured API's own operations that may keep rows (the operator
     *     emitting them then makes a new row per record)
     */
    Stream<T> stream() {
        return escapingStream();
    }

    /**
     * @return the stream underneath, for a consumer that reads each row only while it is handed over (or copies
     *     it), so the operator emitting them may keep reusing one row
     */
    Stream<T> readingStream() {
        return stream;
    }

    /**
     * @return whether the rows may be reused ({@link RowReuse}), or {@code null} when they are new per record
     */
    RowReuse reuse() {
        return reuse;
    }

    Rivulet rivulet() {
        return rivulet;
    }

    /**
     * @return the event time (epoch ms) of an element from the {@code withWatermark} column while it is still a
     *     column here, or {@code null}: what a stateful operation judges late rows by
     */
    ToLongFunction<T> watermarkEventTime() {
        return watermarkColumn == null ? null : eventTime(ColumnResolver.resolve(schema(), watermarkColumn));
    }

    /**
     * The hook the structured operations build on ({@code select}, {@code withColumn}, ...): a new
     * DataFrame of {@code schema} whose rows an operator makes from this Dataset's rows; one operator per
     * task, created by {@code operators}, fused into the task that produces the input. The operator may
     * reuse one output row only if everything downstream copies it; emit a new row per record otherwise.
     *
     * @param description what the operation does, for {@code explain} and errors
     * @param schema the schema of the rows the operator emits
     * @param operators creates one operator per task
     * @return the new DataFrame
     */
    Dataset<Row> transformRows(String description, StructType schema, Supplier<? extends Operator<Row, Row>> operators) {
        if (staticRows != null) {
            StaticSource<Row> input = staticRows;
            return ofStatic(rivulet, new StaticSource<>() {
                @Override
                public Collection<? extends Row> load() throws Exception {
                    List<Row> out = new ArrayList<>();
                    Operator<Row, Row> operator = operators.get();
                    for (Row row : input.load()) {
                        operator.process(row, out::add);
                    }
                    operator.onEnd(out::add);
                    return out;
                }

                @Override
                public String description() {
                    return description + " of " + input.description();
                }
            }, schema);
        }
        return toDF().derived(toDF().escapingStream().transform(description, operators), Encoders.row(schema));
    }

    /**
     * A new DataFrame of {@code schema}: each row of this one through a stateless function, fused.
     *
     * @param description what the function does
     * @param schema the schema of the rows it returns
     * @param fn returns a new row of {@code schema} per row; thread-safe
     * @return the new DataFrame
     */
    Dataset<Row> mapRows(String description, StructType schema, Function<Row, Row> fn) {
        return transformRows(description, schema, () -> (record, out) -> out.emit(fn.apply(record)));
    }

    /** A Dataset of rows as this Dataset's element type: only where this Dataset is one of rows. */
    @SuppressWarnings("unchecked")
    private static <T> Dataset<T> castDataset(Dataset<Row> rows) {
        return (Dataset<T>) (Dataset<?>) rows;
    }

    @SuppressWarnings("unchecked")
    private static <T> Encoder<T> castEncoder(Encoder<Row> rows) {
        return (Encoder<T>) rows;
    }

    private static <T, U> U call(MapFunction<? super T, ? extends U> fn, T value) {
        try {
            return fn.call(value);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RuntimeException(e.toString(), e);
        }
    }

    private static String ordinal(int n) {
        String suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    /**
     * @return Spark's form, e.g. {@code [timestamp: timestamp, value: bigint]}
     */
    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(", ", "[", "]");
        for (StructField field : schema().fields()) {
            text.add(field.name() + ": " + field.dataType().simpleString());
        }
        return text.toString();
    }
}
