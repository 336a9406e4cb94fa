package io.rivulet.engine;

import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.sink.Sink;
import io.rivulet.operators.Operator;
import io.rivulet.operators.Output;
import io.rivulet.operators.join.JoinFunction;
import io.rivulet.operators.join.JoinType;
import io.rivulet.operators.join.StaticTable;
import io.rivulet.operators.join.StreamStaticJoinOperator;
import io.rivulet.operators.function.FlatMapFunction;
import io.rivulet.operators.stateless.FilterOperator;
import io.rivulet.operators.stateless.FlatMapOperator;
import io.rivulet.operators.stateless.MapOperator;

import io.rivulet.operators.KeyValue;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.keyed.SortLimitOperator;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.topn.RankedValue;
import io.rivulet.operators.topn.TopNOperator;
import io.rivulet.engine.internal.OperatorContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * An unbounded (or bounded) sequence of records of type {@code T}, described lazily: building a
 * stream runs nothing; {@link #writeStream} followed by {@code start()} runs a query over it.
 *
 * <p>Immutable and thread-safe. Each transformation returns a new stream. Stateless transformations
 * run fused in the thread that produces their input; {@link #keyBy} starts a keyed stage whose
 * records are partitioned by key over worker threads. A stream can be consumed once per query.
 *
 * @param <T> record type
 */
public final class Stream<T> {
    private static final Boolean SINGLE_KEY = Boolean.TRUE;

    private final Rivulet rivulet;
    private final PlanNode<T> node;
    /** Set on the stream {@link #orderBy} returns, so that {@link #limit} can fold into the sort. */
    private final PlanNode<T> sortInput;
    private final Comparator<? super T> sortOrder;
    /**
     * The {@code withWatermark} whose records these are, unchanged (through filters and deduplication),
     * or {@code null}: its event time is this stream's event time (Spark's watermarked column still in
     * the output), which {@link #dropDuplicates} and {@link #dropDuplicatesWithinWatermark} use.
     */
    private final PlanNode.WatermarkNode<T> eventTime;

    Stream(Rivulet rivulet, PlanNode<T> node) {
        this(rivulet, node, null, null, null);
    }

    Stream(Rivulet rivulet, PlanNode<T> node, PlanNode.WatermarkNode<T> eventTime) {
        this(rivulet, node, null, null, eventTime);
    }

    private Stream(Rivulet rivulet, PlanNode<T> node, PlanNode<T> sortInput, Comparator<? super T> sortOrder,
                   PlanNode.WatermarkNode<T> eventTime) {
        this.rivulet = rivulet;
        this.node = node;
        this.sortInput = sortInput;
        this.sortOrder = sortOrder;
        this.eventTime = eventTime;
    }

    /**
     * Declares the event time of each record and generates the watermark from it (Spark's
     * {@code withWatermark}): watermark = the largest event time seen − {@code delay}. Stateful
     * event-time operators downstream drop records older than the watermark and close windows
     * behind it.
     *
     * @param eventTimeMs the event time of a record, epoch milliseconds
     * @param delay how late a record may be and still count
     * @return the same records, with a watermark
     */
    public Stream<T> withWatermark(ToLongFunction<? super T> eventTimeMs, Duration delay) {
        return withWatermark(eventTimeMs, WatermarkStrategy.delay(delay));
    }

    /**
     * Declares the event time of each record and generates the watermark with a strategy (a delay,
     * and optionally a guard against far-future timestamps).
     *
     * @param eventTimeMs the event time of a record, epoch milliseconds
     * @param strategy how the watermark follows event time
     * @return the same records, with a watermark
     */
    public Stream<T> withWatermark(ToLongFunction<? super T> eventTimeMs, WatermarkStrategy strategy) {
        Objects.requireNonNull(eventTimeMs, "eventTimeMs");
        Objects.requireNonNull(strategy, "strategy");
        PlanNode.WatermarkNode<T> watermark = new PlanNode.WatermarkNode<>(node, eventTimeMs, strategy);
        return new Stream<>(rivulet, watermark, watermark);
    }

    /**
     * A global aggregation over the whole stream (Spark's {@code df.agg(..)} without
     * {@code groupBy}): one result row, in one partition.
     *
     * @param fn the aggregate; {@link io.rivulet.operators.function.Aggregates#of} combines several
     * @param <A> accumulator type
     * @param <R> result type
     * @return the stream of results (per output mode)
     */
    public <A, R> Stream<R> aggregateAll(AggregateFunction<? super T, A, R> fn) {
        Objects.requireNonNull(fn, "fn");
        return new KeyedStream<Boolean, T>(rivulet, node, record -> SINGLE_KEY, 1, "global", null)
            .aggregate(fn)
            .map(KeyValue::value);
    }

    /**
     * Sorts the result table of an aggregation (Spark's {@code orderBy}); allowed only in complete
     * output mode, where each epoch carries the whole table. Runs in one partition.
     *
     * @param order the sort order
     * @return the sorted rows of each epoch
     */
    public Stream<T> orderBy(Comparator<? super T> order) {
        Objects.requireNonNull(order, "order");
        return new Stream<>(rivulet, sortNode(node, order, Long.MAX_VALUE), node, order, null);
    }

    /**
     * Keeps the first {@code n} rows of each epoch of a sorted result table (Spark's
     * {@code orderBy(..).limit(n)}).
     *
     * @param n rows to keep, at least 1
     * @return the limited stream
     * @throws IllegalStateException unless this stream comes from {@link #orderBy}
     */
    public Stream<T> limit(long n) {
        if (sortOrder == null) {
            throw new IllegalStateException("limit is supported only right after orderBy (on an aggregation in complete mode)");
        }
        return new Stream<>(rivulet, sortNode(sortInput, sortOrder, n));
    }

    /**
     * Running top-N: the {@code n} keys with the greatest values, where each record sets its key's
     * value (replacing the key's previous one), e.g. the rows of a running aggregation. Emits
     * {@link RankedValue} rows (no window) for the ranks whose key or value changed: after each record
     * that changes them in continuous mode, once per batch in micro-batch mode. Read as update rows
     * keyed by rank. Ties between equal values: by {@code ties} when given, then the key that reached
     * its value first.
     *
     * <p>A global stage: it runs in <b>one partition</b> under an internal single key (no constant key
     * from the user), holds one entry per key seen, and is checkpointed with the query. Not allowed in
     * complete mode. See {@link KeyedStream#topN} for a per-key aggregate ranked in one call.
     *
     * @param n how many ranks, at least 1
     * @param key the ranked key of a record; non-null, with {@code equals}/{@code hashCode}
     * @param value the key's new value; non-null (a {@code null} fails the record)
     * @param order orders values; the greatest ranks first ({@code Comparator.naturalOrder()}: largest first)
     * @param ties orders keys of equal values, or {@code null}
     * @param <K> key type
     * @param <V> value type
     * @return the changed ranks
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public <K, V> Stream<RankedValue<K, V>> topN(int n, Function<? super T, ? extends K> key,
                                                 Function<? super T, ? extends V> value, Comparator<? super V> order,
                                                 Comparator<? super K> ties) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return map(record -> new KeyValue<K, V>(key.apply(record), value.apply(record))).runningTopN(n, order, ties);
    }

    /** Running top-N of a stream of {@code (key, value)} rows; see {@link #topN(int, Function, Function, Comparator, Comparator)}. */
    @SuppressWarnings("unchecked")
    <K, V> Stream<RankedValue<K, V>> runningTopN(int n, Comparator<? super V> order, Comparator<? super K> ties) {
        Objects.requireNonNull(order, "order");
        if (n < 1) {
            throw new IllegalArgumentException("topN n must be >= 1, got " + n);
        }
        return global("topN(" + n + ")", context -> (KeyedOperator<Boolean, T, RankedValue<K, V>>) (KeyedOperator<?, ?, ?>)
            new TopNOperator<K, V>(n, order, ties, !context.microBatch()));
    }

    /** A keyed stage in one partition whose records all share one internal key (Flink's {@code windowAll}). */
    <R> Stream<R> global(String name, Function<OperatorContext, ? extends KeyedOperator<Boolean, T, R>> factory) {
        return global(name, null, factory);
    }

    /** As {@link #global(String, Function)}, the records the operator drops as late going to {@code lateSink} (or {@code null}). */
    <R> Stream<R> global(String name, Sink<? super T> lateSink,
                         Function<OperatorContext, ? extends KeyedOperator<Boolean, T, R>> factory) {
        return new KeyedStream<Boolean, T>(rivulet, node, record -> SINGLE_KEY, 1, "global", null)
            .keyed(name, PlanNode.KeyedKind.STATEFUL, lateSink, factory);
    }

    private static <T> PlanNode<T> sortNode(PlanNode<T> input, Comparator<? super T> order, long limit) {
        return new PlanNode.KeyedNode<Object, T, T>(limit == Long.MAX_VALUE ? "orderBy" : "orderBy.limit(" + limit + ")",
            PlanNode.KeyedKind.SORT, input, record -> SINGLE_KEY, 1, context -> new SortLimitOperator<T>(order, limit));
    }

    /**
     * Transforms each record. The function must not return {@code null}.
     *
     * @param fn the function; a throw on a record goes to the query's {@link ErrorPolicy} (by default it fails the query)
     * @param <R> result type
     * @return the transformed stream
     */
    public <R> Stream<R> map(Function<? super T, ? extends R> fn) {
        Objects.requireNonNull(fn, "fn");
        return transform("map", () -> new MapOperator<T, R>(fn));
    }

    /**
     * Keeps the records that satisfy {@code predicate}.
     *
     * @param predicate the test; a throw on a record goes to the query's {@link ErrorPolicy} (by default it fails the query)
     * @return the filtered stream
     */
    public Stream<T> filter(Predicate<? super T> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return new Stream<>(rivulet, new PlanNode.OperatorNode<>("filter", node, () -> new FilterOperator<T>(predicate)),
            eventTime);
    }

    /**
     * Expands each record into zero or more records, emitted to the given output without building a
     * collection.
     *
     * @param fn the function; a throw on a record goes to the query's {@link ErrorPolicy} (by default it fails the query)
     * @param <R> result type
     * @return the expanded stream
     */
    public <R> Stream<R> flatMap(FlatMapFunction<? super T, R> fn) {
        Objects.requireNonNull(fn, "fn");
        return transform("flatMap", () -> new FlatMapOperator<T, R>(fn));
    }

    /**
     * Expands each record into the elements of the iterable the function returns (Spark's
     * {@code flatMap}). {@link #flatMap} avoids the collection.
     *
     * @param fn the function; a throw on a record goes to the query's {@link ErrorPolicy} (by default it fails the query)
     * @param <R> element type
     * @return the expanded stream
     */
    public <R> Stream<R> flatMapIterable(Function<? super T, ? extends Iterable<? extends R>> fn) {
        Objects.requireNonNull(fn, "fn");
        return flatMap((T value, Output<R> out) -> {
            for (R element : fn.apply(value)) {
                out.emit(element);
            }
        });
    }

    /**
     * Names the stateful operator whose output this stream is, so that its state can be read while the
     * query runs: {@code query.state(operatorName)} ({@link StreamingQuery#state(String)}, queryable
     * state). Every stateful operator of the typed API is queryable; the key and value read:
     * <ul>
     *   <li>the running aggregations of a {@link KeyedStream} ({@code reduce}, {@code aggregate},
     *       {@code count}): the key's current result;</li>
     *   <li>{@code window(...)} and {@code sessionWindow(...)} aggregations: a
     *       {@code List<WindowedValue<K, R>>} of the key's windows (sessions) still held, by start, each
     *       with its current result;</li>
     *   <li>{@code mapGroupsWithState} / {@code flatMapGroupsWithState}: a copy of the key's state value
     *       (absent if it has none);</li>
     *   <li>{@code dropDuplicates} / {@code dropDuplicatesWithinWatermark}: a {@code Long}, the
     *       watermark (epoch ms) at which the key is forgotten and passes again: {@code Long.MAX_VALUE}
     *       when keys are kept forever, the first kept record's event time + the delay within the
     *       watermark, the greatest event time held for the key when the event time is part of the key
     *       (absent: the key's next record passes);</li>
     *   <li>{@code transformWithState}: a {@code Map<String, Object>}, state name to a copy of the key's
     *       value in it (a list state's list, a map state's map, a {@code LongValueState} as a
     *       {@code Long}; unmodifiable), states the key holds nothing in left out;</li>
     *   <li>running {@code topN}: the ranked key's {@link io.rivulet.operators.topn.RankedValue} while
     *       it holds one of the N ranks now (absent below N); a scan reads the N ranks;
     *       {@code WindowedStream.topN}: a {@code List<RankedValue<K, V>>}, the key's ranks in the
     *       open windows, by window end;</li>
     *   <li>{@code orderBy(..).limit(n)} (name the stream {@code limit} returns) and {@code orderBy}:
     *       keyed by {@code Integer} position from 1, the rows of the result last emitted (the epoch in
     *       progress is not read; not checkpointed, so nothing reads after a restart until an epoch
     *       ends).</li>
     * </ul>
     * The DStream operators ({@link #batches}) are not queryable.
     * Costs the operator's thread nothing per record, one volatile read per duty cycle.
     *
     * @param operatorName the name; not blank, unique among the query's queryable operators
     * @return this stream, its operator named
     * @throws IllegalArgumentException if this stream is not the output of a keyed stateful operator, or
     *     the name is blank
     */
    public Stream<T> queryableAs(String operatorName) {
        if (!(node instanceof PlanNode.KeyedNode<?, ?, T> keyed)) {
            throw new IllegalArgumentException("queryableAs(\"" + operatorName + "\") names a keyed stateful operator,"
                + " but this stream is the output of '" + node.description() + "'; call it on the stream an operator of"
                + " keyBy(...) returns");
        }
        return new Stream<>(rivulet, keyed.withQueryableName(operatorName), null, null, eventTime);
    }

    /**
     * Spark's stream-static join: joins each record of this stream with the rows of a static table that
     * have its key. Stateless: it runs fused in the thread that produces the records, holds no state,
     * and never drops a late record (Spark's f3), whatever the watermark. This stream is the left side.
     * <ul>
     *   <li>{@link JoinType#INNER}: one output per static row of the record's key; none if it has none.</li>
     *   <li>{@link JoinType#LEFT_OUTER}: as inner, and a record with no static row comes out at once with
     *       {@code null} for the static side.</li>
     *   <li>{@link JoinType#LEFT_SEMI}: the record once ({@code fn(key, record, null)}) if its key has a
     *       static row.</li>
     * </ul>
     * Spark's rules: a right or full outer join (the static side's unmatched rows, which a stateless join
     * can never know; in Spark's words, static LEFT OUTER stream and stream RIGHT OUTER static) is rejected.
     *
     * <p>Each record reads the handle's current table (one volatile read): a refresh ({@link
     * StaticTableHandle#refresh()}, or its interval, run by the query from start to end) applies from the
     * next record on. In micro-batch mode a refresh may so land within a batch (Spark reads its static
     * side once per batch).
     *
     * @param table the static side
     * @param keyOf a record's key, of the table's key type; a {@code null} key matches nothing
     * @param type {@link JoinType#INNER}, {@link JoinType#LEFT_OUTER} or {@link JoinType#LEFT_SEMI}
     * @param fn builds each output: (key, record, static row, or {@code null} for a left outer record with
     *     no match and for a semi join); must not mutate the static row; {@code null} emits nothing
     * @param <K> key type
     * @param <R> static row type
     * @param <O> output type
     * @return the joined stream
     * @throws IllegalArgumentException if {@code type} is right outer or full outer
     */
    public <K, R, O> Stream<O> join(StaticTableHandle<K, R> table, Function<? super T, ? extends K> keyOf, JoinType type,
                                    JoinFunction<K, T, R, O> fn) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(keyOf, "keyOf");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(fn, "fn");
        if (type == JoinType.RIGHT_OUTER) {
            throw new IllegalArgumentException("Right outer join with a streaming DataFrame/Dataset on the left and a static"
                + " DataFrame/DataSet on the right not supported: type RIGHT_OUTER would emit the static rows no record"
                + " matched, which a stream never finishes deciding (static LEFT OUTER stream is the same join); use"
                + " INNER or LEFT_OUTER");
        }
        if (type == JoinType.FULL_OUTER) {
            throw new IllegalArgumentException("Full outer joins with a streaming DataFrame/Dataset and a static"
                + " DataFrame/DataSet are not supported: type FULL_OUTER would emit the static rows no record matched,"
                + " which a stream never finishes deciding; use INNER or LEFT_OUTER");
        }
        String description = "join(" + type + ", " + table.description() + ")";
        Supplier<? extends Operator<T, O>> factory = type == JoinType.LEFT_SEMI
            ? () -> new StaticSemiJoin<>(keyOf, table.reference(), fn)
            : () -> StreamStaticJoinOperator.of(type, keyOf, table.reference(), fn);
        return new Stream<>(rivulet, new PlanNode.OperatorNode<>(description, node, factory, table.refresher(), table));
    }

    /** A stream-static left semi join: the record once if its key has a static row. Owned by its task's thread. */
    private static final class StaticSemiJoin<K, T, R, O> implements Operator<T, O> {
        private final Function<? super T, ? extends K> keyOf;
        private final AtomicReference<StaticTable<K, R>> table;
        private final JoinFunction<K, T, R, O> fn;

        StaticSemiJoin(Function<? super T, ? extends K> keyOf,
                       AtomicReference<StaticTable<K, R>> table, JoinFunction<K, T, R, O> fn) {
            this.keyOf = keyOf;
            this.table = table;
            this.fn = fn;
        }

        @Override
        public void process(T record, Output<O> out) {
            K key = keyOf.apply(record);
            if (!table.get().rows(key).isEmpty()) {
                O result = fn.join(key, record, null);
                if (result != null) {
                    out.emit(result);
                }
            }
        }
    }

    /**
     * Applies a custom stateless operator, fused like the built-in ones.
     *
     * @param name how the operator shows in plans and errors
     * @param factory creates one operator instance per task
     * @param <R> output type
     * @return the transformed stream
     */
    public <R> Stream<R> transform(String name, Supplier<? extends Operator<T, R>> factory) {
        return new Stream<>(rivulet, new PlanNode.OperatorNode<>(name, node, factory));
    }

    /**
     * Partitions the stream by key over the engine's default number of partitions.
     *
     * @param keyFunction extracts the key; must not return {@code null}; keys need {@code equals}
     *     and {@code hashCode}
     * @param <K> key type
     * @return the keyed stream
     */
    public <K> KeyedStream<K, T> keyBy(Function<? super T, ? extends K> keyFunction) {
        return new KeyedStream<>(rivulet, node, Objects.requireNonNull(keyFunction, "keyFunction"), 0, null, eventTime);
    }

    /**
     * Partitions the stream by a named key. The name goes into the checkpoint's record of the stateful
     * plan: restarting a query on its checkpoint location with another key name is refused, naming both
     * (a key function alone has no identity a restart could compare).
     *
     * @param keyName what the key is, e.g. {@code "symbol"}
     * @param keyFunction extracts the key; must not return {@code null}
     * @param <K> key type
     * @return the keyed stream
     */
    public <K> KeyedStream<K, T> keyBy(String keyName, Function<? super T, ? extends K> keyFunction) {
        return new KeyedStream<>(rivulet, node, Objects.requireNonNull(keyFunction, "keyFunction"), 0, checkKeyName(keyName),
            eventTime);
    }

    /**
     * Partitions the stream by a named key over {@code partitions} worker threads; see
     * {@link #keyBy(String, Function)}.
     *
     * @param keyName what the key is, e.g. {@code "symbol"}
     * @param keyFunction extracts the key; must not return {@code null}
     * @param partitions how many partitions (worker threads), at least 1
     * @param <K> key type
     * @return the keyed stream
     */
    public <K> KeyedStream<K, T> keyBy(String keyName, Function<? super T, ? extends K> keyFunction, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("keyBy partitions must be >= 1, got " + partitions);
        }
        return new KeyedStream<>(rivulet, node, Objects.requireNonNull(keyFunction, "keyFunction"), partitions,
            checkKeyName(keyName), eventTime);
    }

    private static String checkKeyName(String keyName) {
        if (Objects.requireNonNull(keyName, "keyName").isBlank()) {
            throw new IllegalArgumentException("keyBy key name must not be blank");
        }
        return keyName;
    }

    /**
     * Partitions the stream by key over {@code partitions} worker threads.
     *
     * @param keyFunction extracts the key; must not return {@code null}
     * @param partitions how many partitions (worker threads), at least 1
     * @param <K> key type
     * @return the keyed stream
     */
    public <K> KeyedStream<K, T> keyBy(Function<? super T, ? extends K> keyFunction, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("keyBy partitions must be >= 1, got " + partitions);
        }
        return new KeyedStream<>(rivulet, node, Objects.requireNonNull(keyFunction, "keyFunction"), partitions, null, eventTime);
    }

    /**
     * Partitions the stream by a primitive {@code long} key over the engine's default number of
     * partitions: the {@code long} counterpart of {@link #keyBy(Function)}, whose running aggregations
     * keep {@code long} state in a primitive table and allocate nothing per record (the key is carried
     * through the exchange unboxed). A key goes to the key group, and so to the partition, of its
     * boxed {@code Long}.
     *
     * @param keyFunction extracts the key
     * @return the {@code long}-keyed stream
     */
    public LongKeyedStream<T> keyByLong(ToLongFunction<? super T> keyFunction) {
        return new LongKeyedStream<>(rivulet, node, Objects.requireNonNull(keyFunction, "keyFunction"), 0, null, eventTime);
    }

    /**
     * Partitions the stream by a named primitive {@code long} key; see {@link #keyByLong(ToLongFunction)}
     * and, for the name, {@link #keyBy(String, Function)}.
     *
     * @param keyName what the key is, e.g. {@code "accountId"}; not blank
     * @param keyFunction extracts the key
     * @return the {@code long}-keyed stream
     */
    public LongKeyedStream<T> keyByLong(String keyName, ToLongFunction<? super T> keyFunction) {
        return new LongKeyedStream<>(rivulet, node, Objects.requireNonNull(keyFunction, "keyFunction"), 0,
            checkKeyName(keyName), eventTime);
    }

    /**
     * Partitions the stream by a named primitive {@code long} key over {@code partitions} worker
     * threads; see {@link #keyByLong(String, ToLongFunction)}.
     *
     * @param keyName what the key is; not blank
     * @param keyFunction extracts the key
     * @param partitions how many partitions (worker threads), at least 1
     * @return the {@code long}-keyed stream
     */
    public LongKeyedStream<T> keyByLong(String keyName, ToLongFunction<? super T> keyFunction, int partitions) {
        checkPartitions("keyByLong", partitions);
        return new LongKeyedStream<>(rivulet, node, Objects.requireNonNull(keyFunction, "keyFunction"), partitions,
            checkKeyName(keyName), eventTime);
    }

    /**
     * Partitions the stream by a primitive {@code long} key over {@code partitions} worker threads;
     * see {@link #keyByLong(ToLongFunction)}.
     *
     * @param keyFunction extracts the key
     * @param partitions how many partitions (worker threads), at least 1
     * @return the {@code long}-keyed stream
     */
    public LongKeyedStream<T> keyByLong(ToLongFunction<? super T> keyFunction, int partitions) {
        checkPartitions("keyByLong", partitions);
        return new LongKeyedStream<>(rivulet, node, Objects.requireNonNull(keyFunction, "keyFunction"), partitions, null,
            eventTime);
    }

    private static void checkPartitions(String operation, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException(operation + " partitions must be >= 1, got " + partitions);
        }
    }

    /**
     * Drops records whose key was seen before (Spark's {@code dropDuplicates(cols)} where no column is
     * the event time): the first record of each key passes, in arrival order (within one batch or
     * epoch, the first in input order). Keys are remembered forever: the state grows with the number
     * of distinct keys; to bound it, put the event time in the key
     * ({@link #dropDuplicates(String, Function, ToLongFunction)}) or use
     * {@link #dropDuplicatesWithinWatermark}. As in Spark, when this stream comes straight from
     * {@code withWatermark} (through filters only), a record whose event time is at or behind the
     * watermark is late: dropped before the duplicate check and counted in
     * {@code numRowsDroppedByWatermark} (or sent to {@link KeyedStream#lateData}). Same as
     * {@code keyBy(keyName, key).dropDuplicates()}.
     *
     * @param keyName what the key is, e.g. {@code "id"} (see {@link #keyBy(String, Function)})
     * @param key the record's key; must not return {@code null}; {@code Long} keys are held unboxed
     * @param <K> key type
     * @return the first record of each key
     */
    public <K> Stream<T> dropDuplicates(String keyName, Function<? super T, ? extends K> key) {
        return this.<K>keyBy(keyName, key).dropDuplicates();
    }

    /**
     * Drops records whose (key, event time) was seen before (Spark's {@code dropDuplicates("id", "ts")}
     * on a column with a watermark): the state of an entry is evicted once the watermark is {@code >=}
     * its event time, and a record at or behind the watermark is late (dropped and counted, or sent to
     * {@link KeyedStream#lateData}). Without a watermark upstream nothing is ever evicted. Same as
     * {@code keyBy(keyName, key).dropDuplicates(eventTimeMs)}.
     *
     * @param keyName what the key is, without its event time, e.g. {@code "id"}
     * @param key the record's key without its event time; must not return {@code null}
     * @param eventTimeMs the record's event time, epoch ms: the rest of the key
     * @param <K> key type
     * @return the first record of each (key, event time)
     */
    public <K> Stream<T> dropDuplicates(String keyName, Function<? super T, ? extends K> key,
                                        ToLongFunction<? super T> eventTimeMs) {
        return this.<K>keyBy(keyName, key).dropDuplicates(eventTimeMs);
    }

    /**
     * Drops records whose key was seen within the watermark delay (Spark's
     * {@code dropDuplicatesWithinWatermark(cols)}): the first record of a key passes and the key is
     * remembered until the watermark reaches (that record's event time + the {@code withWatermark}
     * delay); after that the key passes again. A record at or behind the watermark is late. The event
     * time and delay are this stream's {@code withWatermark}'s, so call it on a stream that comes
     * straight from {@code withWatermark} (through filters only), or give them with
     * {@link KeyedStream#dropDuplicatesWithinWatermark(ToLongFunction, Duration)}. {@code start()}
     * rejects the query if the stream has no watermark, as Spark does.
     *
     * @param keyName what the key is, e.g. {@code "id"}
     * @param key the record's key; must not return {@code null}; {@code Long} keys are held unboxed
     * @param <K> key type
     * @return the first record of each key within the watermark delay
     */
    public <K> Stream<T> dropDuplicatesWithinWatermark(String keyName, Function<? super T, ? extends K> key) {
        return this.<K>keyBy(keyName, key).dropDuplicatesWithinWatermark();
    }

    /**
     * Merges this stream with others of the same type. Records of one input keep their order;
     * records of different inputs interleave.
     *
     * @param others the other streams, of the same engine
     * @return the merged stream
     */
    @SafeVarargs
    public final Stream<T> union(Stream<T>... others) {
        List<PlanNode<T>> inputs = new ArrayList<>();
        inputs.add(node);
        for (Stream<T> other : others) {
            Objects.requireNonNull(other, "stream");
            if (other.rivulet != rivulet) {
                throw new IllegalArgumentException("cannot union streams of different Rivulet engines");
            }
            inputs.add(other.node);
        }
        if (inputs.size() < 2) {
            throw new IllegalArgumentException("union needs at least one other stream");
        }
        return new Stream<>(rivulet, new PlanNode.UnionNode<>(inputs));
    }

    /**
     * This stream as Spark Streaming's DStream: a sequence of batches of {@code batchInterval}, the
     * query's micro-batch trigger interval ({@link DStream#writeStream} sets
     * {@code Trigger.processingTime(batchInterval)}, and {@code start()} rejects another trigger). The
     * DStream operations ({@code reduceByKey}, {@code reduceByKeyAndWindow}, {@code updateStateByKey},
     * {@code mapWithState}, ...) are on the result; see {@code docs/dstreams.md}.
     *
     * @param batchInterval the batch interval: whole milliseconds, from 1 ms to 1 day
     * @return the DStream
     * @throws IllegalArgumentException if the interval is out of range or not whole milliseconds
     */
    public DStream<T> batches(Duration batchInterval) {
        Objects.requireNonNull(batchInterval, "batchInterval");
        if (batchInterval.compareTo(Duration.ofMillis(1)) < 0 || batchInterval.compareTo(Duration.ofDays(1)) > 0
            || !Duration.ofMillis(batchInterval.toMillis()).equals(batchInterval)) {
            throw new IllegalArgumentException("batchInterval must be whole milliseconds between 1 ms and 1 day, got "
                + batchInterval);
        }
        return new DStream<>(this, batchInterval, batchInterval);
    }

    /**
     * Starts describing a query that writes this stream to {@code sink}; {@code start()} runs it.
     *
     * @param sink the sink
     * @return the writer
     */
    public DataStreamWriter<T> writeStream(Sink<? super T> sink) {
        return new DataStreamWriter<>(rivulet, node, Objects.requireNonNull(sink, "sink"));
    }

    PlanNode<T> node() {
        return node;
    }

    Rivulet rivulet() {
        return rivulet;
    }

    @Override
    public String toString() {
        return "Stream[" + node.description() + "]";
    }
}
