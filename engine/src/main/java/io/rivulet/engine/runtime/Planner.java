package io.rivulet.engine.runtime;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import io.rivulet.engine.ErrorPolicy;
import io.rivulet.engine.RecordCopier;
import io.rivulet.engine.internal.OperatorContext;
import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.internal.QueryOptions;
import io.rivulet.engine.internal.checkpoint.Checkpoint;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.source.Source;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Operator;
import io.rivulet.operators.Output;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.QueryableOperator;
import io.rivulet.operators.TwoInputKeyedOperator;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.StateFormatException;
import io.rivulet.operators.window.WindowAggregateOperator;
import io.rivulet.operators.window.WindowPreAggregator;
import org.agrona.concurrent.Agent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Turns a logical plan into tasks: one source task per source partition, one partition worker per
 * keyed partition, chains fused in between, rings at every keyed exchange. Runs once, on the thread
 * that starts the query.
 *
 * <p>Each node is planned with a function that builds, for a given task, the link its output goes
 * to. Stateless nodes wrap that function, so their operators end up inside the task that produces
 * their input; a keyed node cuts the chain: upstream tasks end in an exchange, and new workers start
 * a new chain.
 */
final class Planner {
    /** Restores of keyed operators from the checkpoint, run once the graph is planned. */
    private final List<Runnable> restores = new ArrayList<>();
    private static final System.Logger LOG = System.getLogger(Planner.class.getName());

    private final QueryRuntime query;
    private final QueryOptions options;
    final List<SourceTask<?>> sourceTasks = new ArrayList<>();
    /** Micro-batch only: one tracker per withWatermark node, in plan order. */
    final List<WatermarkTracker> watermarkTrackers = new ArrayList<>();
    /** The query's watermark alignment groups, by name (continuous mode). */
    private final Map<String, WatermarkAlignmentGroup> alignmentGroups = new HashMap<>();
    /** Records whose event time was too far ahead (watermark guard), over all watermark nodes. */
    final AtomicLong futureEvents = new AtomicLong();
    /** Keyed heads and their contexts, for state metrics and watermark reports. */
    final List<TaskContext> keyedContexts = new ArrayList<>();
    /** The heads of each keyed node, in plan order, for state metrics. */
    final LinkedHashMap<PlanNode.KeyedNode<?, ?, ?>, List<KeyedHead<?, ?, ?>>> keyedHeads = new LinkedHashMap<>();
    /** Late-data sinks and their writer counts, opened and closed with the query. */
    /** Side sinks (late data, process functions' side outputs) with their writer counts, closed with the query. */
    final LinkedHashMap<Sink<?>, Integer> sideSinks = new LinkedHashMap<>();
    final List<PartitionWorker> workers = new ArrayList<>();
    /** Continuous: a one-partition keyed stage fed by several tasks runs on its first producer's thread. */
    final Map<Agent, Agent> hostOf = new IdentityHashMap<>();
    private final Map<TaskContext, Agent> agentByContext = new IdentityHashMap<>();
    final List<SinkLink<?>> sinkLinks = new ArrayList<>();
    /**
     * The rings into each keyed stage that has them (continuous mode, not fused), in plan order: one per
     * producing task and partition. Read only by {@link QueryProbe} to sample their fill.
     */
    final LinkedHashMap<PlanNode.KeyedNode<?, ?, ?>, List<RingBuffer<Slot>>> stageRings = new LinkedHashMap<>();
    /** Keyed heads whose operator acts on processing time (timers), for the micro-batch driver. */
    final List<KeyedHead<?, ?, ?>> timedHeads = new ArrayList<>();
    /** Every queryable operator's read queue, for the micro-batch driver (which answers them all). */
    final List<StateReadInbox> stateInboxes = new ArrayList<>();
    /** The query's queryable operators by name. */
    final QueryableStages queryable;
    /** Source tasks grouped by the source they read, in plan order. */
    final Map<Source<?>, List<TaskContext>> sourceContexts = new IdentityHashMap<>();
    private int keyedStages;
    /** The dead-letter sink of a dead-letter error policy (opened before planning), or {@code null}. */
    private Sink<Object> deadLetterSink;
    private int deadLetterWriterCount;
    private int deadLetterWriters;
    private long startNs;
    private long startMs;
    private final CheckpointCoordinator coordinator;
    private final StatefulPlan ids;
    /** The checkpoint this run restores, or {@code null}. */
    private final Checkpoint restored;

    /**
     * @param query the query being planned
     * @param options its settings
     * @param coordinator completes its epochs; tasks register with it as they are planned
     * @param ids the checkpoint ids of the plan's sources and keyed stages
     * @param restored the checkpoint to restore operators and positions from, or {@code null}
     */
    Planner(QueryRuntime query, QueryOptions options, CheckpointCoordinator coordinator, StatefulPlan ids,
            Checkpoint restored) {
        this.query = query;
        this.options = options;
        this.coordinator = coordinator;
        this.ids = ids;
        this.restored = restored;
        this.queryable = new QueryableStages(options.name());
    }

