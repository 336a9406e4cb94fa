package io.rivulet.operators.window;

import java.util.HashSet;

/**
 * The late groups seen in the current epoch, so that several late records of one group count once
 * in {@code numRowsDroppedByWatermark}, as in Spark: Spark pre-aggregates a batch's rows per group
 * (key and window) before its stateful operator checks lateness, so the metric counts late groups
 * per batch, not late input rows (SPARK-24634, apache/spark#28607). Only late records reach this
 * class: it is the slow path and may allocate. Not thread-safe; owned by its operator.
 */
final class LateGroups {
    private final HashSet<Group> seen = new HashSet<>();

    /**
     * @return whether the group is late for the first time this epoch
     */
    boolean firstInEpoch(Object key, long startMs, long endMs) {
        return seen.add(new Group(key, startMs, endMs));
    }

    /** Starts a new epoch. */
    void clear() {
        if (!seen.isEmpty()) {
            seen.clear();
        }
    }

    private record Group(Object key, long startMs, long endMs) {
    }
}
