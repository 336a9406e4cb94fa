package io.rivulet.engine;

import io.rivulet.engine.internal.OperatorContext;
import io.rivulet.engine.internal.Options;
import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.sink.Sink;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.dedup.DeduplicateOperator;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.function.ReduceFunction;
import io.rivulet.operators.groupstate.FlatMapGroupsWithStateFunction;
import io.rivulet.operators.groupstate.GroupStateOperator;
import io.rivulet.operators.groupstate.GroupStateSettings;
import io.rivulet.operators.groupstate.GroupStateTimeout;
import io.rivulet.operators.groupstate.MapGroupsWithStateFunction;
import io.rivulet.operators.keyed.EmitPolicy;
import io.rivulet.operators.join.JoinFunction;
import io.rivulet.operators.join.JoinType;
import io.rivulet.operators.keyed.KeyedAggregateOperator;
import io.rivulet.operators.keyed.KeyedReduceOperator;
import io.rivulet.operators.process.KeyedProcessFunction;
import io.rivulet.operators.process.KeyedProcessOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.process.OutputTag;
import io.rivulet.operators.process.SideOutputs;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.topn.RankedValue;
import io.rivulet.operators.window.Window;
import io.rivulet.operators.window.WindowAssigner;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * A stream partitioned by key: every record of one key goes to the same partition, in order, where a
 * keyed operator holds that key's state.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <K> key type
 * @param <T> record type
 */
public final class KeyedStream<K, T> {
    private final Rivulet rivulet;
    private final PlanNode<T> input;
    private final Function<? super T, ? extends K> keyFunction;
    private final int partitions;
    private final RecordCopier<T> copier;
    /** What the key is, for the checkpoint's stateful plan, or {@code null} when the user did not say. */
    private final String keyName;
    /** The {@code withWatermark} whose records these are, unchanged, or {@code null} (see {@code Stream}). */
    private final PlanNode.WatermarkNode<T> eventTime;
    /** Where the next operator's late records go, or {@code null} to drop them. */
    private final Sink<? super T> lateSink;

    KeyedStream(Rivulet rivulet, PlanNode<T> input, Function<? super T, ? extends K> keyFunction, int partitions,
                String keyName, PlanNode.WatermarkNode<T> eventTime) {
        this(rivulet, input, keyFunction, partitions, null, keyName, eventTime, null);
    }

