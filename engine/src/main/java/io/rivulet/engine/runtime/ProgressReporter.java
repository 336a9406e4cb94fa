package io.rivulet.engine.runtime;

import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.QueryProgress;
import io.rivulet.engine.StaticTableHandle;
import io.rivulet.engine.source.Source;
import io.rivulet.operators.StateMetrics;
import org.HdrHistogram.Histogram;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds a {@link QueryProgress} at each epoch commit from the tasks' counters and the sink links'
 * latency recorders.
 *
 * <p>{@link #report} is called by one thread at a time: the {@link ProgressPublisher}'s (continuous)
 * or the micro-batch driver; the
 * published progress and the cumulative histogram are read by any thread under this object's lock.
 */
final class ProgressReporter {
    private final QueryRuntime query;
    private final List<Source<?>> sources = new ArrayList<>();
    private final List<List<TaskContext>> sourceContexts = new ArrayList<>();
    private final List<SinkLink<?>> sinkLinks;
    private final String sinkDescription;
    private final long[] lastSourceTotals;
    private final Histogram interval = new Histogram(1, SinkLink.HIGHEST_TRACKABLE_NS, 3);
    private final Histogram cumulative = new Histogram(1, SinkLink.HIGHEST_TRACKABLE_NS, 3);
    private final Histogram[] recycled;
    private final ArrayDeque<QueryProgress> recent = new ArrayDeque<>();
    /** Reports {@link #recent} keeps. */
    private final int recentCapacity;
    private long lastNs;
    private long lastInput;
    private long lastProcessed;
    private long lastOutput;
    private long lastFailed;
    /** Every task context of the query, for the failed-record counts. */
    private final List<TaskContext> contexts = new ArrayList<>();
    private volatile QueryProgress last;

    private final List<Map.Entry<PlanNode.KeyedNode<?, ?, ?>, List<KeyedHead<?, ?, ?>>>> stateful = new ArrayList<>();
    private long[] lastDropped;
    /** A two-input stage's late rows of each side at the last report, by stage. */
    private long[] lastLeftLate;
    private long[] lastRightLate;
    private AtomicLong futureEvents;
    /** The static tables the query's stream-static joins read, each handle once, in plan order. */
    private final List<StaticTableHandle<?, ?>> staticTables = new ArrayList<>();
    private long[] lastRefreshes = new long[0];
    private long[] lastRefreshFailures = new long[0];

    ProgressReporter(QueryRuntime query, Planner planner, PlanNode<?> root, String sinkDescription, long startNs,
                     int recentCapacity) {
        this(query, planner.sourceContexts, planner.sinkLinks, sinkDescription, startNs, recentCapacity);
        collectStaticTables(root);
        lastRefreshes = new long[staticTables.size()];
        lastRefreshFailures = new long[staticTables.size()];
        for (int i = 0; i < staticTables.size(); i++) {
            lastRefreshes[i] = staticTables.get(i).refreshes();
            lastRefreshFailures[i] = staticTables.get(i).refreshFailures();
        }
        stateful.addAll(planner.keyedHeads.entrySet());
        lastDropped = new long[stateful.size()];
        lastLeftLate = new long[stateful.size()];
        lastRightLate = new long[stateful.size()];
        futureEvents = planner.futureEvents;
        planner.sourceContexts.values().forEach(contexts::addAll);
        contexts.addAll(planner.keyedContexts);
    }

    private ProgressReporter(QueryRuntime query, Map<Source<?>, List<TaskContext>> sourceContexts, List<SinkLink<?>> sinkLinks,
                     String sinkDescription, long startNs, int recentCapacity) {
        this.query = query;
        sourceContexts.forEach((source, contexts) -> {
            sources.add(source);
            this.sourceContexts.add(List.copyOf(contexts));
        });
        this.sinkLinks = List.copyOf(sinkLinks);
        this.sinkDescription = sinkDescription;
        this.lastSourceTotals = new long[sources.size()];
        this.recycled = new Histogram[sinkLinks.size()];
        this.lastNs = startNs;
        this.recentCapacity = recentCapacity;
    }

    QueryProgress report(long epochId, long nowNs, long nowMs) {
        double seconds = Math.max(1, nowNs - lastNs) / 1e9;
        List<QueryProgress.SourceProgress> perSource = new ArrayList<>(sources.size());
        long input = 0;
        for (int s = 0; s < sources.size(); s++) {
            long total = 0;
            for (TaskContext context : sourceContexts.get(s)) {
                total += context.recordsIn.get();
            }
            long delta = total - lastSourceTotals[s];
            lastSourceTotals[s] = total;
            input += total;
            perSource.add(new QueryProgress.SourceProgress(sources.get(s).description(), delta, delta / seconds,
                sources.get(s).targetRowsPerSecond()));
        }
        long processed = 0;
        long output = 0;
        interval.reset();
        for (int i = 0; i < sinkLinks.size(); i++) {
            SinkLink<?> link = sinkLinks.get(i);
            processed += link.context().recordsIn.get();
            output += link.recordsOut.get();
            recycled[i] = link.latency.getIntervalHistogram(recycled[i]);
            interval.add(recycled[i]);
        }
        QueryProgress.Latency latency = new QueryProgress.Latency(interval.getTotalCount(),
            interval.getValueAtPercentile(50) / 1e3, interval.getValueAtPercentile(99) / 1e3,
            interval.getValueAtPercentile(99.9) / 1e3, interval.getMaxValue() / 1e3);
        long failed = 0;
        for (TaskContext context : contexts) {
            failed += context.recordsFailed.get();
        }
        long inputDelta = input - lastInput;
        QueryProgress progress = new QueryProgress(query.id(), query.runId(), query.name(), Instant.ofEpochMilli(nowMs),
            epochId, Math.round(seconds * 1e3), inputDelta, inputDelta / seconds, (processed - lastProcessed) / seconds,
            output - lastOutput, failed - lastFailed, input, output, watermark(), stateOperators(), futureEvents.get(), latency, perSource,
            sinkDescription, staticTables(), epochCommit());
        lastNs = nowNs;
        lastInput = input;
        lastProcessed = processed;
        lastOutput = output;
        lastFailed = failed;
        synchronized (this) {
            cumulative.add(interval);
            recent.addLast(progress);
            if (recent.size() > recentCapacity) {
                recent.removeFirst();
            }
        }
        last = progress;
        return progress;
    }

    /** The last commit's and checkpoint's timings, as the coordinator measured them (volatile reads). */
    private QueryProgress.EpochCommit epochCommit() {
        CheckpointCoordinator coordinator = query.coordinator();
        if (coordinator == null || coordinator.lastCommitNs() < 0) {
            return QueryProgress.EpochCommit.NOT_MEASURED;
        }
        return new QueryProgress.EpochCommit(coordinator.lastCommitNs(), coordinator.lastCheckpointNs(),
            coordinator.lastCheckpointBytes());
    }

    /** Each static table's refreshes since the previous report, its totals, rows and load time. */
    private List<QueryProgress.StaticTableProgress> staticTables() {
        if (staticTables.isEmpty()) {
            return List.of();
        }
        List<QueryProgress.StaticTableProgress> out = new ArrayList<>(staticTables.size());
        for (int i = 0; i < staticTables.size(); i++) {
            StaticTableHandle<?, ?> table = staticTables.get(i);
            long refreshes = table.refreshes();
            long failures = table.refreshFailures();
            out.add(new QueryProgress.StaticTableProgress(table.description(), refreshes - lastRefreshes[i],
                failures - lastRefreshFailures[i], refreshes, failures, table.table().rowCount(), table.lastRefreshTime()));
            lastRefreshes[i] = refreshes;
            lastRefreshFailures[i] = failures;
        }
        return out;
    }

    private void collectStaticTables(PlanNode<?> node) {
        for (PlanNode<?> input : node.inputs()) {
            collectStaticTables(input);
        }
        if (node instanceof PlanNode.OperatorNode<?, ?> op && op.staticTable() != null
            && staticTables.stream().noneMatch(t -> t == op.staticTable())) {
            staticTables.add(op.staticTable());
        }
    }

    private List<QueryProgress.StateOperatorProgress> stateOperators() {
        List<QueryProgress.StateOperatorProgress> out = new ArrayList<>(stateful.size());
        for (int i = 0; i < stateful.size(); i++) {
            long total = 0;
            long updated = 0;
            long removed = 0;
            long dropped = 0;
            long memory = 0;
            long leftLate = 0;
            long rightLate = 0;
            boolean any = false;
            boolean twoInput = false;
            long[] sides = null;
            for (KeyedHead<?, ?, ?> head : stateful.get(i).getValue()) {
                StateMetrics m = head.stateMetrics();
                if (m != null) {
                    any = true;
                    total += m.numRowsTotal();
                    updated += m.numRowsUpdated();
                    removed += m.numRowsRemoved();
                    dropped += m.numRowsDroppedByWatermark();
                    memory += m.memoryUsedBytes();
                }
                if (head instanceof TwoInputHead<?, ?, ?, ?> two) {
                    twoInput = true;
                    leftLate += two.leftLateRows();
                    rightLate += two.rightLateRows();
                    StateMetrics[] perSide = two.sideStateMetrics();
                    if (perSide != null) {
                        if (sides == null) {
                            sides = new long[4];
                        }
                        sides[0] += perSide[0].numRowsTotal();
                        sides[1] += perSide[1].numRowsTotal();
                        sides[2] += perSide[0].memoryUsedBytes();
                        sides[3] += perSide[1].memoryUsedBytes();
                    }
                }
            }
            Map<String, Long> custom = Map.of();
            if (twoInput) {
                // Insertion order: left, then right. A two-input stage without state (a stream-static join)
                // drops no late rows and reports no state operator, as in Spark.
                custom = new LinkedHashMap<>();
                custom.put(QueryProgress.StateOperatorProgress.LEFT_ROWS_DROPPED_BY_WATERMARK, leftLate - lastLeftLate[i]);
                custom.put(QueryProgress.StateOperatorProgress.RIGHT_ROWS_DROPPED_BY_WATERMARK, rightLate - lastRightLate[i]);
                lastLeftLate[i] = leftLate;
                lastRightLate[i] = rightLate;
                if (sides != null) {
                    custom.put(QueryProgress.StateOperatorProgress.LEFT_STATE_ROWS, sides[0]);
                    custom.put(QueryProgress.StateOperatorProgress.RIGHT_STATE_ROWS, sides[1]);
                    custom.put(QueryProgress.StateOperatorProgress.LEFT_MEMORY_USED_BYTES, sides[2]);
                    custom.put(QueryProgress.StateOperatorProgress.RIGHT_MEMORY_USED_BYTES, sides[3]);
                }
            }
            if (any) {
                out.add(new QueryProgress.StateOperatorProgress(stateful.get(i).getKey().description(), total, updated, removed,
                    dropped - lastDropped[i], memory, custom, stateful.get(i).getValue().size()));
                lastDropped[i] = dropped;
            }
        }
        return out;
    }

    private Instant watermark() {
        long watermarkMs = query.eventTimeWatermarkMs();
        return watermarkMs == Long.MIN_VALUE ? null : Instant.ofEpochMilli(watermarkMs);
    }

    /** @return records read by every source task so far (thread-safe: reads the tasks' ordered counters) */
    long totalInputRows() {
        long total = 0;
        for (List<TaskContext> contexts : sourceContexts) {
            for (TaskContext context : contexts) {
                total += context.recordsIn.get();
            }
        }
        return total;
    }

    QueryProgress last() {
        return last;
    }

    synchronized List<QueryProgress> recent() {
        return List.copyOf(recent);
    }

    synchronized Histogram cumulativeCopy() {
        return cumulative.copy();
    }
}
