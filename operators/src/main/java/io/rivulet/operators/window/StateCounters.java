package io.rivulet.operators.window;

import io.rivulet.operators.StateMetrics;

/**
 * The state figures a window operator reports: rows held, rows updated and removed since the last
 * report, late input dropped. A row counts as updated once per report: it remembers the report
 * generation of its last update ({@link #touch}).
 *
 * <p>Not thread-safe; owned by the operator's thread.
 */
final class StateCounters {
    long total;
    long updated;
    long removed;
    long dropped;
    private long generation;

    /**
     * @return the generation a new row starts with: it counts as updated on its first touch
     */
    long newRowGeneration() {
        return generation - 1;
    }

    /**
     * A row was written.
     *
     * @param rowGeneration the generation of the row's last update
     * @return the row's new generation
     */
    long touch(long rowGeneration) {
        if (rowGeneration != generation) {
            updated++;
        }
        return generation;
    }

    /**
     * A row was added.
     */
    void added() {
        total++;
    }

    /**
     * Rows were removed.
     *
     * @param rows how many
     */
    void removed(long rows) {
        total -= rows;
        removed += rows;
    }

    /**
     * Fills {@code into} and starts the next report interval.
     *
     * @param into the holder
     * @param memoryBytes the operator's estimate of its state's memory
     */
    void report(StateMetrics into, long memoryBytes) {
        into.set(total, updated, removed, dropped, memoryBytes);
        updated = 0;
        removed = 0;
        generation++;
    }
}
