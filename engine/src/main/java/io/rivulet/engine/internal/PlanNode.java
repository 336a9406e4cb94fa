package io.rivulet.engine.internal;

import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.source.Source;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Operator;
import io.rivulet.operators.TwoInputKeyedOperator;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.window.WindowAssigner;
import io.rivulet.operators.groupstate.GroupStateTimeout;
import io.rivulet.operators.join.JoinType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import io.rivulet.engine.StaticTableHandle;
import io.rivulet.engine.WatermarkStrategy;
import io.rivulet.engine.RecordCopier;

/**
 * A node of a query's logical plan, built by the public {@code Stream} API and turned into tasks by
 * the runtime's planner when the query starts. Not public API. Immutable. Operator factories are
 * called once per task, so every task owns its own operator instances.
 *
 * @param <T> type of the records the node produces
 */
public abstract sealed class PlanNode<T> permits PlanNode.SourceNode, PlanNode.OperatorNode, PlanNode.KeyedNode,
    PlanNode.WatermarkNode, PlanNode.UnionNode {
    /** What a keyed node does, for Spark's output-mode rules. */
    public enum KeyedKind {
        /** A running aggregation per key (no event-time window): reduce, aggregate, count. */
        AGGREGATION,
        /** An aggregation per key and tumbling or sliding event-time window. */
        WINDOW_AGGREGATION,
        /** An aggregation per key and session window. */
        SESSION_AGGREGATION,
        /** Sorting (and limiting) the result table of an aggregation. */
        SORT,
        /** A user keyed operator with its own state. */
        STATEFUL,
        /** Deduplication ({@code dropDuplicates}): keys kept forever, or until the watermark passes their event time. */
        DEDUPLICATION,
        /** {@code dropDuplicatesWithinWatermark}: keys kept until the watermark passes first event time + delay. */
        DEDUPLICATION_WITHIN_WATERMARK,
        /**
         * {@code dropDuplicatesWithinWatermark} on a stream whose event time is not known there (no
         * {@code withWatermark} straight upstream): rejected at start.
         */
        DEDUPLICATION_WITHIN_WATERMARK_NO_EVENT_TIME,
        /** Spark's {@code mapGroupsWithState} / {@code flatMapGroupsWithState}: see {@link GroupStateInfo}. */
        GROUP_STATE,
        /** A stream-stream join (a {@link CoKeyedNode} with a {@link JoinInfo}). */
        JOIN
    }

    /**
     * What Spark's stream-stream join rules need to know of a join node.
     *
     * @param type the join type
     * @param timeRange whether the join has an event-time range condition
     * @param leftEventTime whether the left rows' event time is known (given, or the left input's {@code withWatermark})
     * @param rightEventTime whether the right rows' event time is known
     */
    public record JoinInfo(JoinType type, boolean timeRange, boolean leftEventTime, boolean rightEventTime) {
        /**
         * @throws NullPointerException if {@code type} is {@code null}
         */
        public JoinInfo {
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * What Spark's output-mode rules need to know of a group-state node.
     *
     * @param mapGroups {@code mapGroupsWithState} (one row per call) rather than {@code flatMapGroupsWithState}
     * @param outputMode the operation's own output mode ({@code UPDATE} for {@code mapGroupsWithState})
     * @param timeout its timeout kind
     */
    public record GroupStateInfo(boolean mapGroups, OutputMode outputMode, GroupStateTimeout timeout) {
        /**
         * @throws NullPointerException if a parameter is {@code null}
         */
        public GroupStateInfo {
            Objects.requireNonNull(outputMode, "outputMode");
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    private final String description;

    private PlanNode(String description) {
        this.description = Objects.requireNonNull(description, "description");
    }

    /**
     * @return what this node does, for errors and plans
     */
    public final String description() {
        return description;
    }

    /**
     * @return the nodes this one reads from
     */
    public abstract List<PlanNode<?>> inputs();

    @Override
    public String toString() {
        return description;
    }

    /**
     * Reads a source.
     *
     * @param <T> record type
     */
    public static final class SourceNode<T> extends PlanNode<T> {
        private final Source<T> source;

        /**
         * @param source the source to read
         */
        public SourceNode(Source<T> source) {
            super("source " + source.description());
            this.source = source;
        }

        /**
         * @return the source to read
         */
        public Source<T> source() {
            return source;
        }

        @Override
        public List<PlanNode<?>> inputs() {
            return List.of();
        }
    }

    /**
     * A stateless operator, fused into the task that produces its input.
     *
     * @param <I> input type
     * @param <O> output type
     */
    public static final class OperatorNode<I, O> extends PlanNode<O> {
        private final PlanNode<I> input;
        private final Supplier<? extends Operator<I, O>> factory;
        private final QueryResource resource;
        private final StaticTableHandle<?, ?> staticTable;

        /**
         * @param description what the operator does
         * @param input the node it reads
         * @param factory creates one operator per task
         */
        public OperatorNode(String description, PlanNode<I> input, Supplier<? extends Operator<I, O>> factory) {
            this(description, input, factory, null);
        }

        /**
         * @param description what the operator does
         * @param input the node it reads
         * @param factory creates one operator per task
         * @param resource what the query opens when it starts and closes when it ends, or {@code null}
         */
        public OperatorNode(String description, PlanNode<I> input, Supplier<? extends Operator<I, O>> factory,
                            QueryResource resource) {
            this(description, input, factory, resource, null);
        }

        /**
         * @param description what the operator does
         * @param input the node it reads
         * @param factory creates one operator per task
         * @param resource what the query opens when it starts and closes when it ends (a static table's
         *     refresh task), or {@code null}
         * @param staticTable the static table a stream-static join reads, for its figures in progress, or
         *     {@code null}
         */
        public OperatorNode(String description, PlanNode<I> input, Supplier<? extends Operator<I, O>> factory,
                            QueryResource resource, StaticTableHandle<?, ?> staticTable) {
            super(description);
            this.input = Objects.requireNonNull(input, "input");
            this.factory = Objects.requireNonNull(factory, "factory");
            this.resource = resource;
            this.staticTable = staticTable;
        }

        /**
         * @return the static table a stream-static join reads, or {@code null}
         */
        public StaticTableHandle<?, ?> staticTable() {
            return staticTable;
        }

        /**
         * @return what the query opens when it starts and closes when it ends, or {@code null}
         */
        public QueryResource resource() {
            return resource;
        }

        /**
         * @return the node it reads
         */
        public PlanNode<I> input() {
            return input;
        }

        /**
         * @return creates one operator per task
         */
        public Supplier<? extends Operator<I, O>> factory() {
            return factory;
        }

        @Override
        public List<PlanNode<?>> inputs() {
            return List.of(input);
        }
    }

    /**
     * A keyed operator: records are exchanged by key group over {@code partitions} workers. A
     * {@link CoKeyedNode} is a keyed node with a second (right) input; {@link #input()} is then its
     * left input.
     *
     * @param <K> key type
     * @param <I> input type (the left input's, for a {@link CoKeyedNode})
     * @param <O> output type
     */
    public static sealed class KeyedNode<K, I, O> extends PlanNode<O> permits CoKeyedNode {
        private final PlanNode<I> input;
        private final Function<? super I, ? extends K> keyFunction;
        private final int partitions;
        private final Function<OperatorContext, ? extends KeyedOperator<K, I, O>> factory;
        private final KeyedKind kind;
        private final Sink<? super I> lateSink;
        private final RecordCopier<I> copier;
        private final Map<String, Sink<?>> sideSinks;
        private final String keyName;
        private final GroupStateInfo groupState;
        /** The name its state is read by while the query runs ({@code Stream.queryableAs}), or {@code null}. */
        private final String queryableName;
        /** A tumbling-window aggregation's parts for pre-aggregation before the exchange, or {@code null}. */
        private final PreAggregation<I, ?> preAggregation;

        /**
         * @param description what the operator does
         * @param kind what kind of stateful operation it is
         * @param input the node it reads
         * @param keyFunction extracts the key of a record
         * @param partitions number of partitions, or 0 for the query's default
         * @param factory creates one operator per partition, for the query's output mode
         */
        public KeyedNode(String description, KeyedKind kind, PlanNode<I> input, Function<? super I, ? extends K> keyFunction,
                         int partitions, Function<OperatorContext, ? extends KeyedOperator<K, I, O>> factory) {
            this(description, kind, input, keyFunction, partitions, null, null, Map.of(), null, factory);
        }

        /**
         * @param description what the operator does
         * @param kind what kind of stateful operation it is
         * @param input the node it reads
         * @param keyFunction extracts the key of a record
         * @param partitions number of partitions, or 0 for the query's default
         * @param lateSink where the operator's late records go, or {@code null}
         * @param copier copies records into ring-owned instances, or {@code null} to pass references
         * @param sideSinks the sinks of the operator's side outputs, by output name (insertion order kept)
         * @param keyName what the key is (from {@code keyBy(name, ...)}), or {@code null}
         * @param factory creates one operator per partition, for the query's output mode
         */
        public KeyedNode(String description, KeyedKind kind, PlanNode<I> input, Function<? super I, ? extends K> keyFunction,
                         int partitions, Sink<? super I> lateSink, RecordCopier<I> copier, Map<String, Sink<?>> sideSinks,
                         String keyName, Function<OperatorContext, ? extends KeyedOperator<K, I, O>> factory) {
            this(description, kind, input, keyFunction, partitions, lateSink, copier, sideSinks, keyName, null, factory);
        }

        /**
         * @param description what the operator does
         * @param kind what kind of stateful operation it is
         * @param input the node it reads
         * @param keyFunction extracts the key of a record
         * @param partitions number of partitions, or 0 for the query's default
         * @param lateSink where the operator's late records go, or {@code null}
         * @param copier copies records into ring-owned instances, or {@code null} to pass references
         * @param sideSinks the sinks of the operator's side outputs, by output name (insertion order kept)
         * @param keyName what the key is (from {@code keyBy(name, ...)}), or {@code null}
         * @param groupState a {@link KeyedKind#GROUP_STATE} node's operation, else {@code null}
         * @param factory creates one operator per partition, for the query's output mode
         */
        public KeyedNode(String description, KeyedKind kind, PlanNode<I> input, Function<? super I, ? extends K> keyFunction,
                         int partitions, Sink<? super I> lateSink, RecordCopier<I> copier, Map<String, Sink<?>> sideSinks,
                         String keyName, GroupStateInfo groupState,
                         Function<OperatorContext, ? extends KeyedOperator<K, I, O>> factory) {
            this(description, kind, input, keyFunction, partitions, lateSink, copier, sideSinks, keyName, groupState, null,
                null, factory);
        }

        private KeyedNode(String description, KeyedKind kind, PlanNode<I> input, Function<? super I, ? extends K> keyFunction,
                          int partitions, Sink<? super I> lateSink, RecordCopier<I> copier, Map<String, Sink<?>> sideSinks,
                          String keyName, GroupStateInfo groupState, String queryableName, PreAggregation<I, ?> preAggregation,
                          Function<OperatorContext, ? extends KeyedOperator<K, I, O>> factory) {
            super(description);
            this.queryableName = queryableName;
            this.preAggregation = preAggregation;
            if ((kind == KeyedKind.GROUP_STATE) != (groupState != null)) {
                throw new IllegalArgumentException("groupState is given with, and only with, kind GROUP_STATE; kind is " + kind);
            }
            this.groupState = groupState;
            this.keyName = keyName;
            this.sideSinks = Collections.unmodifiableMap(new LinkedHashMap<>(sideSinks));
            this.lateSink = lateSink;
            this.copier = copier;
            if (partitions < 0) {
                throw new IllegalArgumentException("partitions must be >= 1 (or 0 for the default), got " + partitions);
            }
            this.kind = Objects.requireNonNull(kind, "kind");
            this.input = Objects.requireNonNull(input, "input");
            this.keyFunction = Objects.requireNonNull(keyFunction, "keyFunction");
            this.partitions = partitions;
            this.factory = Objects.requireNonNull(factory, "factory");
        }

        /**
         * A copy of this node whose state can be read by {@code name} while the query runs.
         *
         * @param name the operator's name, unique in the query; not blank
         * @return the named copy (the plan must use it instead of this node)
         */
        public KeyedNode<K, I, O> withQueryableName(String name) {
            requireQueryableName(name);
            return new KeyedNode<>(description(), kind, input, keyFunction, partitions, lateSink, copier, sideSinks, keyName,
                groupState, name, preAggregation, factory);
        }

        /**
         * A copy of this {@link KeyedKind#WINDOW_AGGREGATION} node whose records may be pre-aggregated before
         * the exchange (the planner decides where the rules allow it; see {@link PreAggregation}).
         *
         * @param preAggregation the window aggregation's parts
         * @return the copy (the plan must use it instead of this node)
         * @throws IllegalArgumentException if this node is not a window aggregation
         */
        public KeyedNode<K, I, O> withPreAggregation(PreAggregation<I, ?> preAggregation) {
            Objects.requireNonNull(preAggregation, "preAggregation");
            if (kind != KeyedKind.WINDOW_AGGREGATION) {
                throw new IllegalArgumentException("only a window aggregation can be pre-aggregated, this node is " + kind);
            }
            return new KeyedNode<>(description(), kind, input, keyFunction, partitions, lateSink, copier, sideSinks, keyName,
                groupState, queryableName, preAggregation, factory);
        }

        /**
         * @return the window aggregation's parts for pre-aggregation before the exchange, or {@code null}
         */
        public PreAggregation<I, ?> preAggregation() {
            return preAggregation;
        }

        static void requireQueryableName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("queryable operator name must not be blank");
            }
        }

        /**
         * @return the name its state is read by while the query runs, or {@code null} if not queryable
         */
        public String queryableName() {
            return queryableName;
        }

        /**
         * @return a group-state node's operation, or {@code null} for other kinds
         */
        public GroupStateInfo groupState() {
            return groupState;
        }

        /**
         * @return what kind of stateful operation this is
         */
        public KeyedKind kind() {
            return kind;
        }

        /**
         * @return the node it reads
         */
        public PlanNode<I> input() {
            return input;
        }

        /**
         * @return extracts the key of a record
         */
        public Function<? super I, ? extends K> keyFunction() {
            return keyFunction;
        }

        /**
         * @return the number of partitions, or 0 for the query's default
         */
        public int partitions() {
            return partitions;
        }

        /**
         * @return creates one operator per partition, for the query's output mode
         */
        public Function<OperatorContext, ? extends KeyedOperator<K, I, O>> factory() {
            return factory;
        }

        /**
         * @return where the operator's late records go, or {@code null}
         */
        public Sink<? super I> lateSink() {
            return lateSink;
        }

        /**
         * @return what the key is, from {@code keyBy(name, ...)}, or {@code null} if not named
         */
        public String keyName() {
            return keyName;
        }

        /**
         * @return the sinks of the operator's side outputs, by output name
         */
        public Map<String, Sink<?>> sideSinks() {
            return sideSinks;
        }

        /**
         * @return copies records into ring-owned instances, or {@code null} to pass references
         */
        public RecordCopier<I> copier() {
            return copier;
        }

        @Override
        public List<PlanNode<?>> inputs() {
            return List.of(input);
        }
    }

    /**
     * What a producer needs to pre-aggregate a tumbling-window aggregation before the exchange: the windows,
     * the event time and the aggregate (whose {@code merge} combines the partials at the keyed stage).
     *
     * @param windows the windows; tumbling
     * @param eventTimeMs a record's event time, epoch ms
     * @param fn the aggregate
     * @param <I> record type
     * @param <A> accumulator type
     */
    public record PreAggregation<I, A>(WindowAssigner windows, ToLongFunction<? super I> eventTimeMs,
                                       AggregateFunction<? super I, A, ?> fn) {
        /**
         * @throws IllegalArgumentException if the windows are not tumbling
         */
        public PreAggregation {
            Objects.requireNonNull(windows, "windows");
            Objects.requireNonNull(eventTimeMs, "eventTimeMs");
            Objects.requireNonNull(fn, "fn");
            if (!windows.isTumbling()) {
                throw new IllegalArgumentException("pre-aggregation needs tumbling windows, got " + windows);
            }
        }
    }

    /**
     * A keyed operator with two inputs (a join, a co-process): both inputs are exchanged by the same
     * key-group hashing over the stage's partitions, so equal keys of both sides meet in one partition.
     * The left input is {@link #input()} with {@link #keyFunction()}, {@link #lateSink()} and
     * {@link #copier()}; the right input has its own. Records are not tagged: the exchange marks the
     * input each record belongs to, and the partition calls {@code process} or {@code processRight}.
     *
     * @param <K> key type of both inputs
     * @param <L> left input type
     * @param <R> right input type
     * @param <O> output type
     */
    public static final class CoKeyedNode<K, L, R, O> extends KeyedNode<K, L, O> {
        private final PlanNode<R> right;
        private final Function<? super R, ? extends K> rightKeyFunction;
        private final Sink<? super R> rightLateSink;
        private final RecordCopier<R> rightCopier;
        private final String rightKeyName;
        private final Function<OperatorContext, ? extends TwoInputKeyedOperator<K, L, R, O>> twoInputFactory;
        private final JoinInfo join;

        /**
         * @param description what the operator does
         * @param kind what kind of stateful operation it is
         * @param left the left input
         * @param leftKeyFunction the key of a left record
         * @param right the right input; not {@code left}
         * @param rightKeyFunction the key of a right record
         * @param partitions number of partitions, or 0 for the query's default
         * @param leftLateSink where the operator's late left records go, or {@code null}
         * @param rightLateSink where the operator's late right records go, or {@code null} (may be the
         *     left one: then both sides share its writers)
         * @param leftCopier copies left records into ring-owned instances, or {@code null}
         * @param rightCopier copies right records into ring-owned instances, or {@code null}
         * @param leftKeyName what the left key is, or {@code null}
         * @param rightKeyName what the right key is, or {@code null}
         * @param factory creates one operator per partition; its context carries both sides' late outputs
         * @throws IllegalArgumentException if {@code right} is {@code left}, or {@code partitions} is negative
         */
        public CoKeyedNode(String description, KeyedKind kind, PlanNode<L> left, Function<? super L, ? extends K> leftKeyFunction,
                           PlanNode<R> right, Function<? super R, ? extends K> rightKeyFunction, int partitions,
                           Sink<? super L> leftLateSink, Sink<? super R> rightLateSink, RecordCopier<L> leftCopier,
                           RecordCopier<R> rightCopier, String leftKeyName, String rightKeyName,
                           Function<OperatorContext, ? extends TwoInputKeyedOperator<K, L, R, O>> factory) {
            this(description, kind, left, leftKeyFunction, right, rightKeyFunction, partitions, leftLateSink, rightLateSink,
                leftCopier, rightCopier, leftKeyName, rightKeyName, null, null, factory);
        }

        /**
         * A stream-stream join's node: kind {@link KeyedKind#JOIN}, the other parameters as the general
         * constructor's.
         *
         * @param description what the operator does
         * @param join what the join's validation rules need to know
         * @param left the left input
         * @param leftKeyFunction the key of a left record
         * @param right the right input; not {@code left}
         * @param rightKeyFunction the key of a right record
         * @param partitions number of partitions, or 0 for the query's default
         * @param leftLateSink where late left records go, or {@code null}
         * @param rightLateSink where late right records go, or {@code null}
         * @param leftKeyName what the left key is, or {@code null}
         * @param rightKeyName what the right key is, or {@code null}
         * @param factory creates one operator per partition
         */
        public CoKeyedNode(String description, JoinInfo join, PlanNode<L> left, Function<? super L, ? extends K> leftKeyFunction,
                           PlanNode<R> right, Function<? super R, ? extends K> rightKeyFunction, int partitions,
                           Sink<? super L> leftLateSink, Sink<? super R> rightLateSink, String leftKeyName, String rightKeyName,
                           Function<OperatorContext, ? extends TwoInputKeyedOperator<K, L, R, O>> factory) {
            this(description, join, left, leftKeyFunction, right, rightKeyFunction, partitions, leftLateSink, rightLateSink,
                null, null, leftKeyName, rightKeyName, factory);
        }

        /**
         * A stream-stream join's node whose inputs may copy records (a long-key join with column rows,
         * which keeps no reference to an input record): kind {@link KeyedKind#JOIN}, the other
         * parameters as the general constructor's.
         *
         * @param description what the operator does
         * @param join what the join's validation rules need to know
         * @param left the left input
         * @param leftKeyFunction the key of a left record
         * @param right the right input; not {@code left}
         * @param rightKeyFunction the key of a right record
         * @param partitions number of partitions, or 0 for the query's default
         * @param leftLateSink where late left records go, or {@code null}
         * @param rightLateSink where late right records go, or {@code null}
         * @param leftCopier copies left records into ring-owned instances, or {@code null}
         * @param rightCopier copies right records into ring-owned instances, or {@code null}
         * @param leftKeyName what the left key is, or {@code null}
         * @param rightKeyName what the right key is, or {@code null}
         * @param factory creates one operator per partition
         */
        public CoKeyedNode(String description, JoinInfo join, PlanNode<L> left, Function<? super L, ? extends K> leftKeyFunction,
                           PlanNode<R> right, Function<? super R, ? extends K> rightKeyFunction, int partitions,
                           Sink<? super L> leftLateSink, Sink<? super R> rightLateSink, RecordCopier<L> leftCopier,
                           RecordCopier<R> rightCopier, String leftKeyName, String rightKeyName,
                           Function<OperatorContext, ? extends TwoInputKeyedOperator<K, L, R, O>> factory) {
            this(description, KeyedKind.JOIN, left, leftKeyFunction, right, rightKeyFunction, partitions, leftLateSink,
                rightLateSink, leftCopier, rightCopier, leftKeyName, rightKeyName, null, Objects.requireNonNull(join, "join"),
                factory);
        }

        private CoKeyedNode(String description, KeyedKind kind, PlanNode<L> left, Function<? super L, ? extends K> leftKeyFunction,
                            PlanNode<R> right, Function<? super R, ? extends K> rightKeyFunction, int partitions,
                            Sink<? super L> leftLateSink, Sink<? super R> rightLateSink, RecordCopier<L> leftCopier,
                            RecordCopier<R> rightCopier, String leftKeyName, String rightKeyName, String queryableName,
                            JoinInfo join, Function<OperatorContext, ? extends TwoInputKeyedOperator<K, L, R, O>> factory) {
            super(description, kind, left, leftKeyFunction, partitions, leftLateSink, leftCopier, Map.of(), leftKeyName,
                null, queryableName, null, factory);
            if ((kind == KeyedKind.JOIN) != (join != null)) {
                throw new IllegalArgumentException("join is given with, and only with, kind JOIN; kind is " + kind);
            }
            this.join = join;
            this.right = Objects.requireNonNull(right, "right");
            if (right == left) {
                throw new IllegalArgumentException("'" + description + "': the right input is the left input; a stream can"
                    + " be consumed once per query (read the source twice for a self-join)");
            }
            this.rightKeyFunction = Objects.requireNonNull(rightKeyFunction, "rightKeyFunction");
            this.rightLateSink = rightLateSink;
            this.rightCopier = rightCopier;
            this.rightKeyName = rightKeyName;
            this.twoInputFactory = factory;
        }

        @Override
        public CoKeyedNode<K, L, R, O> withQueryableName(String name) {
            requireQueryableName(name);
            return new CoKeyedNode<>(description(), kind(), input(), keyFunction(), right, rightKeyFunction, partitions(),
                lateSink(), rightLateSink, copier(), rightCopier, keyName(), rightKeyName, name, join, twoInputFactory);
        }

        /**
         * @return a stream-stream join's rules input, or {@code null} for another two-input operator
         */
        public JoinInfo join() {
            return join;
        }

        /**
         * @return the right input
         */
        public PlanNode<R> right() {
            return right;
        }

        /**
         * @return extracts the key of a right record
         */
        public Function<? super R, ? extends K> rightKeyFunction() {
            return rightKeyFunction;
        }

        /**
         * @return where the operator's late right records go, or {@code null}
         */
        public Sink<? super R> rightLateSink() {
            return rightLateSink;
        }

        /**
         * @return copies right records into ring-owned instances, or {@code null} to pass references
         */
        public RecordCopier<R> rightCopier() {
            return rightCopier;
        }

        /**
         * @return what the right key is, or {@code null} if not named
         */
        public String rightKeyName() {
            return rightKeyName;
        }

        /**
         * @return creates one operator per partition
         */
        public Function<OperatorContext, ? extends TwoInputKeyedOperator<K, L, R, O>> twoInputFactory() {
            return twoInputFactory;
        }

        /**
         * @return the left input, then the right input
         */
        @Override
        public List<PlanNode<?>> inputs() {
            return List.of(input(), right);
        }
    }

    /**
     * Assigns event time and generates the watermark (Spark's {@code withWatermark}).
     *
     * @param <T> record type
     */
    public static final class WatermarkNode<T> extends PlanNode<T> {
        private final PlanNode<T> input;
        private final ToLongFunction<? super T> eventTimeMs;
        private final WatermarkStrategy strategy;

        /**
         * @param input the node it reads
         * @param eventTimeMs the event time of a record, epoch ms
         * @param strategy how the watermark follows event time
         */
        public WatermarkNode(PlanNode<T> input, ToLongFunction<? super T> eventTimeMs, WatermarkStrategy strategy) {
            super("withWatermark(" + strategy + ")");
            this.input = Objects.requireNonNull(input, "input");
            this.eventTimeMs = Objects.requireNonNull(eventTimeMs, "eventTimeMs");
            this.strategy = Objects.requireNonNull(strategy, "strategy");
        }

        /**
         * @return the node it reads
         */
        public PlanNode<T> input() {
            return input;
        }

        /**
         * @return the event time of a record, epoch ms
         */
        public ToLongFunction<? super T> eventTimeMs() {
            return eventTimeMs;
        }

        /**
         * @return how the watermark follows event time
         */
        public WatermarkStrategy strategy() {
            return strategy;
        }

        @Override
        public List<PlanNode<?>> inputs() {
            return List.of(input);
        }
    }

    /**
     * Merges streams of one type.
     *
     * @param <T> record type
     */
    public static final class UnionNode<T> extends PlanNode<T> {
        private final List<PlanNode<T>> unionInputs;

        /**
         * @param inputs the streams to merge, at least two
         */
        public UnionNode(List<PlanNode<T>> inputs) {
            super("union");
            this.unionInputs = List.copyOf(inputs);
        }

        /**
         * @return the streams merged, in order
         */
        public List<PlanNode<T>> unionInputs() {
            return unionInputs;
        }

        @Override
        public List<PlanNode<?>> inputs() {
            return List.copyOf(unionInputs);
        }
    }
}