    private KeyedStream(Rivulet rivulet, PlanNode<T> input, Function<? super T, ? extends K> keyFunction, int partitions,
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
     * Copies records into the exchange's pre-allocated ring slots instead of passing references, so
     * that a source may reuse one record instance for every event (no allocation per record). See
     * {@link RecordCopier} for what the keyed operator may then not do.
     *
     * @param copier creates and copies records
     * @return a copy of this keyed stream that copies records across the exchange
     */
    public KeyedStream<K, T> copyingRecords(RecordCopier<T> copier) {
        return new KeyedStream<>(rivulet, input, keyFunction, partitions, Objects.requireNonNull(copier, "copier"), keyName,
            eventTime, lateSink);
    }

    /**
     * Sends the records the next operator drops as late (deduplication; windows and sessions, unless
     * their {@link WindowedStream#lateData} names another sink) to a sink instead of dropping them
     * (Spark has no such option). Each late record is written once, on its partition's thread; the
     * sink commits with the query's epochs. Late records are counted in progress either way.
     *
     * @param sink where late records go
     * @return a copy of this keyed stream with the late-data sink
     */
    public KeyedStream<K, T> lateData(Sink<? super T> sink) {
        return new KeyedStream<>(rivulet, input, keyFunction, partitions, copier, keyName, eventTime,
            Objects.requireNonNull(sink, "sink"));
    }

    /**
     * Drops records whose key was seen before (Spark's {@code dropDuplicates(cols)} where no column is
     * the event time); see {@link Stream#dropDuplicates(String, Function)}. Keys are remembered
     * forever; if this stream comes straight from {@code withWatermark} (through filters only), records
     * at or behind the watermark are late (dropped and counted before the duplicate check, or sent to
     * {@link #lateData}).
     *
     * @return the first record of each key
     */
    public Stream<T> dropDuplicates() {
        ToLongFunction<? super T> lateness = eventTime == null ? null : eventTime.eventTimeMs();
        return new Stream<>(rivulet, dedupNode("dropDuplicates", PlanNode.KeyedKind.DEDUPLICATION,
            context -> DeduplicateOperator.<K, T>keepForever(lateness, late(context), null, context.maxParallelism(),
                context.keyGroups())), eventTime);
    }

    /**
     * Drops records whose (key, event time) was seen before (Spark's {@code dropDuplicates("id", "ts")}
     * with {@code ts} watermarked); see {@link Stream#dropDuplicates(String, Function, ToLongFunction)}.
     * An entry is evicted once the watermark is {@code >=} its event time; records at or behind the
     * watermark are late.
     *
     * @param eventTimeMs the record's event time, epoch ms: the part of the key that is event time
     * @return the first record of each (key, event time)
     */
    public Stream<T> dropDuplicates(ToLongFunction<? super T> eventTimeMs) {
        Objects.requireNonNull(eventTimeMs, "eventTimeMs");
        return new Stream<>(rivulet, dedupNode("dropDuplicatesWithEventTime", PlanNode.KeyedKind.DEDUPLICATION,
            context -> DeduplicateOperator.<K, T>eventTimeInKey(eventTimeMs, late(context), null, context.maxParallelism(),
                context.keyGroups())), eventTime);
    }

    /**
     * Drops records whose key was seen within the watermark delay (Spark's
     * {@code dropDuplicatesWithinWatermark(cols)}), with the event time and delay of the
     * {@code withWatermark} this stream comes straight from; see
     * {@link Stream#dropDuplicatesWithinWatermark(String, Function)}. {@code start()} rejects the
     * query when the stream has no watermark, or when this stream's records are not that
     * {@code withWatermark}'s (then give the event time and delay with
     * {@link #dropDuplicatesWithinWatermark(ToLongFunction, Duration)}).
     *
     * @return the first record of each key within the watermark delay
     */
    public Stream<T> dropDuplicatesWithinWatermark() {
        if (eventTime == null) {
            // Rejected at start (QueryValidator), as Spark does: no watermark, or no event time known here.
            return new Stream<>(rivulet, dedupNode("dropDuplicatesWithinWatermark",
                PlanNode.KeyedKind.DEDUPLICATION_WITHIN_WATERMARK_NO_EVENT_TIME, context -> {
                    throw new IllegalStateException("dropDuplicatesWithinWatermark without an event time was not rejected");
                }), null);
        }
        return dropDuplicatesWithinWatermark(eventTime.eventTimeMs(), eventTime.strategy().delay(), eventTime);
    }

    /**
     * Drops records whose key was seen within {@code delay} of event time (Spark's
     * {@code dropDuplicatesWithinWatermark(cols)}): the first record of a key passes, and the key is
     * remembered until the watermark reaches that record's event time + {@code delay}; then it
     * passes again. Records at or behind the watermark are late. {@code start()} rejects the query
     * if there is no {@code withWatermark} upstream.
     *
     * @param eventTimeMs the record's event time, epoch ms
     * @param delay how long of event time a key is remembered after its first record: the
     *     {@code withWatermark} delay, as Spark uses; zero or positive
     * @return the first record of each key within the delay
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public Stream<T> dropDuplicatesWithinWatermark(ToLongFunction<? super T> eventTimeMs, Duration delay) {
        Objects.requireNonNull(eventTimeMs, "eventTimeMs");
        if (Objects.requireNonNull(delay, "delay").isNegative()) {
            throw new IllegalArgumentException("dropDuplicatesWithinWatermark delay must be >= 0, got " + delay);
        }
        return dropDuplicatesWithinWatermark(eventTimeMs, delay, eventTime);
    }

    private Stream<T> dropDuplicatesWithinWatermark(ToLongFunction<? super T> eventTimeMs, Duration delay,
                                                    PlanNode.WatermarkNode<T> kept) {
        long delayMs = delay.toMillis();
        return new Stream<>(rivulet, dedupNode("dropDuplicatesWithinWatermark", PlanNode.KeyedKind.DEDUPLICATION_WITHIN_WATERMARK,
            context -> DeduplicateOperator.<K, T>withinWatermark(eventTimeMs, delayMs, late(context), null,
                context.maxParallelism(), context.keyGroups())), kept);
    }

    private PlanNode.KeyedNode<K, T, T> dedupNode(String operation, PlanNode.KeyedKind kind,
                                                  Function<OperatorContext, ? extends KeyedOperator<K, T, T>> factory) {
        String description = operation + "(" + (keyName == null ? "key" : keyName) + ")";
        return new PlanNode.KeyedNode<>(description, kind, input, keyFunction, partitions, lateSink, copier, Map.of(),
            keyName, factory);
    }

    @SuppressWarnings("unchecked")
    private static <T> Output<? super T> late(OperatorContext context) {
        return (Output<? super T>) (Output<?>) context.lateOutput();
    }

    /**
     * Running reduce per key, emitting the reduced value after every record.
     *
     * @param fn combines the reduced value with the next record; a throw on a record goes to the query's {@link ErrorPolicy} (by default it fails the query)
     * @return the stream of reduced values
     */
    public Stream<T> reduce(ReduceFunction<T> fn) {
        return reduce(fn, EmitPolicy.EVERY_RECORD);
    }

    /**
     * Running reduce per key.
     *
     * @param fn combines the reduced value with the next record
     * @param emitPolicy after every record, or once per changed key per epoch
     * @return the stream of reduced values
     */
    public Stream<T> reduce(ReduceFunction<T> fn, EmitPolicy emitPolicy) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(emitPolicy, "emitPolicy");
        return keyed("reduce", PlanNode.KeyedKind.AGGREGATION,
            context -> new KeyedReduceOperator<K, T>(fn, emitPolicyFor(context, emitPolicy), null, null,
                context.maxParallelism(), context.keyGroups()));
    }

