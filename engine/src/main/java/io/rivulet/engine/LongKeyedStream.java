package io.rivulet.engine;

import io.rivulet.engine.internal.LongKeyFunction;
import io.rivulet.engine.internal.OperatorContext;
import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.sink.Sink;
import io.rivulet.operators.LongKeyValue;
import io.rivulet.operators.TwoInputLongKeyedOperator;
import io.rivulet.operators.function.LongFoldFunction;
import io.rivulet.operators.join.JoinRowLayout;
import io.rivulet.operators.join.JoinSettings;
import io.rivulet.operators.join.JoinTimeRange;
import io.rivulet.operators.join.JoinType;
import io.rivulet.operators.join.LongJoinFunction;
import io.rivulet.operators.join.StreamStreamJoinOperator;
import io.rivulet.operators.join.StreamStreamLongJoinOperator;
import io.rivulet.operators.keyed.EmitPolicy;
import io.rivulet.operators.keyed.LongKeyedAggregateOperator;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A stream partitioned by a primitive {@code long} key ({@link Stream#keyByLong}): every record of
 * one key goes to the same partition, in order, where a running aggregation keeps the key's
 * {@code long} state, or a stream-stream join ({@link #join}) buffers the key's rows. The primitive counterpart of {@link KeyedStream}'s running aggregations
 * ({@code count}, {@code aggregate}, {@code reduce}): the key travels through the exchange unboxed and
 * the state lives in a primitive table, so no record allocates (under {@link EmitPolicy#ON_EPOCH};
 * {@link EmitPolicy#EVERY_RECORD} allocates its output, one {@link LongKeyValue} per record). Checkpoints,
 * restore into another partition count, queryable state ({@link Stream#queryableAs}, read with a
 * {@code Long} key) and the emit policies behave as the boxed ones, except that {@link EmitPolicy#ON_EPOCH}
 * emits an epoch's changed keys in an unspecified order (not first-change order); in micro-batch mode and in complete
 * output mode the policy is chosen by the query, as for {@link KeyedStream#aggregate}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <T> record type
 */
public final class LongKeyedStream<T> {
    private final Rivulet rivulet;
    private final PlanNode<T> input;
    private final LongKeyFunction<T> keyFunction;
    private final int partitions;
    private final RecordCopier<T> copier;
    /** What the key is, for the checkpoint's stateful plan, or {@code null} when the user did not say. */
    private final String keyName;
    /** The {@code withWatermark} whose records these are, unchanged, or {@code null}. */
    private final PlanNode.WatermarkNode<T> eventTime;
    /** Where a join's late rows of this side go, or {@code null} to drop them. */
    private final Sink<? super T> lateSink;

    LongKeyedStream(Rivulet rivulet, PlanNode<T> input, ToLongFunction<? super T> keyFunction, int partitions,
                    String keyName, PlanNode.WatermarkNode<T> eventTime) {
        this(rivulet, input, new LongKeyFunction<>(keyFunction), partitions, null, keyName, eventTime, null);
    }

    private LongKeyedStream(Rivulet rivulet, PlanNode<T> input, LongKeyFunction<T> keyFunction, int partitions,
                            RecordCopier<T> copier, String keyName, PlanNode.WatermarkNode<T> eventTime,
                            Sink<? super T> lateSink) {
        this.rivulet = rivulet;
        this.input = input;
        this.keyFunction = keyFunction;
        this.partitions = partitions;
        this.copier = copier;
        this.keyName = keyName;
        this.eventTime = eventTime;
        this.lateSink = lateSink;
    }

    /**
     * Copies records into the exchange's pre-allocated ring slots instead of passing references, so a
     * source may reuse one record instance for every event; see {@link KeyedStream#copyingRecords}.
     *
     * @param copier creates and copies records
     * @return a copy of this stream that copies records across the exchange
     */
    public LongKeyedStream<T> copyingRecords(RecordCopier<T> copier) {
        return new LongKeyedStream<>(rivulet, input, keyFunction, partitions, Objects.requireNonNull(copier, "copier"),
            keyName, eventTime, lateSink);
    }

    /**
     * Sends the rows a {@link #join} drops as late on this side to a sink instead of dropping them, as
     * {@link KeyedStream#lateData} does (both sides may name one sink); the running aggregations drop no
     * record as late and ignore it. With {@link #copyingRecords}, each late row is sent as a copy.
     *
     * @param sink where late rows go
     * @return a copy of this stream with the late-data sink
     */
    public LongKeyedStream<T> lateData(Sink<? super T> sink) {
        return new LongKeyedStream<>(rivulet, input, keyFunction, partitions, copier, keyName, eventTime,
            Objects.requireNonNull(sink, "sink"));
    }

    /**
     * Running count per key, emitting {@code (key, count)} after every record.
     *
     * @return the stream of counts
     */
    public Stream<LongKeyValue> count() {
        return count(EmitPolicy.EVERY_RECORD);
    }

    /**
     * Running count per key.
     *
     * @param emitPolicy after every record, once per changed key per epoch, or every key per epoch
     * @return the stream of counts
     */
    public Stream<LongKeyValue> count(EmitPolicy emitPolicy) {
        Objects.requireNonNull(emitPolicy, "emitPolicy");
        return aggregation("count", context -> LongKeyedAggregateOperator.<T>count(KeyedStream.emitPolicyFor(context, emitPolicy),
            context.maxParallelism(), context.keyGroups()));
    }

    /**
     * Running {@code long} sum per key, emitting {@code (key, sum)} after every record.
     *
     * @param value the value of a record; its throw goes to the query's {@link ErrorPolicy}
     * @return the stream of sums (overflow wraps, as {@code long} addition)
     */
    public Stream<LongKeyValue> sum(ToLongFunction<? super T> value) {
        return sum(value, EmitPolicy.EVERY_RECORD);
    }

    /**
     * Running {@code long} sum per key.
     *
     * @param value the value of a record
     * @param emitPolicy after every record, once per changed key per epoch, or every key per epoch
     * @return the stream of sums (overflow wraps, as {@code long} addition)
     */
    public Stream<LongKeyValue> sum(ToLongFunction<? super T> value, EmitPolicy emitPolicy) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(emitPolicy, "emitPolicy");
        return aggregation("sum", context -> LongKeyedAggregateOperator.<T>sum(value, KeyedStream.emitPolicyFor(context, emitPolicy),
            context.maxParallelism(), context.keyGroups()));
    }

    /**
     * Running fold of each key's records into a {@code long} state (a maximum, a bit set, a
     * checksum), emitting {@code (key, state)} after every record.
     *
     * @param initial a key's state before its first record
     * @param fn folds a record into the state; its throw goes to the query's {@link ErrorPolicy}
     * @return the stream of states
     */
    public Stream<LongKeyValue> aggregateLong(long initial, LongFoldFunction<? super T> fn) {
        return aggregateLong(initial, fn, EmitPolicy.EVERY_RECORD);
    }

    /**
     * Running fold of each key's records into a {@code long} state.
     *
     * @param initial a key's state before its first record
     * @param fn folds a record into the state
     * @param emitPolicy after every record, once per changed key per epoch, or every key per epoch
     * @return the stream of states
     */
    public Stream<LongKeyValue> aggregateLong(long initial, LongFoldFunction<? super T> fn, EmitPolicy emitPolicy) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(emitPolicy, "emitPolicy");
        return aggregation("aggregateLong", context -> new LongKeyedAggregateOperator<T>(initial, fn,
            KeyedStream.emitPolicyFor(context, emitPolicy), context.maxParallelism(), context.keyGroups()));
    }

    /**
     * The stream-stream join on the {@code long} key without a time range:
     * {@link #join(LongKeyedStream, JoinOptions, LongJoinFunction)} with {@code JoinOptions.of(type)}. Only an
     * inner join runs without a time range (start() rejects the others, as Spark does), and it keeps every
     * row forever (the query logs a warning at start).
     *
     * @param right the right input, keyed by {@code long} ({@link Stream#keyByLong}), from the same engine
     * @param type the join type
     * @param fn builds each output row from the key and the two rows
     * @param <R> right row type
     * @param <O> output type
     * @return the joined rows
     */
    public <R, O> Stream<O> join(LongKeyedStream<R> right, JoinType type, LongJoinFunction<T, R, O> fn) {
        return join(right, JoinOptions.of(type), fn);
    }

    /**
     * The long-key stream-stream join: {@link KeyedStream#join(KeyedStream, JoinOptions,
     * io.rivulet.operators.join.JoinFunction)} on this stream's {@code long} key (the left input) and
     * {@code right}'s, with the same results in both modes, the same state, eviction, late rows (per side,
     * to each side's {@link #lateData} sink), state budget, per-side figures in progress (the operator
     * shows as {@code symmetricHashJoin}), checkpoints and rules checked by {@code start()} (append mode
     * only; outer and semi joins need a time range and Spark's watermarks, see docs/joins.md; a join that
     * cannot evict starts with a warning). The keys travel through both exchanges unboxed, and the
     * function gets the key as a {@code long}.
     *
     * <p><b>Rows.</b> A side's rows are kept by reference, unless the options give that side a
     * {@link JoinOptions#withRowLayouts row layout}: then they are stored as {@code long} columns and
     * the side's input may use {@link #copyingRecords} (rejected here for a side without a layout).
     *
     * <p><b>Restart.</b> The long-key join's checkpointed state is not the boxed join's: a restart that
     * switches the stage between {@code keyBy(..).join} and {@code keyByLong(..).join} is refused by
     * the checkpoint's plan check ({@code start()} throws, naming the stage).
     *
     * @param right the right input, keyed by {@code long} ({@link Stream#keyByLong}), from the same engine
     * @param options join type, time range, event times, state budget, codecs, row layouts
     * @param fn builds each output row; called on the partition's thread; must not mutate the rows (with a
     *     row layout, they are reused instances valid only during the call); a {@code null} result emits
     *     nothing; a throw goes to the query's {@link ErrorPolicy}
     * @param <R> right row type
     * @param <O> output type
     * @return the joined rows
     * @throws IllegalArgumentException if the inputs come from two engines, are the same stream, name
     *     different partition counts, or a side copies records without a row layout
     */
    public <R, O> Stream<O> join(LongKeyedStream<R> right, JoinOptions<T, R> options, LongJoinFunction<T, R, O> fn) {
        Objects.requireNonNull(right, "right");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(fn, "fn");
        if (rivulet != right.rivulet) {
            throw new IllegalArgumentException("cannot join streams of different Rivulet engines: both inputs of a"
                + " two-input stage must come from the same engine");
        }
        if (input == right.input) {
            throw new IllegalArgumentException("cannot join a stream with itself: a stream can be consumed once per"
                + " query (read the source twice for a self-join)");
        }
        if (partitions > 0 && right.partitions > 0 && partitions != right.partitions) {
            throw new IllegalArgumentException("partitions: the left input is keyed over " + partitions
                + " partitions and the right over " + right.partitions + "; a two-input stage has one partition"
                + " count (equal keys of both sides meet in one partition), so name the same count or only one");
        }
        rejectCopierWithoutLayout(copier, options.leftLayout(), "left");
        rejectCopierWithoutLayout(right.copier, options.rightLayout(), "right");
        ConnectedStreams.JoinSetup<Long, T, R> setup = ConnectedStreams.JoinSetup.of(options,
            eventTime == null ? null : eventTime.eventTimeMs(), right.eventTime == null ? null : right.eventTime.eventTimeMs(),
            input, right.input);
        Function<OperatorContext, TwoInputLongKeyedOperator<T, R, O>> factory =
            context -> longJoinOperator(fn, setup.settings(context));
        PlanNode.JoinInfo info = setup.info();
        return new Stream<>(rivulet, new PlanNode.CoKeyedNode<Long, T, R, O>(StreamStreamJoinOperator.NAME, info, input,
            keyFunction, right.input, right.keyFunction, Math.max(partitions, right.partitions), lateSink, right.lateSink,
            copier, right.copier, keyName, right.keyName, factory));
    }

    /**
     * The one place the long-key join's operator is made, one per partition when the query starts.
     *
     * @param fn builds each output row
     * @param settings the partition's join settings
     * @return the operator
     */
    static <L, R, O> TwoInputLongKeyedOperator<L, R, O> longJoinOperator(LongJoinFunction<L, R, O> fn,
                                                                         JoinSettings<Long, L, R> settings) {
        return StreamStreamLongJoinOperator.of(fn, settings);
    }

    /**
     * A side without a row layout is kept by reference; the exchange reuses the instance a copier fills,
     * so a buffered row would change under the join.
     */
    private static void rejectCopierWithoutLayout(RecordCopier<?> copier, JoinRowLayout<?> layout, String side) {
        if (copier != null && layout == null) {
            throw new IllegalArgumentException("join: the " + side + " input copies records (copyingRecords) but has no"
                + " row layout, so the join would keep its rows by reference while the exchange reuses a copied record's"
                + " instance; give the side a JoinRowLayout (JoinOptions.withRowLayouts), or remove copyingRecords");
        }
    }

    private Stream<LongKeyValue> aggregation(String operation,
                                             Function<OperatorContext, LongKeyedAggregateOperator<T>> factory) {
        String description = operation + "(" + (keyName == null ? "key" : keyName) + ": long)";
        return new Stream<>(rivulet, new PlanNode.KeyedNode<Long, T, LongKeyValue>(description, PlanNode.KeyedKind.AGGREGATION,
            input, keyFunction, partitions, null, copier, Map.of(), keyName, factory));
    }

    @Override
    public String toString() {
        return "LongKeyedStream(" + (keyName == null ? "key" : keyName) + ")";
    }
}