    /**
     * Counts the tasks of the stage a node's output is produced in: the sink gets one writer each.
     *
     * @param node the node
     * @param defaultParallelism partitions of a keyed node that names none
     * @return the task count
     */
    static int producingTasks(PlanNode<?> node, int defaultParallelism) {
        if (node instanceof PlanNode.SourceNode<?> source) {
            return source.source().numPartitions();
        }
        if (node instanceof PlanNode.KeyedNode<?, ?, ?> keyed) {
            return keyed.partitions() > 0 ? keyed.partitions() : defaultParallelism;
        }
        int tasks = 0;
        for (PlanNode<?> input : node.inputs()) {
            tasks += producingTasks(input, defaultParallelism);
        }
        return tasks;
    }

    /**
     * Rejects a plan in which one node feeds two consumers: each task runs one chain, so a shared
     * node would read its source twice.
     *
     * @param root the node the sink reads
     */
    static void rejectSharedNodes(PlanNode<?> root) {
        Map<PlanNode<?>, Boolean> seen = new IdentityHashMap<>();
        List<PlanNode<?>> pending = new ArrayList<>();
        pending.add(root);
        while (!pending.isEmpty()) {
            PlanNode<?> node = pending.remove(pending.size() - 1);
            if (seen.put(node, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("'" + node.description() + "' feeds more than one operator in this"
                    + " query; a stream can be consumed once per query (read the source twice instead)");
            }
            pending.addAll(node.inputs());
        }
    }

    <T> void plan(PlanNode<T> root, Sink<T> sink) {
        planGraph(root, sink);
        restoreState();
    }

    /**
     * Restores every partition's operators from the checkpoint, partitions in parallel (each
     * operator is restored by one thread, before the task threads start, which then see it whole).
     * A failure is rethrown here, naming the operator and partition.
     */
    private void restoreState() {
        try {
            restores.parallelStream().forEach(Runnable::run);
        } finally {
            restores.clear();
        }
    }

    private <T> void planGraph(PlanNode<T> root, Sink<T> sink) {
        openDeadLetterSink(root, sink);
        planNode(root, context -> {
            int index = sinkLinks.size();
            SinkLink<T> link = SinkLink.create(sink.createWriter(index), coordinator,
                coordinator.writer(sink.description(), index), context, options.nanoClock(), options.latencySampling());
            if (context.sinkLink != null) {
                throw new IllegalStateException("task " + context.name + " already ends in a sink");
            }
            context.sinkLink = link;
            sinkLinks.add(link);
            return link;
        });
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <T> void planNode(PlanNode<T> node, Function<TaskContext, Link<T>> downstream) {
        if (node instanceof PlanNode.SourceNode<T> sourceNode) {
            planSource(sourceNode.source(), ids.idOf(sourceNode), downstream);
        } else if (node instanceof PlanNode.OperatorNode operatorNode) {
            PlanNode.OperatorNode<Object, T> op = operatorNode;
            planNode(op.input(), context -> OperatorLink.create((Operator<Object, T>) op.factory().get(), downstream.apply(context),
                op.description(), context));
        } else if (node instanceof PlanNode.UnionNode<T> union) {
            for (PlanNode<T> input : union.unionInputs()) {
                planNode(input, downstream);
            }
        } else if (node instanceof PlanNode.KeyedNode keyedNode) {
            if (options.microBatch()) {
                planLocalKeyed((PlanNode.KeyedNode<Object, Object, T>) keyedNode, downstream);
            } else {
                planKeyed((PlanNode.KeyedNode<Object, Object, T>) keyedNode, downstream);
            }
        } else if (node instanceof PlanNode.WatermarkNode<T> watermarkNode) {
            planWatermark(watermarkNode, downstream);
        } else {
            throw new IllegalArgumentException("unknown plan node " + node);
        }
    }

    private <T> void planSource(Source<T> source, String sourceId, Function<TaskContext, Link<T>> downstream) {
        int partitions = source.numPartitions();
        if (partitions < 1) {
            throw new IllegalArgumentException("source " + source.description() + " has " + partitions + " partitions");
        }
        if (restored != null && restored.sourcePartitions(sourceId).length > partitions) {
            throw new IllegalArgumentException("source " + source.description() + " (" + sourceId + ") has " + partitions
                + " partitions, but the checkpoint holds positions of " + restored.sourcePartitions(sourceId).length
                + ": a restart cannot follow a source's partition count");
        }
        List<TaskContext> contexts = sourceContexts.computeIfAbsent(source, s -> new ArrayList<>());
        if (sourceTasks.isEmpty()) {
            // One start for every source task of the query, so their epoch boundaries coincide: a keyed
            // stage fed by two sources aligns their barriers, and a source planned later (after the rings
            // of an earlier one were allocated, milliseconds) would otherwise hold every epoch back by that.
            startNs = options.nanoClock().nanoTime();
            startMs = options.epochClock().time();
        }
        for (int p = 0; p < partitions; p++) {
            TaskContext context = newContext("source-" + sourceTasks.size());
            context.producesWatermarks = source.emitsWatermarks();
            SourceTask<T> task = new SourceTask<>(context, source, p, partitions, options.nanoClock(), options.epochClock(),
                options.epochIntervalNs(), startNs, startMs);
            context.sourceTask = task;
            task.chain(downstream.apply(context));
            task.checkpointing(coordinator, coordinator.source(sourceId, p),
                restored == null ? null : restored.sourcePosition(sourceId, p));
            sourceTasks.add(task);
            agentByContext.put(context, task);
            contexts.add(context);
        }
    }

    private <K, I, O> void planKeyed(PlanNode.KeyedNode<K, I, O> node, Function<TaskContext, Link<O>> downstream) {
        int partitions = node.partitions() > 0 ? node.partitions() : options.defaultParallelism();
        if (options.fuseKeyedStages() && partitions == 1 && !(node instanceof PlanNode.CoKeyedNode)
            && producingTasks(node.input(), options.defaultParallelism()) == 1) {
            planFusedKeyed(node, downstream);
            return;
        }
        SideWiring late = sideWiring(node, partitions);
        int[] table = KeyGroups.partitionTable(options.maxParallelism(), partitions);
        List<RingBuffer<Slot>[]> producers = new ArrayList<>();
        List<TaskContext> producerContexts = new ArrayList<>();
        // Both inputs of a two-input stage are producers alike: one ring per producer and partition, the
        // same key-group table, and the side written into the ring's slots.
        List<PreAggregatingLink<?, ?, ?>> preAggregating = new ArrayList<>();
        planExchangeInput(node.input(), node.keyFunction(), node.copier(), Slot.LEFT, keyStage(node.keyName()), partitions,
            table, producers, producerContexts, node instanceof PlanNode.CoKeyedNode ? null : node.preAggregation(),
            preAggregating);
        int hostProducer = 0;
        if (node instanceof PlanNode.CoKeyedNode<K, I, ?, O> co) {
            hostProducer = producerContexts.size();
            planRightExchangeInput(co, partitions, table, producers, producerContexts);
        }
        int stage = ++keyedStages;
        String operatorId = ids.idOf(node);
        enablePreAggregation(node, operatorId, producerContexts, preAggregating);
        List<RingBuffer<Slot>> stageRingList = new ArrayList<>();
        for (RingBuffer<Slot>[] producer : producers) {
            stageRingList.addAll(List.of(producer));
        }
        stageRings.put(node, List.copyOf(stageRingList));
        for (int p = 0; p < partitions; p++) {
            SingleProducerPoller[] inputs = new SingleProducerPoller[producers.size()];
            @SuppressWarnings("unchecked")
            RingBuffer<Slot>[] partitionRings = new RingBuffer[producers.size()];
            for (int i = 0; i < inputs.length; i++) {
                RingBuffer<Slot> ring = producers.get(i)[p];
                partitionRings[i] = ring;
                inputs[i] = new SingleProducerPoller(ring);
            }
            boolean[] carriesWatermark = new boolean[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                carriesWatermark[i] = producerContexts.get(i).producesWatermarks;
            }
            TaskContext context = newContext("keyed" + stage + "-" + p);
            context.producesWatermarks = anyTrue(carriesWatermark);
            PartitionWorker worker = new PartitionWorker(context, inputs, partitionRings, carriesWatermark, options.maxWatermarkPolicy(),
                options.idleInputTimeoutNs(), options.nanoClock());
            worker.head(newHead(node, operatorId, p, partitions, late, context, downstream));
            workers.add(worker);
            agentByContext.put(context, worker);
            if (options.fuseKeyedStages() && partitions == 1 && producerContexts.size() > 1) {
                // Several producers: the stage cannot run inside one producer's chain, but it can share
                // one producer's thread (one thread fewer; that producer's records skip a core hop). A
                // two-input stage shares its right input's: a join emits a match when the later of its
                // two rows arrives, and the right input is the one whose rows come later and more often
                // (clicks after impressions, trades after orders), so most results skip the hop and do not
                // wait for the other thread to be scheduled. Otherwise the first producer's.
                Agent host = agentByContext.get(producerContexts.get(hostProducer).owner());
                if (host != null) {
                    hostOf.put(worker, host);
                }
            }
            keyedContexts.add(context);
        }
    }

    private <K, R> void planRightExchangeInput(PlanNode.CoKeyedNode<K, ?, R, ?> co, int partitions, int[] table,
                                               List<RingBuffer<Slot>[]> producers, List<TaskContext> producerContexts) {
        planExchangeInput(co.right(), co.rightKeyFunction(), co.rightCopier(), Slot.RIGHT, keyStage(co.rightKeyName()),
            partitions, table, producers, producerContexts, null, null);
    }

    /**
     * Plans one input of a keyed stage: each of its tasks ends in an exchange link with its own rings, behind a
     * (still disabled) {@link PreAggregatingLink} if the stage can be pre-aggregated.
     */
    private <K, T> void planExchangeInput(PlanNode<T> input, Function<? super T, ? extends K> keyFunction, RecordCopier<T> copier,
                                          int side, String keyStage, int partitions, int[] table,
                                          List<RingBuffer<Slot>[]> producers, List<TaskContext> producerContexts,
                                          PlanNode.PreAggregation<T, ?> preAggregation,
                                          List<PreAggregatingLink<?, ?, ?>> preAggregating) {
        planNode(input, context -> {
            RingBuffer<Slot>[] rings = newRings(partitions, copier, side);
            producers.add(rings);
            producerContexts.add(context);
            ExchangeLink<K, T> exchange = new ExchangeLink<>(keyFunction, rings, table, context, copier, keyStage);
            if (preAggregation == null || !preAggregationSwitchedOn()) {
                return exchange;
            }
            PreAggregatingLink<K, T, ?> link = preAggregatingLink(keyFunction, preAggregation, exchange, context);
            preAggregating.add(link);
            return link;
        });
    }

    private static <K, T, A> PreAggregatingLink<K, T, A> preAggregatingLink(Function<? super T, ? extends K> keyFunction,
                                                                            PlanNode.PreAggregation<T, A> preAggregation,
                                                                            ExchangeLink<K, T> exchange, TaskContext context) {
        return new PreAggregatingLink<>(keyFunction,
            new WindowPreAggregator<K, T, A>(preAggregation.windows(), preAggregation.eventTimeMs(), preAggregation.fn()),
            exchange, context);
    }

    /**
     * @return whether pre-aggregation before the exchange may be used: system property {@value #PRE_AGGREGATION_PROPERTY}
     *     is not {@code false} (read when a query is planned)
     */
    static boolean preAggregationSwitchedOn() {
        return !"false".equalsIgnoreCase(System.getProperty(PRE_AGGREGATION_PROPERTY, "true"));
    }

    /** System property that turns pre-aggregation before the exchange off ({@code false}); on by default. */
    static final String PRE_AGGREGATION_PROPERTY = "rivulet.preAggregation";

    /**
     * Turns on a stage's pre-aggregating links where the rules keep its output identical to shipping every
     * record (docs/architecture.md, "Pre-aggregation before the exchange"): APPEND output (continuous mode
     * plans here); every producer carries a watermark and, with several producers, they combine by minimum
     * and never go idle, so the stage's watermark never passes a producer's own (a partial, flushed before
     * its producer forwards its window's end, then always reaches the stage while the window is open there);
     * the default error policy (a record's failure is the query's, on either thread); a key that is not a
     * {@code long} (those travel unboxed as records); the stage not queryable (a read between barriers would
     * miss the partials in flight). After a restore, the stage's restored watermark closes the windows it
     * closed, so their records still go on as records.
     */
    private void enablePreAggregation(PlanNode.KeyedNode<?, ?, ?> node, String operatorId, List<TaskContext> producerContexts,
                                      List<PreAggregatingLink<?, ?, ?>> links) {
        if (links.isEmpty() || options.outputMode() != OutputMode.APPEND || options.microBatch()
            || node.queryableName() != null || ExchangeLink.longKeys(node.keyFunction()) != null) {
            return;
        }
        for (TaskContext producer : producerContexts) {
            if (!producer.producesWatermarks || producer.failures != null) {
                return;
            }
        }
        if (producerContexts.size() > 1 && (options.maxWatermarkPolicy() || options.idleInputTimeoutNs() > 0)) {
            return;
        }
        long restoredWatermarkMs = Long.MIN_VALUE;
        if (restored != null) {
            boolean first = true;
            try {
                for (byte[] state : restored.operatorStates(operatorId)) {
                    long watermarkMs = WindowAggregateOperator.watermarkMsOf(new SnapshotInput(state));
                    restoredWatermarkMs = first ? watermarkMs : Math.min(restoredWatermarkMs, watermarkMs);
                    first = false;
                }
            } catch (StateFormatException e) {
                // Not this operator's state: the restore reports it, naming the stage; stay off meanwhile.
                return;
            }
        }
        for (PreAggregatingLink<?, ?, ?> link : links) {
            link.enable(restoredWatermarkMs);
        }
    }

    /**
     * The late-data sinks (the right input's too, in a two-input stage; {@code rightSink == sink} when
     * both sides share one) and the side-output sinks of a keyed node, shared by its partitions.
     */
    private record SideWiring(Sink<Object> sink, Sink<Object> rightSink, Map<String, Sink<Object>> sides) {
    }

    @SuppressWarnings("unchecked")
    private SideWiring sideWiring(PlanNode.KeyedNode<?, ?, ?> node, int partitions) {
        Sink<Object> sink = openLateSink((Sink<Object>) node.lateSink(), partitions);
        Sink<Object> rightSink = null;
        if (node instanceof PlanNode.CoKeyedNode<?, ?, ?, ?> co && co.rightLateSink() != null) {
            // One sink for both sides: one writer per partition, written by both sides' late outputs.
            rightSink = co.rightLateSink() == node.lateSink() ? sink : openLateSink((Sink<Object>) co.rightLateSink(), partitions);
        }
        Map<String, Sink<Object>> sides = new LinkedHashMap<>();
        for (Map.Entry<String, Sink<?>> side : node.sideSinks().entrySet()) {
            Sink<Object> sideSink = (Sink<Object>) side.getValue();
            if (sideSinks.put(sideSink, partitions) != null) {
                throw new IllegalArgumentException("sink " + sideSink.description() + " of side output '" + side.getKey()
                    + "' is used twice in one query (as another late-data or side-output sink, or as the dead-letter sink)");
            }
            query.openSideSink(sideSink, partitions);
            sides.put(side.getKey(), sideSink);
        }
        return sink == null && rightSink == null && sides.isEmpty() ? null : new SideWiring(sink, rightSink, sides);
    }

    private Sink<Object> openLateSink(Sink<Object> sink, int partitions) {
        if (sink != null && sideSinks.put(sink, partitions) != null) {
            throw new IllegalArgumentException("late-data sink " + sink.description() + " is used twice in one query"
                + " (as another stage's late-data or side-output sink, or as the dead-letter sink)");
        }
        if (sink != null) {
            query.openSideSink(sink, partitions);
        }
        return sink;
    }

    private <K, I, O> KeyedHead<K, I, O> newHead(PlanNode.KeyedNode<K, I, O> node, String operatorId, int partition,
                                                 int partitions, SideWiring late, TaskContext context,
                                                 Function<TaskContext, Link<O>> downstream) {
        SinkLink<Object> lateLink = null;
        Map<String, Output<Object>> sideOutputs = new LinkedHashMap<>();
        List<Link<?>> sideLinks = new ArrayList<>();
        if (late != null && late.sink() != null) {
            lateLink = sideLink(late.sink(), partition, context);
            sideLinks.add(lateLink);
        }
        if (late != null) {
            for (Map.Entry<String, Sink<Object>> side : late.sides().entrySet()) {
                SinkLink<Object> link = sideLink(side.getValue(), partition, context);
                sideOutputs.put(side.getKey(), link);
                sideLinks.add(link);
            }
        }
        Output<Object> lateOutput = lateLink;
        if (lateLink != null && node.copier() != null) {
            // The operator's late record lives in a ring slot that is about to be reused, or (one thread)
            // in the source's record that it refills: send a copy.
            lateOutput = copying(lateLink, node.copier());
        }
        KeyGroupRange keyGroups = KeyGroups.rangeOf(partition, options.maxParallelism(), partitions);
        KeyedOperator<K, I, O> operator;
        KeyedHead<K, I, O> head;
        if (node instanceof PlanNode.CoKeyedNode<K, I, ?, O> co) {
            SinkLink<Object> rightLink = null;
            if (late != null && late.rightSink() != null) {
                if (late.rightSink() == late.sink()) {
                    rightLink = lateLink;
                } else {
                    rightLink = sideLink(late.rightSink(), partition, context);
                    sideLinks.add(rightLink);
                }
            }
            Output<Object> rightOutput = rightLink != null && co.rightCopier() != null ? copying(rightLink, co.rightCopier())
                : rightLink;
            TwoInputHead<K, I, ?, O> twoInput = newTwoInputHead(co, lateOutput, rightOutput, keyGroups, sideLinks, context,
                downstream);
            operator = twoInput.operator;
            head = twoInput;
        } else {
            OperatorContext operatorContext = new OperatorContext(options.outputMode(), options.microBatch(), lateOutput,
                options.maxParallelism(), keyGroups, Map.copyOf(sideOutputs));
            operator = node.factory().apply(operatorContext);
            head = KeyedHead.create(operator, downstream.apply(context), sideLinks, context, node.description(), node.copier());
        }
        if (coordinator.checkpointing()) {
            if (!(operator instanceof CheckpointedOperator checkpointed)) {
                throw new IllegalArgumentException("'" + node.description() + "' keeps state that a checkpoint cannot save: its"
                    + " operator " + operator.getClass().getName() + " does not implement CheckpointedOperator (keep"
                    + " the state in KeyedStream.transformWithState(name, KeyedProcessFunction factory), or run the query without a checkpoint"
                    + " location)");
            }
            if (restored != null) {
                restores.add(() -> restore(checkpointed, node, operatorId, partition, partitions));
            }
            head.checkpointing(coordinator, coordinator.operator(operatorId, partition, partitions));
        } else if (operator instanceof CheckpointedOperator checkpointed) {
            checkpointed.withoutSnapshots();
        }
        if (node.queryableName() != null) {
            queryable(node, operator, partition, partitions, context);
        }
        if (head.usesProcessingTime()) {
            context.owner().timedHeads.add(head);
            timedHeads.add(head);
        }
        keyedHeads.computeIfAbsent(node, n -> new ArrayList<>()).add(head);
        return head;
    }

    /**
     * A two-input partition's operator and head: each side's late output is a {@link TwoInputHead.LateCounter}
     * (never {@code null}: it counts the side's late rows, and forwards them to the side's sink if any).
     */
    private <K, L, R, O> TwoInputHead<K, L, R, O> newTwoInputHead(PlanNode.CoKeyedNode<K, L, R, O> node, Output<Object> leftLate,
                                                                  Output<Object> rightLate, KeyGroupRange keyGroups,
                                                                  List<Link<?>> sideLinks, TaskContext context,
                                                                  Function<TaskContext, Link<O>> downstream) {
        TwoInputHead.LateCounter leftCounter = new TwoInputHead.LateCounter(leftLate);
        TwoInputHead.LateCounter rightCounter = new TwoInputHead.LateCounter(rightLate);
        OperatorContext operatorContext = new OperatorContext(options.outputMode(), options.microBatch(), leftCounter,
            options.maxParallelism(), keyGroups, Map.of(), rightCounter);
        TwoInputKeyedOperator<K, L, R, O> operator = node.twoInputFactory().apply(operatorContext);
        if (operator == null) {
            throw new IllegalArgumentException("'" + node.description() + "': the operator factory returned null");
        }
        return new TwoInputHead<>(operator, downstream.apply(context), sideLinks, context, node.description(), node.copier(),
            node.rightCopier(), leftCounter, rightCounter);
    }

    /**
     * Registers a named operator's partition for queryable-state reads: answered on the thread that
     * runs its chain (continuous mode) or by the micro-batch driver.
     */
    private void queryable(PlanNode.KeyedNode<?, ?, ?> node, KeyedOperator<?, ?, ?> operator, int partition, int partitions,
                           TaskContext context) {
        if (!(operator instanceof QueryableOperator<?, ?> readable)) {
            throw new IllegalArgumentException("'" + node.description() + "' is named '" + node.queryableName()
                + "' for queryable state, but its operator " + operator.getClass().getName() + " does not implement"
                + " QueryableOperator (queryable: reduce, aggregate and count of a KeyedStream, window(...) and sessionWindow(...)"
                + " aggregations and their top-N, mapGroupsWithState and flatMapGroupsWithState, dropDuplicates and"
                + " dropDuplicatesWithinWatermark, transformWithState, topN and orderBy(..).limit(n); a custom"
                + " KeyedStream.process operator must implement QueryableOperator itself)");
        }
        StateReadInbox inbox = new StateReadInbox(readable, node.queryableName(), partition);
        queryable.add(node.queryableName(), node, partition, partitions, options.maxParallelism(), inbox);
        stateInboxes.add(inbox);
        if (!options.microBatch()) {
            context.owner().addStateInbox(inbox);
        }
    }

    /** A partition's writer of a side sink (late data, a side output), ended and closed with its task. */
    private SinkLink<Object> sideLink(Sink<Object> sink, int partition, TaskContext context) {
        SinkLink<Object> link = SinkLink.create(sink.createWriter(partition), coordinator,
            coordinator.writer(sink.description(), partition), context, options.nanoClock(), options.latencySampling());
        context.sideLinks.add(link);
        return link;
    }

    /** Loads one partition's operator from the restored checkpoint: the key groups it owns, every operator state. */
    private void restore(CheckpointedOperator operator, PlanNode.KeyedNode<?, ?, ?> node, String operatorId, int partition,
                         int partitions) {
        KeyGroupRange range = KeyGroups.rangeOf(partition, options.maxParallelism(), partitions);
        try {
            long startNs = System.nanoTime();
            long bytes = 0;
            for (int keyGroup : restored.keyGroups(operatorId)) {
                if (range.contains(keyGroup)) {
                    byte[] block = restored.readKeyGroup(operatorId, keyGroup);
                    bytes += block.length;
                    operator.restoreKeyGroup(keyGroup, new SnapshotInput(block));
                }
            }
            for (byte[] state : restored.operatorStates(operatorId)) {
                operator.restoreOperatorState(new SnapshotInput(state));
            }
            LOG.log(System.Logger.Level.INFO, "query '" + options.name() + "': restored " + operatorId + " (partition "
                + partition + ") from " + bytes + " bytes of the checkpoint of epoch " + restored.epochId() + " in "
                + (System.nanoTime() - startNs) / 1_000_000 + " ms");
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot restore '" + node.description() + "' (" + operatorId + ", partition "
                + partition + ") from the checkpoint of epoch " + restored.epochId() + ": " + e.getMessage(), e);
        }
    }

    private <K, I, O> void planLocalKeyed(PlanNode.KeyedNode<K, I, O> node, Function<TaskContext, Link<O>> downstream) {
        int partitions = node.partitions() > 0 ? node.partitions() : options.defaultParallelism();
        SideWiring late = sideWiring(node, partitions);
        int stage = ++keyedStages;
        KeyedHead<?, ?, ?>[] heads = new KeyedHead[partitions];
        TaskContext[] contexts = new TaskContext[partitions];
        LocalExchange exchange = new LocalExchange(heads, contexts, KeyGroups.partitionTable(options.maxParallelism(), partitions),
            options.maxWatermarkPolicy());
        planNode(node.input(), context -> exchange.input(context, node.keyFunction(), keyStage(node.keyName()), Slot.LEFT));
        if (node instanceof PlanNode.CoKeyedNode<K, I, ?, O> co) {
            planRightLocalInput(co, exchange);
        }
        exchange.inputsPlanned();
        for (int p = 0; p < partitions; p++) {
            contexts[p] = newContext("keyed" + stage + "-" + p);
            heads[p] = newHead(node, ids.idOf(node), p, partitions, late, contexts[p], downstream);
            keyedContexts.add(contexts[p]);
        }
    }

    private <K, R> void planRightLocalInput(PlanNode.CoKeyedNode<K, ?, R, ?> co, LocalExchange exchange) {
        planNode(co.right(), context -> exchange.input(context, co.rightKeyFunction(), keyStage(co.rightKeyName()), Slot.RIGHT));
    }

    /**
     * A keyed stage with one partition and one upstream task runs inside that task's chain: the
     * upstream chain ends in a {@link LocalExchange} that calls the stage's head directly.
     */
    private <K, I, O> void planFusedKeyed(PlanNode.KeyedNode<K, I, O> node, Function<TaskContext, Link<O>> downstream) {
        SideWiring late = sideWiring(node, 1);
        int stage = ++keyedStages;
        KeyedHead<?, ?, ?>[] heads = new KeyedHead[1];
        TaskContext context = newContext("keyed" + stage + "-0");
        TaskContext[] contexts = {context};
        LocalExchange exchange = new LocalExchange(heads, contexts, KeyGroups.partitionTable(options.maxParallelism(), 1),
            options.maxWatermarkPolicy());
        List<TaskContext> upstream = new ArrayList<>(1);
        planNode(node.input(), producer -> {
            upstream.add(producer);
            return exchange.input(producer, node.keyFunction(), keyStage(node.keyName()), Slot.LEFT);
        });
        if (upstream.size() != 1) {
            throw new IllegalStateException("fused keyed stage expected one upstream task, got " + upstream.size());
        }
        exchange.inputsPlanned();
        context.fuseInto(upstream.get(0));
        heads[0] = newHead(node, ids.idOf(node), 0, 1, late, context, downstream);
        keyedContexts.add(context);
    }

    private <T> void planWatermark(PlanNode.WatermarkNode<T> node, Function<TaskContext, Link<T>> downstream) {
        WatermarkTracker tracker = options.microBatch() ? new WatermarkTracker(node.strategy().delay().toMillis()) : null;
        if (tracker != null) {
            watermarkTrackers.add(tracker);
        }
        planNode(node.input(), context -> {
            Link<T> next = downstream.apply(context);
            context.producesWatermarks = true;
            WatermarkLink<T> link = WatermarkLink.create(node.eventTimeMs(), node.strategy(), next, tracker, futureEvents, context);
            String group = node.strategy().alignmentGroup();
            if (group != null && tracker == null && context.sourceTask != null) {
                // Continuous, in a source's own task: the task pauses its reads when too far ahead of the group.
                link.alignment = alignmentGroups.computeIfAbsent(group, WatermarkAlignmentGroup::new)
                    .join(node.strategy().maxDrift().toMillis());
            }
            context.watermarkLinks.add(link);
            return link;
        });
    }

    @SuppressWarnings("unchecked")
    private static <I> Output<Object> copying(SinkLink<Object> link, RecordCopier<I> copier) {
        return record -> {
            I copy = copier.newInstance();
            copier.copy((I) record, copy);
            link.emit(copy);
        };
    }

    private static boolean anyTrue(boolean[] values) {
        for (boolean v : values) {
            if (v) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private RingBuffer<Slot>[] newRings(int partitions, RecordCopier<?> copier, int side) {
        RingBuffer<Slot>[] rings = new RingBuffer[partitions];
        for (int p = 0; p < partitions; p++) {
            // Workers poll; nobody ever waits on the ring's wait strategy, and busy-spin's signal is free.
            rings[p] = RingBuffer.createSingleProducer(() -> newSlot(copier, side), options.ringCapacity(),
                new BusySpinWaitStrategy());
        }
        return rings;
    }

    /** A ring's slot: the ring is written by one exchange link, which feeds one side, so the side is set once here. */
    private static Slot newSlot(RecordCopier<?> copier, int side) {
        Slot slot = new Slot();
        slot.input = side;
        if (copier != null) {
            slot.record = copier.newInstance();
            slot.ownsRecord = true;
        }
        return slot;
    }

    private TaskContext newContext(String role) {
        TaskContext context = new TaskContext(query, "rivulet-" + options.name() + "-" + role, options.idleStrategies().get());
        context.epochClock = options.epochClock();
        context.epoch = coordinator.firstEpoch();
        ErrorPolicy policy = options.errorPolicy();
        if (policy.kind() != ErrorPolicy.Kind.FAIL) {
            SinkLink<Object> deadLetters = null;
            if (deadLetterSink != null) {
                int index = deadLetterWriters++;
                if (index >= deadLetterWriterCount) {
                    throw new IllegalStateException("planned more tasks than counted for the dead-letter sink: " + deadLetterWriterCount);
                }
                deadLetters = SinkLink.create(deadLetterSink.createWriter(index), coordinator,
                    coordinator.writer(deadLetterSink.description(), index), context, options.nanoClock(), options.latencySampling());
                context.sideLinks.add(deadLetters);
            }
            context.failures = new RecordFailures(options.name(), deadLetters, options.nanoClock(), ErrorPolicy.SKIP_LOG_INTERVAL_MS);
        }
        return context;
    }

    /** The stage name of a key function named {@code keyName} (or {@code null}), for a failed record. */
    private static String keyStage(String keyName) {
        return keyName == null ? "keyBy" : "keyBy(" + keyName + ")";
    }

    /**
     * Counts the task contexts planning {@code node} creates: one per source partition and one per
     * partition of each keyed stage (fused or not); each gets a writer of the dead-letter sink.
     *
     * @param node the plan's root
     * @param defaultParallelism partitions of a keyed node that names none
     * @return the count
     */
    static int taskContexts(PlanNode<?> node, int defaultParallelism) {
        int count = 0;
        if (node instanceof PlanNode.SourceNode<?> source) {
            count += source.source().numPartitions();
        } else if (node instanceof PlanNode.KeyedNode<?, ?, ?> keyed) {
            count += keyed.partitions() > 0 ? keyed.partitions() : defaultParallelism;
        }
        for (PlanNode<?> input : node.inputs()) {
            count += taskContexts(input, defaultParallelism);
        }
        return count;
    }

    /**
     * Opens the dead-letter sink of a dead-letter error policy, one writer per task context, committed
     * with the query's sink. Rejects a dead-letter sink that is also the query's sink.
     */
    @SuppressWarnings("unchecked")
    private void openDeadLetterSink(PlanNode<?> root, Sink<?> sink) {
        Sink<Object> deadLetters = (Sink<Object>) options.errorPolicy().deadLetterSink();
        if (deadLetters == null) {
            return;
        }
        if (deadLetters == sink) {
            throw new IllegalArgumentException("errorPolicy: the dead-letter sink " + sink.description()
                + " is the query's own sink; give dead letters a sink of their own");
        }
        deadLetterWriterCount = taskContexts(root, options.defaultParallelism());
        sideSinks.put(deadLetters, deadLetterWriterCount);
        query.openSideSink(deadLetters, deadLetterWriterCount, OutputMode.APPEND);
        deadLetterSink = deadLetters;
    }

    int totalTasks() {
        return sourceTasks.size() + workers.size();
    }

    void openSources() throws Exception {
        for (SourceTask<?> task : sourceTasks) {
            task.open();
        }
    }
}
