package io.rivulet.engine;

import io.rivulet.engine.internal.OperatorContext;
import io.rivulet.engine.internal.PlanNode;
import io.rivulet.operators.TwoInputKeyedOperator;
import io.rivulet.operators.join.JoinFunction;
import io.rivulet.operators.join.JoinSettings;
import io.rivulet.operators.join.JoinTimeRange;
import io.rivulet.operators.join.JoinType;
import io.rivulet.operators.join.StreamStreamJoinOperator;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Two keyed streams with one key type, to be processed together by a two-input keyed operator (a
 * join, a co-process): made by {@link KeyedStream#connect}.
 *
 * <p>Both inputs are partitioned by the same key-group hashing over one set of partitions, so the
 * records of equal keys of both sides reach the same operator instance, each in its arrival order
 * (the two sides interleave as they arrive). Left records go to the operator's {@code process},
 * right records to its {@code processRight}; records are not wrapped or tagged. The operator sees one
 * watermark: both inputs' watermarks merged by the query's policy (the minimum by default, the
 * maximum with {@code multipleWatermarkPolicy("max")}; an input idle for longer than the idle timeout,
 * or ended, no longer holds it back), and one barrier per epoch, once every producer of both sides
 * has passed it, so a checkpoint holds exactly the records of both sides up to the epoch.
 *
 * <p>Each side keeps what its {@link KeyedStream} says: key function (and key name), record copier,
 * late-data sink ({@link KeyedStream#lateData}; both sides may name one sink). The partition count is
 * the one either side names ({@code keyBy(fn, partitions)}), else the query's default; two different
 * counts are rejected.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <K> key type of both inputs
 * @param <L> left record type
 * @param <R> right record type
 */
public final class ConnectedStreams<K, L, R> {
    private final KeyedStream<K, L> left;
    private final KeyedStream<K, R> right;
    private final int partitions;

    ConnectedStreams(KeyedStream<K, L> left, KeyedStream<K, R> right) {
        this.left = Objects.requireNonNull(left, "left");
        this.right = Objects.requireNonNull(right, "right");
        if (left.rivulet() != right.rivulet()) {
            throw new IllegalArgumentException("cannot connect streams of different Rivulet engines: both inputs of a"
                + " two-input stage must come from the same engine");
        }
        if (left.node() == right.node()) {
            throw new IllegalArgumentException("cannot connect a stream with itself: a stream can be consumed once per"
                + " query (read the source twice for a self-join)");
        }
        if (left.partitions() > 0 && right.partitions() > 0 && left.partitions() != right.partitions()) {
            throw new IllegalArgumentException("partitions: the left input is keyed over " + left.partitions()
                + " partitions and the right over " + right.partitions() + "; a two-input stage has one partition"
                + " count (equal keys of both sides meet in one partition), so name the same count or only one");
        }
        this.partitions = Math.max(left.partitions(), right.partitions());
    }

    /**
     * Applies a custom two-input keyed operator; one instance runs per partition and sees the records of
     * both inputs for the keys it owns. A stateful operator implements {@code CheckpointedOperator}
     * (saved per key group at every epoch with a checkpoint location, restored into any partition
     * count) and {@code StatefulOperator} (its figures in progress). In complete mode the query is
     * rejected at start (an arbitrary stateful operation has no result table to re-emit).
     *
     * <p>Late rows: the operator gets no late output through this entry point (the sides'
     * {@code lateData} sinks are not used); an operator that drops late rows counts them in its
     * {@code StateMetrics}.
     *
     * @param name how the operator shows in plans, progress, checkpoints and errors
     * @param factory creates one operator per partition; called once per partition when the query starts
     * @param <O> output type
     * @return the operator's output
     * @throws NullPointerException if a parameter is {@code null}
     */
    public <O> Stream<O> process(String name, Supplier<? extends TwoInputKeyedOperator<K, L, R, O>> factory) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factory, "factory");
        return node(name, PlanNode.KeyedKind.STATEFUL, false, context -> factory.get());
    }

    /**
     * The entry point the engine's own two-input operators (joins) are built on: the factory gets the
     * partition's {@link OperatorContext}, whose {@code lateOutput()} and {@code rightLateOutput()} are
     * the two sides' late outputs (each counts the rows handed to it, shown per side in progress, and
     * forwards them to that side's late-data sink, if any), and whose key groups and max parallelism
     * the operator's keyed state needs.
     *
     * @param name how the operator shows in plans, progress, checkpoints and errors
     * @param kind what kind of stateful operation it is, for the query's validation rules
     * @param factory creates one operator per partition
     * @param <O> output type
     * @return the operator's output
     */
    <O> Stream<O> keyed(String name, PlanNode.KeyedKind kind,
                        Function<OperatorContext, ? extends TwoInputKeyedOperator<K, L, R, O>> factory) {
        return node(name, kind, true, factory);
    }

    private <O> Stream<O> node(String name, PlanNode.KeyedKind kind, boolean lateSinks,
                               Function<OperatorContext, ? extends TwoInputKeyedOperator<K, L, R, O>> factory) {
        return new Stream<>(left.rivulet(), new PlanNode.CoKeyedNode<>(name, kind, left.node(), left.keyFunction(), right.node(),
            right.keyFunction(), partitions, lateSinks ? left.lateSink() : null, lateSinks ? right.lateSink() : null,
            left.copier(), right.copier(), left.keyName(), right.keyName(), factory));
    }

    /**
     * The stream-stream join of the two inputs ({@link KeyedStream#join(KeyedStream, JoinOptions, JoinFunction)}).
     */
    <O> Stream<O> join(JoinOptions<L, R> options, JoinFunction<K, L, R, O> fn) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(fn, "fn");
        if (options.leftLayout() != null || options.rightLayout() != null) {
            throw new IllegalArgumentException("join: options " + options + " have row layouts (withRowLayouts), which only"
                + " the long-key join stores rows by; KeyedStream.join keeps rows as objects: key both inputs with"
                + " keyByLong and join the LongKeyedStreams, or remove withRowLayouts");
        }
        rejectCopier(left.copier(), "left");
        rejectCopier(right.copier(), "right");
        JoinSetup<K, L, R> setup = JoinSetup.of(options, left.eventTime() == null ? null : left.eventTime().eventTimeMs(),
            right.eventTime() == null ? null : right.eventTime().eventTimeMs(), left.node(), right.node());
        Function<OperatorContext, StreamStreamJoinOperator<K, L, R, O>> factory =
            context -> StreamStreamJoinOperator.of(fn, setup.settings(context));
        PlanNode.JoinInfo info = setup.info();
        return new Stream<>(left.rivulet(), new PlanNode.CoKeyedNode<>(StreamStreamJoinOperator.NAME, info, left.node(),
            left.keyFunction(), right.node(), right.keyFunction(), partitions, left.lateSink(), right.lateSink(),
            left.keyName(), right.keyName(), factory));
    }

    /**
     * The one place a stream-stream join's operator settings are derived from its options and inputs, for
     * the boxed join ({@link #join}) and the long-key join ({@code LongKeyedStream.join}): event times (the
     * options', else each input's {@code withWatermark} column), which inputs carry a watermark (Spark's
     * per-side eviction and late rules), the plan's join facts.
     *
     * @param info the join's facts for the plan and the query's checks
     * @param type the join type
     * @param range the time range, or {@code null}
     * @param leftTimeMs the left event time, or {@code null}
     * @param rightTimeMs the right event time, or {@code null}
     * @param eventTimes whether rows are judged by event time: with a time range (as in Spark), or when the
     *     options give both event times
     * @param leftWatermarked whether a watermark is defined upstream of the left input
     * @param rightWatermarked whether a watermark is defined upstream of the right input
     * @param options the user's options (codecs, budget, row layouts, unique keys)
     */
    record JoinSetup<K, L, R>(PlanNode.JoinInfo info, JoinType type, JoinTimeRange range, ToLongFunction<? super L> leftTimeMs,
                              ToLongFunction<? super R> rightTimeMs, boolean eventTimes, boolean leftWatermarked,
                              boolean rightWatermarked, JoinOptions<L, R> options) {
        static <K, L, R> JoinSetup<K, L, R> of(JoinOptions<L, R> options, ToLongFunction<? super L> leftInputTimeMs,
                                               ToLongFunction<? super R> rightInputTimeMs, PlanNode<?> leftNode,
                                               PlanNode<?> rightNode) {
            JoinTimeRange range = options.timeRange();
            ToLongFunction<? super L> leftTimeMs = options.leftTimeMs() != null ? options.leftTimeMs() : leftInputTimeMs;
            ToLongFunction<? super R> rightTimeMs = options.rightTimeMs() != null ? options.rightTimeMs() : rightInputTimeMs;
            boolean eventTimes = range != null ? leftTimeMs != null && rightTimeMs != null
                : options.leftTimeMs() != null && options.rightTimeMs() != null;
            PlanNode.JoinInfo info = new PlanNode.JoinInfo(options.type(), range != null, leftTimeMs != null,
                rightTimeMs != null);
            return new JoinSetup<>(info, options.type(), range, leftTimeMs, rightTimeMs, eventTimes,
                KeyedStream.watermarkUpstream(leftNode), KeyedStream.watermarkUpstream(rightNode), options);
        }

        /**
         * @param context the partition's context
         * @return the partition's join settings
         */
        JoinSettings<K, L, R> settings(OperatorContext context) {
            JoinSettings<K, L, R> settings = JoinSettings.<K, L, R>of(type)
                .withKeyGroups(context.maxParallelism(), context.keyGroups())
                .withMicroBatch(context.microBatch())
                .withCodecs(options.<K>keyCodec(), options.leftCodec(), options.rightCodec())
                .withMaxStateRows(options.maxStateRows())
                .withLateOutputs(context.lateOutputOf(false), context.lateOutputOf(true))
                .withTimeRange(range)
                .withWatermarkedInputs(leftWatermarked, rightWatermarked)
                .withRowLayouts(options.leftLayout(), options.rightLayout())
                .withUniqueKeys(options.uniqueLeft(), options.uniqueRight());
            return eventTimes ? settings.withEventTimes(leftTimeMs, rightTimeMs) : settings;
        }
    }

    /**
     * A join keeps rows by reference in its state; the exchange reuses the instance a copier fills, so a
     * buffered row would change under the join. Copying again in the join would undo what the copier saves.
     */
    private static void rejectCopier(RecordCopier<?> copier, String side) {
        if (copier != null) {
            throw new IllegalArgumentException("join: the " + side + " input copies records (copyingRecords), but a join"
                + " keeps rows in its state by reference while the exchange reuses a copied record's instance; remove"
                + " copyingRecords from the join's inputs (the join buffers each row it keeps anyway)");
        }
    }

    /**
     * @return the left input
     */
    KeyedStream<K, L> left() {
        return left;
    }

    /**
     * @return the right input
     */
    KeyedStream<K, R> right() {
        return right;
    }
}
