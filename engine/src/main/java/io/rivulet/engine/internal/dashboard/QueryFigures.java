package io.rivulet.engine.internal.dashboard;

import io.rivulet.engine.QueryProgress;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.runtime.QueryProbe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One reading of a query for the dashboard and {@code /metrics}: its last progress and what the
 * runtime tells beyond it (last commit and checkpoint, ring fill per keyed stage). Both the page's
 * points and the Prometheus text are written from one of these, so they show the same numbers.
 *
 * @param name the query's name
 * @param id the query's id
 * @param active whether it still runs
 * @param progress its last progress, or {@code null} before the first commit
 * @param commitNs how long the last commit to the sinks took, or -1 if not known
 * @param checkpointNs how long writing the last checkpoint took, or -1 (none, or no checkpoint location)
 * @param checkpointBytes bytes the last checkpoint wrote, or -1
 * @param ringStages the keyed stages fed through rings, as {@code *(n) description}
 * @param ringMaxFill per ring stage, the fullest ring's fill, 0..1
 * @param ringMeanFill per ring stage, its rings' mean fill, 0..1
 */
record QueryFigures(String name, String id, boolean active, QueryProgress progress, long commitNs, long checkpointNs,
                    long checkpointBytes, List<String> ringStages, double[] ringMaxFill, double[] ringMeanFill) {

    /**
     * Reads a query now. Off the data path: volatile reads of counters the runtime keeps.
     *
     * @param query the query
     * @return its figures (without runtime figures if it is not a runtime query)
     */
    static QueryFigures of(StreamingQuery query) {
        QueryProbe probe = QueryProbe.of(query);
        QueryProgress progress = query.lastProgress();
        if (probe == null) {
            return new QueryFigures(query.name(), query.id().toString(), query.isActive(), progress, -1, -1, -1,
                List.of(), new double[0], new double[0]);
        }
        List<PlanNode.KeyedNode<?, ?, ?>> stages = probe.ringStages();
        List<String> names = new ArrayList<>(stages.size());
        Map<PlanNode<?>, TreeSet<Integer>> numbers = stages.isEmpty() ? Map.of() : probe.stageNumbers();
        for (PlanNode.KeyedNode<?, ?, ?> stage : stages) {
            TreeSet<Integer> n = numbers.get(stage);
            names.add((n == null || n.isEmpty() ? "" : "*(" + n.first() + ") ") + stage.description());
        }
        double[] max = new double[stages.size()];
        double[] mean = new double[stages.size()];
        probe.ringFill(max, mean);
        return new QueryFigures(query.name(), query.id().toString(), query.isActive(), progress, probe.lastCommitNs(),
            probe.lastCheckpointNs(), probe.lastCheckpointBytes(), names, max, mean);
    }

    /**
     * @param progress a progress
     * @return the late rows of the interval over every stateful operator (dropped by the watermark)
     */
    static long lateRows(QueryProgress progress) {
        long late = 0;
        for (QueryProgress.StateOperatorProgress op : progress.stateOperators()) {
            late += op.numRowsDroppedByWatermark();
        }
        return late;
    }

    /**
     * @param progress a progress
     * @return how far the watermark is behind the commit's time, in milliseconds; -1 without a watermark
     */
    static long watermarkLagMs(QueryProgress progress) {
        if (progress.eventTimeWatermark() == null) {
            return -1;
        }
        return Math.max(0, progress.timestamp().toEpochMilli() - progress.eventTimeWatermark().toEpochMilli());
    }
}
