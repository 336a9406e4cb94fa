package io.rivulet.engine.runtime;

import com.lmax.disruptor.RingBuffer;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.internal.PlanNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the dashboard reads of a running query beyond its progress: the plan it runs, the fill of
 * the rings into each keyed stage, and the last epoch commit's and checkpoint's timings. Not public
 * API (the dashboard in {@code engine.internal.dashboard} uses it).
 *
 * <p>Costs the data path nothing: every figure is a counter the runtime keeps anyway, read here with
 * plain volatile reads (a ring's published cursor and its consumers' sequences), without locks or
 * allocation on any task thread. Thread-safe: any thread may call it, typically the dashboard's
 * sampler. A query that restarts ({@code RestartingQuery}) is read through its current run.
 */
public final class QueryProbe {
    private final StreamingQuery query;

    private QueryProbe(StreamingQuery query) {
        this.query = query;
    }

    /**
     * @param query a query the engine started
     * @return a probe of it, or {@code null} if it is not one of the runtime's queries (a test double)
     */
    public static QueryProbe of(StreamingQuery query) {
        return query instanceof QueryRuntime || query instanceof RestartingQuery<?> ? new QueryProbe(query) : null;
    }

    private QueryRuntime run() {
        return query instanceof RestartingQuery<?> restarting ? restarting.currentRun() : (QueryRuntime) query;
    }

    /** @return the plan the current run runs, root first (the node the sink reads) */
    public PlanNode<?> plan() {
        return run().root();
    }

    /** @return partitions of a keyed node that names none */
    public int defaultParallelism() {
        return run().options().defaultParallelism();
    }

    /** @return whether the query runs micro-batches (no rings: keyed stages run in the driver) */
    public boolean microBatch() {
        return run().options().microBatch();
    }

    /** @return the sink's description */
    public String sinkDescription() {
        return run().sinkDescription();
    }

    /** @return the slots of each ring */
    public int ringCapacity() {
        return run().options().ringCapacity();
    }

    /**
     * The stage numbers {@code explain} prints, by node.
     *
     * @return each plan node (by identity) and its stages
     */
    public Map<PlanNode<?>, TreeSet<Integer>> stageNumbers() {
        return PlanExplainer.stageNumbers(plan());
    }

    /**
     * The keyed stages fed through rings, in plan order (a fused stage and a micro-batch query's have
     * none). The indexes of {@link #ringFill} follow this list.
     *
     * @return the keyed nodes with rings
     */
    public List<PlanNode.KeyedNode<?, ?, ?>> ringStages() {
        Planner planner = run().planner();
        return planner == null ? List.of() : new ArrayList<>(planner.stageRings.keySet());
    }

    /**
     * @param stage a keyed node of {@link #ringStages()}
     * @return the rings into it: one per producing task and partition; 0 if it has none
     */
    public int ringCount(PlanNode.KeyedNode<?, ?, ?> stage) {
        Planner planner = run().planner();
        List<RingBuffer<Slot>> rings = planner == null ? null : planner.stageRings.get(stage);
        return rings == null ? 0 : rings.size();
    }

    /**
     * Samples the fill of the rings into each ring stage: published slots not yet consumed, over the
     * capacity. Two volatile reads per ring (cursor and the consumer's sequence); a racy but bounded
     * view (a slot published between the two reads may count or not).
     *
     * @param maxFill receives, per stage of {@link #ringStages()}, the fullest ring's fill in 0..1
     * @param meanFill receives, per stage, the mean fill of its rings in 0..1
     * @return the stages sampled ({@code min} of the stages and the arrays' length)
     */
    public int ringFill(double[] maxFill, double[] meanFill) {
        Planner planner = run().planner();
        if (planner == null) {
            return 0;
        }
        int stage = 0;
        for (List<RingBuffer<Slot>> rings : planner.stageRings.values()) {
            if (stage >= maxFill.length || stage >= meanFill.length) {
                break;
            }
            double max = 0;
            double sum = 0;
            for (int i = 0, n = rings.size(); i < n; i++) {
                RingBuffer<Slot> ring = rings.get(i);
                long used = ring.getCursor() - ring.getMinimumGatingSequence();
                double fill = Math.max(0, Math.min(1, used / (double) ring.getBufferSize()));
                max = Math.max(max, fill);
                sum += fill;
            }
            maxFill[stage] = max;
            meanFill[stage] = rings.isEmpty() ? 0 : sum / rings.size();
            stage++;
        }
        return stage;
    }

    /** @return whether the query writes checkpoints (it has a checkpoint location) */
    public boolean checkpointing() {
        CheckpointCoordinator coordinator = run().coordinator();
        return coordinator != null && coordinator.checkpointing();
    }

    /**
     * @return nanoseconds the last completion took to prepare and commit its epochs in the sinks (the
     *     checkpoint between the two not included), or -1 before the first
     */
    public long lastCommitNs() {
        CheckpointCoordinator coordinator = run().coordinator();
        return coordinator == null ? -1 : coordinator.lastCommitNs();
    }

    /** @return nanoseconds writing the last checkpoint took, or -1 (none yet, or no checkpoint location) */
    public long lastCheckpointNs() {
        CheckpointCoordinator coordinator = run().coordinator();
        return coordinator == null ? -1 : coordinator.lastCheckpointNs();
    }

    /** @return bytes the last checkpoint wrote (reused blocks not counted), or -1 */
    public long lastCheckpointBytes() {
        CheckpointCoordinator coordinator = run().coordinator();
        return coordinator == null ? -1 : coordinator.lastCheckpointBytes();
    }
}