    /**
     * Running aggregate per key, emitting {@code (key, result)} after every record.
     *
     * @param fn the aggregate
     * @param <A> accumulator type
     * @param <R> result type
     * @return the stream of per-key results
     */
    public <A, R> Stream<KeyValue<K, R>> aggregate(AggregateFunction<? super T, A, R> fn) {
        return aggregate(fn, EmitPolicy.EVERY_RECORD);
    }

    /**
     * Running aggregate per key.
     *
     * @param fn the aggregate
     * @param emitPolicy after every record, or once per changed key per epoch
     * @param <A> accumulator type
     * @param <R> result type
     * @return the stream of per-key results
     */
    public <A, R> Stream<KeyValue<K, R>> aggregate(AggregateFunction<? super T, A, R> fn, EmitPolicy emitPolicy) {
        return aggregate(fn, emitPolicy, null);
    }

    /**
     * Running aggregate per key, checkpointing the accumulators with a codec of their own (for accumulators the
     * default {@link StateCodecs#dynamic()} cannot write, such as a sketch).
     *
     * @param fn the aggregate
     * @param emitPolicy after every record, or once per changed key per epoch
     * @param accumulatorCodec writes, reads and copies the accumulators; {@code null} for the default codec
     * @param <A> accumulator type
     * @param <R> result type
     * @return the stream of per-key results
     */
    public <A, R> Stream<KeyValue<K, R>> aggregate(AggregateFunction<? super T, A, R> fn, EmitPolicy emitPolicy,
                                                   StateCodec<A> accumulatorCodec) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(emitPolicy, "emitPolicy");
        return keyed("aggregate", PlanNode.KeyedKind.AGGREGATION,
            context -> new KeyedAggregateOperator<K, T, A, R>(fn, emitPolicyFor(context, emitPolicy), null,
                accumulatorCodec, context.maxParallelism(), context.keyGroups()));
    }

    /**
     * The {@code n} keys with the greatest running aggregate (the "top 10 most traded stocks,
     * running"): a running {@link #aggregate} per key, then a running top-N over the keys' latest
     * results ({@link Stream#topN}); emits the ranks whose key or value changed, per record in
     * continuous mode, once per batch in micro-batch mode. The ranking stage runs in one partition;
     * run the query in update mode.
     *
     * @param n how many ranks, at least 1
     * @param fn the aggregate
     * @param order orders results; the greatest ranks first
     * @param ties orders keys with equal results, or {@code null}: the key that reached its result first wins
     * @param <A> accumulator type
     * @param <R> result type
     * @return the changed ranks ({@link RankedValue} with no window)
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public <A, R> Stream<RankedValue<K, R>> topN(int n, AggregateFunction<? super T, A, R> fn, Comparator<? super R> order,
                                                 Comparator<? super K> ties) {
        return aggregate(fn).runningTopN(n, order, ties);
    }

    /**
     * Running count per key, emitting {@code (key, count)} after every record.
     *
     * @return the stream of counts
     */
    public Stream<KeyValue<K, Long>> count() {
        return aggregate(Aggregates.<T>count());
    }

    /**
     * Running count per key.
     *
     * @param emitPolicy after every record, or once per changed key per epoch
     * @return the stream of counts
     */
    public Stream<KeyValue<K, Long>> count(EmitPolicy emitPolicy) {
        return aggregate(Aggregates.<T>count(), emitPolicy);
    }

    /**
     * Runs a keyed process function (Flink's {@code KeyedProcessFunction}, Spark 4's
     * {@code transformWithState}): per record and per fired timer, with the key's state handles
     * ({@code ValueState}, {@code ListState}, {@code MapState}, optional TTL), event- and
     * processing-time timers and the current watermark. The state lives in the engine's state store:
     * with a checkpoint location it is saved at every epoch and restored on restart (into any
     * partition count). Processing time comes from the query's clock, passed in once per duty cycle
     * (or per batch). Records the function sends with {@code ctx.output(tag, x)} go to the sink its
     * {@link SideOutput} names (committed with the query's epochs); a tag without one fails the query,
     * naming the tag.
     *
     * @param name how the operator shows in plans and errors
     * @param function makes the user function, one instance per partition
     * @param sideOutputs where the function's side outputs go, by tag
     * @param <R> output type
     * @return the function's output
     */
    public <R> Stream<R> transformWithState(String name, Supplier<? extends KeyedProcessFunction<K, T, R>> function,
                                            SideOutput<?>... sideOutputs) {
        Objects.requireNonNull(function, "function");
        Map<String, Sink<?>> sides = new LinkedHashMap<>();
        for (SideOutput<?> side : sideOutputs) {
            if (sides.put(side.tag().name(), side.sink()) != null) {
                throw new IllegalArgumentException("side output '" + side.tag().name() + "' is routed twice in '" + name + "'");
            }
        }
        return new Stream<>(rivulet, new PlanNode.KeyedNode<>(name, PlanNode.KeyedKind.STATEFUL, input, keyFunction,
            partitions, null, copier, sides, keyName, context -> new KeyedProcessOperator<K, T, R>(function.get(),
                StateCodecs.dynamic(), context.maxParallelism(), context.keyGroups(), sideOutputsOf(context))));
    }

    /**
     * Spark's {@code mapGroupsWithState}: calls {@code fn} with a key, the key's new values and its
     * {@link io.rivulet.operators.groupstate.GroupState}, and emits the one record it returns. In
     * micro-batch mode a key's values of one batch come in one call, at the batch's end (keys in the
     * order they first arrived), then keys whose timeout passed are called with no values and
     * {@code hasTimedOut()}; in continuous mode each record is a call of its own and timeouts fire as
     * the watermark or processing time passes them. Rows at or behind the watermark never reach
     * {@code fn} (counted in progress as {@code numRowsDroppedByWatermark}). State and timeouts live in
     * the engine's state store: checkpointed per key group, restored on restart into any partition
     * count. Spark's rule, checked at start: the query runs in update mode. Shows in progress as
     * {@code flatMapGroupsWithState}, as in Spark.
     *
     * @param timeout the timeout kind (event time needs {@code withWatermark} upstream, checked at start)
     * @param fn the user function; a throw fails the query; a {@code null} result fails the query,
     *     naming the key (a stream carries no null records; Spark would emit a null row)
     * @param <S> state type, checkpointed with {@link StateCodecs#dynamic()}
     * @param <R> output type
     * @return the function's results
     */
    public <S, R> Stream<R> mapGroupsWithState(GroupStateTimeout timeout, MapGroupsWithStateFunction<K, T, S, R> fn) {
        return mapGroupsWithState(GroupStateOptions.of(timeout), fn);
    }

    /**
     * {@link #mapGroupsWithState(GroupStateTimeout, MapGroupsWithStateFunction)} with options: a state
     * codec, the rows' event time, a late-data sink.
     *
     * @param options the timeout kind and the rest
     * @param fn the user function; a throw fails the query; a {@code null} result fails the query,
     *     naming the key (a stream carries no null records; Spark would emit a null row)
     * @param <S> state type
     * @param <R> output type
     * @return the function's results
     */
    public <S, R> Stream<R> mapGroupsWithState(GroupStateOptions<T, S> options, MapGroupsWithStateFunction<K, T, S, R> fn) {
        return mapGroupsWithState(options, null, fn);
    }

    /**
     * Spark's {@code mapGroupsWithState(func, timeout, initialState)}: as
     * {@link #mapGroupsWithState(GroupStateOptions, MapGroupsWithStateFunction)}, each key of
     * {@code initialState} starting with that state value. The initial state is applied once, before
     * the first batch, and every key of it is called then: in micro-batch mode at the first batch's
     * end, a key with data in that batch with its values (its state already the initial one), a key
     * without data with no values ({@code hasTimedOut()} false); in continuous mode every key of it is
     * called with no values before the first record. No timeout is set for them. A restarted query
     * restores its state from the checkpoint and does not apply the initial state again (unless the
     * checkpoint was taken before it was applied). Values are copied with the state codec.
     *
     * @param options the timeout kind and the rest
     * @param initialState key to initial state value, copied now; {@code null} or empty for none
     * @param fn the user function; a throw fails the query; a {@code null} result fails the query,
     *     naming the key
     * @param <S> state type
     * @param <R> output type
     * @return the function's results
     * @throws IllegalArgumentException if a key or value of {@code initialState} is {@code null}
     */
    public <S, R> Stream<R> mapGroupsWithState(GroupStateOptions<T, S> options, Map<? extends K, ? extends S> initialState,
                                               MapGroupsWithStateFunction<K, T, S, R> fn) {
        Objects.requireNonNull(fn, "fn");
        return groupState(true, OutputMode.UPDATE, options, initialState,
            settings -> GroupStateOperator.mapGroups(fn, settings));
    }

    /**
     * Spark's {@code flatMapGroupsWithState}: as {@link #mapGroupsWithState(GroupStateTimeout,
     * MapGroupsWithStateFunction)}, but {@code fn} returns any number of records. Spark's rules,
     * checked at start: without an aggregation in the query, {@code outputMode} must be the query's
     * output mode; with one, it must be append (and the aggregation comes after this operation).
     *
     * @param outputMode this operation's own output mode, {@link OutputMode#APPEND} or {@link OutputMode#UPDATE}
     * @param timeout the timeout kind (event time needs {@code withWatermark} upstream, checked at start)
     * @param fn the user function; a throw fails the query
     * @param <S> state type, checkpointed with {@link StateCodecs#dynamic()}
     * @param <R> output type
     * @return the function's results
     * @throws IllegalArgumentException if {@code outputMode} is complete (Spark: "The output mode of
     *     function should be append or update")
     */
    public <S, R> Stream<R> flatMapGroupsWithState(OutputMode outputMode, GroupStateTimeout timeout,
                                                   FlatMapGroupsWithStateFunction<K, T, S, R> fn) {
        return flatMapGroupsWithState(outputMode, GroupStateOptions.of(timeout), fn);
    }

    /**
     * {@link #flatMapGroupsWithState(OutputMode, GroupStateTimeout, FlatMapGroupsWithStateFunction)}
     * with options: a state codec, the rows' event time, a late-data sink.
     *
     * @param outputMode this operation's own output mode, {@link OutputMode#APPEND} or {@link OutputMode#UPDATE}
     * @param options the timeout kind and the rest
     * @param fn the user function; a throw fails the query
     * @param <S> state type
     * @param <R> output type
     * @return the function's results
     * @throws IllegalArgumentException if {@code outputMode} is complete
     */
    public <S, R> Stream<R> flatMapGroupsWithState(OutputMode outputMode, GroupStateOptions<T, S> options,
                                                   FlatMapGroupsWithStateFunction<K, T, S, R> fn) {
        return flatMapGroupsWithState(outputMode, options, null, fn);
    }

    /**
     * Spark's {@code flatMapGroupsWithState(outputMode, timeout, initialState)(func)}: as
     * {@link #flatMapGroupsWithState(OutputMode, GroupStateOptions, FlatMapGroupsWithStateFunction)},
     * each key of {@code initialState} starting with that state value, applied as
     * {@link #mapGroupsWithState(GroupStateOptions, Map, MapGroupsWithStateFunction)} applies it.
     *
     * @param outputMode this operation's own output mode, {@link OutputMode#APPEND} or {@link OutputMode#UPDATE}
     * @param options the timeout kind and the rest
     * @param initialState key to initial state value, copied now; {@code null} or empty for none
     * @param fn the user function; a throw fails the query; a {@code null} element fails the query
     * @param <S> state type
     * @param <R> output type
     * @return the function's results
     * @throws IllegalArgumentException if {@code outputMode} is complete, or a key or value of
     *     {@code initialState} is {@code null}
     */
    public <S, R> Stream<R> flatMapGroupsWithState(OutputMode outputMode, GroupStateOptions<T, S> options,
                                                   Map<? extends K, ? extends S> initialState,
                                                   FlatMapGroupsWithStateFunction<K, T, S, R> fn) {
        Objects.requireNonNull(outputMode, "outputMode");
        Objects.requireNonNull(fn, "fn");
        if (outputMode == OutputMode.COMPLETE) {
            throw new IllegalArgumentException("The output mode of function should be append or update, got outputMode "
                + "complete: flatMapGroupsWithState has no result table to re-emit");
        }
        return groupState(false, outputMode, options, initialState,
            settings -> GroupStateOperator.flatMapGroups(fn, settings));
    }

    private <S, R> Stream<R> groupState(boolean mapGroups, OutputMode outputMode, GroupStateOptions<T, S> options,
                                        Map<? extends K, ? extends S> initialState,
                                        Function<GroupStateSettings<K, T, S>, GroupStateOperator<K, T, S, R>> create) {
        Objects.requireNonNull(options, "options");
        Map<K, S> initial = GroupStateSettings.checkInitialState(initialState);
        ToLongFunction<? super T> eventTimeMs = options.eventTimeMs();
        if (eventTimeMs == null && eventTime != null) {
            eventTimeMs = eventTime.eventTimeMs();
        }
        ToLongFunction<? super T> lateRows = eventTimeMs;
        boolean watermarkPresent = watermarkUpstream(input);
        PlanNode.GroupStateInfo info = new PlanNode.GroupStateInfo(mapGroups, outputMode, options.timeout());
        return new Stream<>(rivulet, new PlanNode.KeyedNode<>(GroupStateOperator.NAME, PlanNode.KeyedKind.GROUP_STATE,
            input, keyFunction, partitions, lateSink, copier, Map.of(), keyName, info,
            context -> create.apply(GroupStateSettings.<K, T, S>of(options.timeout())
                .withStateCodec(options.stateCodec())
                .withKeyGroups(context.maxParallelism(), context.keyGroups())
                .withMicroBatch(context.microBatch())
                .withWatermarkPresent(watermarkPresent)
                .withLateRows(lateRows, context.lateOutput())
                .withInitialState(initial))));
    }

    /** Whether a {@code withWatermark} (or a source that emits watermarks) feeds {@code node}. */
    static boolean watermarkUpstream(PlanNode<?> node) {
        if (node instanceof PlanNode.WatermarkNode<?>) {
            return true;
        }
        if (node instanceof PlanNode.SourceNode<?> source) {
            return source.source().emitsWatermarks();
        }
        for (PlanNode<?> in : node.inputs()) {
            if (watermarkUpstream(in)) {
                return true;
            }
        }
        return false;
    }

    /** Resolves a process function's tags to its partition's side-output links; an unrouted tag is an error. */
    private static SideOutputs sideOutputsOf(OperatorContext context) {
        Map<String, Output<Object>> outputs = context.sideOutputs();
        return new SideOutputs() {
            @Override
            @SuppressWarnings("unchecked")
            public <X> Output<X> outputFor(OutputTag<X> tag) {
                return (Output<X>) (Output<?>) outputs.get(tag.name());
            }
        };
    }

    /**
     * Connects this keyed stream (the left input) with another of the same key type (the right input),
     * for a two-input keyed operator: {@code left.connect(right).process(name, factory)}. See
     * {@link ConnectedStreams} for how the two inputs meet.
     *
     * @param right the right input, keyed by the same key type, from the same engine, not this stream
     * @param <R> right record type
     * @return the two streams, to be processed together
     * @throws IllegalArgumentException if {@code right} comes from another engine or is this stream, or the
     *     two name different partition counts
     */
    public <R> ConnectedStreams<K, T, R> connect(KeyedStream<K, R> right) {
        return new ConnectedStreams<>(this, Objects.requireNonNull(right, "right"));
    }

    /**
     * Spark's stream-stream join on the key, without a time range: {@link #join(KeyedStream, JoinOptions,
     * JoinFunction)} with {@code JoinOptions.of(type)}. Only an inner join runs without a time range
     * (start() rejects the others, as Spark does), and it keeps every row forever (Spark's behaviour; the
     * query logs a warning at start).
     *
     * @param right the right input, keyed by the same key type
     * @param type the join type
     * @param fn builds each output row from the key and the two rows ({@code null} for the missing side
     *     of an outer row; the right is {@code null} for a left semi join)
     * @param <R> right row type
     * @param <O> output type
     * @return the joined rows
     */
    public <R, O> Stream<O> join(KeyedStream<K, R> right, JoinType type, JoinFunction<K, T, R, O> fn) {
        return join(right, JoinOptions.of(type), fn);
    }

    /**
     * Spark's stream-stream join ({@code left.join(right, expr("leftKey = rightKey AND rightTime BETWEEN
     * ..."), type)}): inner, left outer, right outer, full outer or left semi on this stream's key
     * (the left input) and {@code right}'s, optionally with an event-time range between the sides.
     *
     * <p><b>Results.</b> Each matching pair comes out once, when the later of its two rows is processed;
     * an unmatched row of an outer side comes out with {@code null} for the other side once the
     * watermark shows no row can still match it; a left semi join emits a left row once, at its first
     * match. In micro-batch mode this is Spark's output batch by batch (outer rows in the batch after the
     * watermark passes the bound, often a no-data batch); in continuous mode each match leaves as its
     * later row is processed and each outer row as the watermark passes the bound. With nothing late,
     * both modes emit the same rows.
     *
     * <p><b>State.</b> Each side's rows are buffered per key, checkpointed per key group with the
     * query's checkpoints, and evicted once the watermark (both inputs' merged by the query's policy)
     * rules out future matches: only with a time range and a watermark on both inputs. Rows at or
     * behind the watermark are late (with a time range): counted per side in progress and sent to the
     * side's {@link #lateData} sink, if any. Progress shows the operator as {@code symmetricHashJoin}
     * with each side's state rows and bytes in its custom metrics.
     *
     * <p><b>Rules</b> (checked by {@code start()}, with Spark's messages): append mode only; outer and
     * semi joins need a watermark on both inputs and a time range. An inner join that cannot evict
     * starts with a warning: its state grows without bound.
     *
     * <p>Rows are kept by reference: neither input may use {@link #copyingRecords} (rejected here), and
     * options with {@link JoinOptions#withRowLayouts row layouts} are rejected here too (column rows are the
     * long-key join's: {@link LongKeyedStream#join(LongKeyedStream, JoinOptions, io.rivulet.operators.join.LongJoinFunction)}).
     *
     * @param right the right input, keyed by the same key type, from the same engine
     * @param options join type, time range, event times, state budget, codecs
     * @param fn builds each output row; called on the partition's thread; must not mutate the rows; a
     *     {@code null} result emits nothing; a throw goes to the query's {@link ErrorPolicy}
     * @param <R> right row type
     * @param <O> output type
     * @return the joined rows
     * @throws IllegalArgumentException if an input copies records, the options have row layouts, the inputs
     *     come from two engines or name different partition counts
     */
    public <R, O> Stream<O> join(KeyedStream<K, R> right, JoinOptions<T, R> options, JoinFunction<K, T, R, O> fn) {
        return connect(right).join(options, fn);
    }

    Rivulet rivulet() {
        return rivulet;
    }

    PlanNode.WatermarkNode<T> eventTime() {
        return eventTime;
    }

    PlanNode<T> node() {
        return input;
    }

    Function<? super T, ? extends K> keyFunction() {
        return keyFunction;
    }

    int partitions() {
        return partitions;
    }

    RecordCopier<T> copier() {
        return copier;
    }

    String keyName() {
        return keyName;
    }

    Sink<? super T> lateSink() {
        return lateSink;
    }

    /**
     * Applies a custom keyed operator; one instance runs per partition.
     *
     * @param name how the operator shows in plans and errors
     * @param factory creates one operator per partition
     * @param <R> output type
     * @return the operator's output
     */
    public <R> Stream<R> process(String name, Supplier<? extends KeyedOperator<K, T, R>> factory) {
        Objects.requireNonNull(factory, "factory");
        return keyed(name, PlanNode.KeyedKind.STATEFUL, context -> factory.get());
    }

    <R> Stream<R> keyed(String name, PlanNode.KeyedKind kind,
                        Function<OperatorContext, ? extends KeyedOperator<K, T, R>> factory) {
        return keyed(name, kind, null, factory);
    }

    <R> Stream<R> keyed(String name, PlanNode.KeyedKind kind, Sink<? super T> lateSink,
                        Function<OperatorContext, ? extends KeyedOperator<K, T, R>> factory) {
        return keyed(name, kind, lateSink, null, factory);
    }

    /** As {@link #keyed(String, PlanNode.KeyedKind, Sink, Function)}, pre-aggregable before the exchange if given. */
    <R> Stream<R> keyed(String name, PlanNode.KeyedKind kind, Sink<? super T> lateSink,
                        PlanNode.PreAggregation<T, ?> preAggregation,
                        Function<OperatorContext, ? extends KeyedOperator<K, T, R>> factory) {
        PlanNode.KeyedNode<K, T, R> node = new PlanNode.KeyedNode<>(name, kind, input, keyFunction, partitions, lateSink, copier,
            Map.of(), keyName, factory);
        return new Stream<>(rivulet, preAggregation == null ? node : node.withPreAggregation(preAggregation));
    }

    /**
     * Groups each key's records by tumbling or sliding event-time window (Spark's
     * {@code groupBy(window(col("ts"), ..), key)}).
     *
     * @param windows the windows, from {@link Windows}
     * @param eventTimeMs the event time of a record, epoch ms (the column Spark's {@code window} names); {@link Window#NO_EVENT_TIME}
     *     for a record without one, which is dropped (as Spark drops a NULL time)
     * @return the windowed stream; aggregate it
     */
    public WindowedStream<K, T> window(WindowAssigner windows, ToLongFunction<? super T> eventTimeMs) {
        Objects.requireNonNull(windows, "windows");
        return new WindowedStream<>(this, windows, null, eventTimeMs, lateSink);
    }

    /**
     * Groups each key's records by session window with a fixed gap (Spark's
     * {@code session_window(col("ts"), gap)}): a record opens {@code [ts, ts + gap)}, and sessions of
     * a key that overlap merge.
     *
     * @param gap the inactivity gap, positive
     * @param eventTimeMs the event time of a record, epoch ms; {@link Window#NO_EVENT_TIME}
     *     for a record without one, which is dropped (as Spark drops a NULL time)
     * @return the windowed stream; aggregate it
     */
    public WindowedStream<K, T> sessionWindow(Duration gap, ToLongFunction<? super T> eventTimeMs) {
        long gapMs = Options.positive("session gap", gap).toMillis();
        if (gapMs < 1) {
            throw new IllegalArgumentException("session gap must be at least 1 ms, got " + gap);
        }
        return new WindowedStream<>(this, null, record -> gapMs, eventTimeMs, lateSink);
    }

    /**
     * Groups each key's records by session window with a gap per record (Spark's dynamic gap);
     * records whose gap is zero or negative are dropped.
     *
     * @param gapMs the gap a record opens, in ms
     * @param eventTimeMs the event time of a record, epoch ms; {@link Window#NO_EVENT_TIME}
     *     for a record without one, which is dropped (as Spark drops a NULL time)
     * @return the windowed stream; aggregate it
     */
    public WindowedStream<K, T> sessionWindow(ToLongFunction<? super T> gapMs, ToLongFunction<? super T> eventTimeMs) {
        Objects.requireNonNull(gapMs, "gapMs");
        return new WindowedStream<>(this, null, gapMs, eventTimeMs, lateSink);
    }

    /**
     * The emit policy a running aggregation gets in a query: complete mode emits every key each
     * epoch; micro-batch update mode emits each changed key once per batch (Spark's rule); otherwise
     * the policy asked for.
     */
    static EmitPolicy emitPolicyFor(OperatorContext context, EmitPolicy requested) {
        if (context.outputMode() == OutputMode.COMPLETE) {
            return EmitPolicy.ALL_ON_EPOCH;
        }
        if (context.microBatch()) {
            return EmitPolicy.ON_EPOCH;
        }
        return requested;
    }
}
