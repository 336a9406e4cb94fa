package io.rivulet.engine.runtime;

import io.rivulet.engine.internal.PlanNode;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Prints a logical plan the way the {@link Planner} will run it (Spark's {@code explain}): the nodes
 * as a tree, root first, each with the stage it runs in. A stage is a chain fused into one task per
 * partition, from a source (one task per source partition) or a keyed node (one worker per
 * partition) up to the next keyed node; {@code *(n)} marks the nodes of stage {@code n}, numbered
 * from the sources up, as Spark numbers its whole-stage-codegen stages. An {@code Exchange} line
 * marks where records cross to a keyed stage by key; a one-partition keyed stage fed by one task
 * runs on that task's thread in continuous mode ({@code fuseKeyedStages}), which the line says.
 * Nodes above a union run in the task of each of its inputs, so they carry several stage numbers.
 *
 * <p>Stateless and thread-safe.
 */
public final class PlanExplainer {
    private PlanExplainer() {
    }

    /**
     * @param root the node a sink would read
     * @param defaultParallelism partitions of a keyed node that names none
     * @param extended whether the logical plan is printed first (Spark's {@code explain(true)})
     * @return the plan, lines ending in {@code \n}
     */
    public static String explain(PlanNode<?> root, int defaultParallelism, boolean extended) {
        StringBuilder out = new StringBuilder();
        if (extended) {
            out.append("== Logical Plan ==\n");
            logical(root, "", "", out);
            out.append('\n');
        }
        out.append("== Physical Plan ==\n");
        Map<PlanNode<?>, TreeSet<Integer>> stages = new IdentityHashMap<>();
        number(root, stages, new int[] {0});
        physical(root, "", "", out, stages, defaultParallelism);
        return out.toString();
    }

    /**
     * The stage numbers {@link #explain} prints ({@code *(n)}), by node: a source or keyed node opens a
     * stage, numbered from the sources up; a node above a union belongs to several.
     *
     * @param root the node a sink would read
     * @return each node of the plan (by identity) and its stage numbers
     */
    public static Map<PlanNode<?>, TreeSet<Integer>> stageNumbers(PlanNode<?> root) {
        Map<PlanNode<?>, TreeSet<Integer>> stages = new IdentityHashMap<>();
        number(root, stages, new int[] {0});
        return stages;
    }

    /**
     * @param node a node
     * @param defaultParallelism partitions of a keyed node that names none
     * @return the tasks that produce its output (a sink gets one writer each)
     */
    public static int producingTasks(PlanNode<?> node, int defaultParallelism) {
        return Planner.producingTasks(node, defaultParallelism);
    }

    private static void logical(PlanNode<?> node, String first, String rest, StringBuilder out) {
        out.append(first).append(node.description()).append('\n');
        List<PlanNode<?>> inputs = node.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            boolean last = i == inputs.size() - 1;
            logical(inputs.get(i), rest + "+- ", rest + (last ? "   " : ":  "), out);
        }
    }

    /** Numbers stages from the sources up (post-order): a source or keyed node opens one. */
    private static TreeSet<Integer> number(PlanNode<?> node, Map<PlanNode<?>, TreeSet<Integer>> stages, int[] next) {
        TreeSet<Integer> known = stages.get(node);
        if (known != null) {
            return known;
        }
        TreeSet<Integer> inputs = new TreeSet<>();
        for (PlanNode<?> input : node.inputs()) {
            inputs.addAll(number(input, stages, next));
        }
        TreeSet<Integer> own = new TreeSet<>();
        if (node instanceof PlanNode.SourceNode<?> || node instanceof PlanNode.KeyedNode<?, ?, ?>) {
            own.add(++next[0]);
        } else {
            own.addAll(inputs);
        }
        stages.put(node, own);
        return own;
    }

    private static void physical(PlanNode<?> node, String first, String rest, StringBuilder out,
                                 Map<PlanNode<?>, TreeSet<Integer>> stages, int defaultParallelism) {
        out.append(first);
        if (!(node instanceof PlanNode.UnionNode<?>)) {
            out.append("*(");
            String comma = "";
            for (int stage : stages.get(node)) {
                out.append(comma).append(stage);
                comma = ",";
            }
            out.append(") ");
        }
        out.append(node.description());
        if (node instanceof PlanNode.SourceNode<?> source) {
            out.append(" [").append(partitions(source.source().numPartitions())).append(']');
        }
        int keyedPartitions = 0;
        if (node instanceof PlanNode.KeyedNode<?, ?, ?> keyed) {
            keyedPartitions = keyed.partitions() > 0 ? keyed.partitions() : defaultParallelism;
            out.append(" [").append(partitions(keyedPartitions)).append(']');
        }
        out.append('\n');
        List<PlanNode<?>> inputs = node.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            boolean last = i == inputs.size() - 1;
            String childFirst = rest + "+- ";
            String childRest = rest + (last ? "   " : ":  ");
            PlanNode<?> input = inputs.get(i);
            if (node instanceof PlanNode.KeyedNode<?, ?, ?> keyed) {
                String key = keyName(keyed, i);
                int producers = Planner.producingTasks(input, defaultParallelism);
                out.append(childFirst).append("Exchange hashpartitioning(").append(key).append(", ")
                    .append(keyedPartitions).append(") from ").append(tasks(producers));
                if (keyedPartitions == 1 && producers == 1 && inputs.size() == 1) {
                    out.append(", fused into the producing task in continuous mode");
                }
                out.append('\n');
                physical(input, childRest + "+- ", childRest + "   ", out, stages, defaultParallelism);
            } else {
                physical(input, childFirst, childRest, out, stages, defaultParallelism);
            }
        }
    }

    private static String keyName(PlanNode.KeyedNode<?, ?, ?> keyed, int input) {
        String name = input == 1 && keyed instanceof PlanNode.CoKeyedNode<?, ?, ?, ?> co ? co.rightKeyName() : keyed.keyName();
        return name != null ? name : "key";
    }

    private static String partitions(int n) {
        return n + (n == 1 ? " partition" : " partitions");
    }

    private static String tasks(int n) {
        return n + (n == 1 ? " task" : " tasks");
    }
}
