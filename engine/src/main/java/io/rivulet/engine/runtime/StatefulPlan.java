package io.rivulet.engine.runtime;

import io.rivulet.engine.internal.LongKeyFunction;
import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.internal.QueryOptions;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ids a checkpoint files state and positions under, and the fingerprint of the stateful plan.
 *
 * <p>Ids come from the logical plan alone, walked inputs first (a union's inputs in order): sources
 * are {@code source-0, source-1, ...} and keyed stages {@code keyed-0, keyed-1, ...}. They do not
 * depend on how the plan runs (fused or not, continuous or micro-batch) or on partition counts, so a
 * restarted query, rescaled or not, finds its state under the same ids.
 *
 * <p>The fingerprint lists what state depends on: the output mode and each keyed stage's kind and
 * description (window sizes, aggregates' names); a two-input stage's line also names the sources and
 * keyed stages each of its inputs reads from (left, then right), and whether its keys are {@code long}s
 * (a long-key join, whose state format differs from the boxed join's). A restart whose fingerprint differs is refused,
 * naming the first difference; a stateless change (a {@code map} after the aggregation) leaves it
 * unchanged. Immutable.
 */
final class StatefulPlan {
    private final Map<PlanNode<?>, String> ids = new IdentityHashMap<>();
    private final List<String> lines = new ArrayList<>();
    private final List<String> unnamedKeys = new ArrayList<>();
    private int sources;
    private int keyedStages;

    private StatefulPlan(PlanNode<?> root, QueryOptions options) {
        lines.add("outputMode=" + options.outputMode().name().toLowerCase(Locale.ROOT));
        walk(root);
    }

    /**
     * @param root the node the sink reads
     * @param options the query's settings
     * @return the plan's ids and fingerprint
     */
    static StatefulPlan of(PlanNode<?> root, QueryOptions options) {
        return new StatefulPlan(root, options);
    }

    private void walk(PlanNode<?> node) {
        for (PlanNode<?> input : node.inputs()) {
            walk(input);
        }
        if (node instanceof PlanNode.SourceNode<?>) {
            ids.put(node, "source-" + sources++);
        } else if (node instanceof PlanNode.KeyedNode<?, ?, ?> keyed) {
            String id = "keyed-" + keyedStages++;
            ids.put(node, id);
            String line = id + "=" + keyed.kind().name().toLowerCase(Locale.ROOT) + " " + keyed.description();
            if (keyed instanceof PlanNode.CoKeyedNode<?, ?, ?, ?> co) {
                // Both parents: swapping the inputs, or feeding a side from another source or stage, changes
                // which state is whose.
                line += " of left " + String.join("+", upstreamIds(co.input())) + " and right "
                    + String.join("+", upstreamIds(co.right()));
                if (co.keyFunction() instanceof LongKeyFunction<?>) {
                    // A long-key join's state format is not the boxed join's (the description, Spark's
                    // progress name, is the same): switching between keyBy and keyByLong is refused.
                    line += " on long keys";
                }
                if (co.keyName() == null || co.rightKeyName() == null) {
                    unnamedKeys.add(line);
                } else {
                    line += " by " + co.keyName() + ", " + co.rightKeyName();
                }
            } else if (keyed.keyName() == null) {
                unnamedKeys.add(line);
            } else {
                line += " by " + keyed.keyName();
            }
            lines.add(line);
        }
    }

    /** The ids of the sources and keyed stages a node reads from, nearest first along each path (already walked). */
    private List<String> upstreamIds(PlanNode<?> node) {
        String id = ids.get(node);
        if (id != null) {
            return List.of(id);
        }
        List<String> out = new ArrayList<>();
        for (PlanNode<?> input : node.inputs()) {
            out.addAll(upstreamIds(input));
        }
        return out;
    }

    /**
     * @param node a source or keyed node of the plan
     * @return its id
     */
    String idOf(PlanNode<?> node) {
        String id = ids.get(node);
        if (id == null) {
            throw new IllegalStateException("no checkpoint id for plan node " + node.description());
        }
        return id;
    }

    /**
     * @return the stateful stages keyed by an unnamed function (their fingerprint line): a restart
     *     with another key function of the same type cannot be detected for them
     */
    List<String> unnamedKeys() {
        return List.copyOf(unnamedKeys);
    }

    /**
     * @return the fingerprint, one line per stateful property
     */
    String fingerprint() {
        return String.join("\n", lines);
    }

    /**
     * Compares this plan with the fingerprint a checkpoint recorded.
     *
     * @param stored the checkpoint's fingerprint
     * @return {@code null} if they match, else what changed
     */
    String differenceFrom(String stored) {
        if (stored.equals(fingerprint())) {
            return null;
        }
        String[] before = stored.isEmpty() ? new String[0] : stored.split("\n");
        for (int i = 0; i < Math.max(before.length, lines.size()); i++) {
            String was = i < before.length ? before[i] : "(nothing)";
            String now = i < lines.size() ? lines.get(i) : "(nothing)";
            if (!was.equals(now)) {
                return "the checkpoint holds '" + was + "', the query has '" + now + "'";
            }
        }
        return "the stateful plans differ";
    }
}
