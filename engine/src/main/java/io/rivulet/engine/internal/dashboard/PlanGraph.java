package io.rivulet.engine.internal.dashboard;

import com.fasterxml.jackson.core.JsonGenerator;
import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.runtime.PlanExplainer;
import io.rivulet.engine.runtime.QueryProbe;

import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes a query's plan as the graph the dashboard draws: nodes (sources, operators, keyed stages,
 * watermarks, unions, the sink) with the stages they run in ({@code *(n)}, as {@code explain} numbers
 * them) and their partitions; edges from each node's inputs, an edge into a keyed node marked as an
 * exchange with its rings (one per producing task and partition), or as fused (continuous mode, one
 * partition fed by one task) or local (micro-batch: the driver runs it).
 *
 * <pre>{@code
 * {"mode":"continuous","ringCapacity":16384,
 *  "nodes":[{"id":0,"kind":"source","label":"rate(..)","stages":[1],"partitions":1}, ...,
 *           {"id":4,"kind":"sink","label":"console","writers":2}],
 *  "edges":[{"from":0,"to":1},{"from":1,"to":2,"exchange":"ring","key":"symbol","rings":2}, ...]}
 * }</pre>
 *
 * <p>Stateless; called on an HTTP thread when a page subscribes to a query.
 */
final class PlanGraph {
    private PlanGraph() {
    }

    /**
     * @param probe the query's probe
     * @param json where the object goes
     * @throws IOException from the generator
     */
    static void write(QueryProbe probe, JsonGenerator json) throws IOException {
        PlanNode<?> root = probe.plan();
        int defaultParallelism = probe.defaultParallelism();
        Map<PlanNode<?>, TreeSet<Integer>> stages = probe.stageNumbers();
        Map<PlanNode<?>, Integer> ids = new IdentityHashMap<>();
        List<PlanNode<?>> order = new ArrayList<>();
        number(root, ids, order);
        json.writeStartObject();
        json.writeStringField("mode", probe.microBatch() ? "micro-batch" : "continuous");
        json.writeNumberField("ringCapacity", probe.ringCapacity());
        json.writeArrayFieldStart("nodes");
        for (PlanNode<?> node : order) {
            json.writeStartObject();
            json.writeNumberField("id", ids.get(node));
            json.writeStringField("kind", kind(node));
            json.writeStringField("label", node.description());
            json.writeArrayFieldStart("stages");
            if (!(node instanceof PlanNode.UnionNode<?>)) {
                for (int stage : stages.getOrDefault(node, new TreeSet<>())) {
                    json.writeNumber(stage);
                }
            }
            json.writeEndArray();
            if (node instanceof PlanNode.SourceNode<?> source) {
                json.writeNumberField("partitions", source.source().numPartitions());
            } else if (node instanceof PlanNode.KeyedNode<?, ?, ?> keyed) {
                json.writeNumberField("partitions", keyed.partitions() > 0 ? keyed.partitions() : defaultParallelism);
            }
            json.writeEndObject();
        }
        int sinkId = order.size();
        json.writeStartObject();
        json.writeNumberField("id", sinkId);
        json.writeStringField("kind", "sink");
        json.writeStringField("label", probe.sinkDescription());
        json.writeArrayFieldStart("stages");
        json.writeEndArray();
        json.writeNumberField("writers", PlanExplainer.producingTasks(root, defaultParallelism));
        json.writeEndObject();
        json.writeEndArray();

        json.writeArrayFieldStart("edges");
        for (PlanNode<?> node : order) {
            List<PlanNode<?>> inputs = node.inputs();
            for (int i = 0; i < inputs.size(); i++) {
                json.writeStartObject();
                json.writeNumberField("from", ids.get(inputs.get(i)));
                json.writeNumberField("to", ids.get(node));
                if (node instanceof PlanNode.KeyedNode<?, ?, ?> keyed) {
                    int rings = probe.ringCount(keyed);
                    json.writeStringField("exchange", probe.microBatch() ? "local" : rings > 0 ? "ring" : "fused");
                    String key = i == 1 && keyed instanceof PlanNode.CoKeyedNode<?, ?, ?, ?> co ? co.rightKeyName() : keyed.keyName();
                    json.writeStringField("key", key != null ? key : "key");
                    if (rings > 0) {
                        // Each input's producers write one ring per partition.
                        int partitions = keyed.partitions() > 0 ? keyed.partitions() : defaultParallelism;
                        json.writeNumberField("rings", PlanExplainer.producingTasks(inputs.get(i), defaultParallelism) * partitions);
                    }
                }
                json.writeEndObject();
            }
        }
        json.writeStartObject();
        json.writeNumberField("from", ids.get(root));
        json.writeNumberField("to", sinkId);
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
    }

    /** Post-order (inputs first), so sources come first and ids grow towards the sink. */
    private static void number(PlanNode<?> node, Map<PlanNode<?>, Integer> ids, List<PlanNode<?>> order) {
        if (ids.containsKey(node)) {
            return;
        }
        for (PlanNode<?> input : node.inputs()) {
            number(input, ids, order);
        }
        ids.put(node, order.size());
        order.add(node);
    }

    private static String kind(PlanNode<?> node) {
        if (node instanceof PlanNode.SourceNode<?>) {
            return "source";
        }
        if (node instanceof PlanNode.KeyedNode<?, ?, ?>) {
            return "keyed";
        }
        if (node instanceof PlanNode.WatermarkNode<?>) {
            return "watermark";
        }
        if (node instanceof PlanNode.UnionNode<?>) {
            return "union";
        }
        return "operator";
    }
}
