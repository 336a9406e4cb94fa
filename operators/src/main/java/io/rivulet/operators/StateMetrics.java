package io.rivulet.operators;

/**
 * The state of a stateful operator in numbers, in the shape of Spark's {@code StateOperatorProgress}.
 *
 * <p>A mutable holder: the engine keeps one per operator (or per progress report) and passes it to
 * {@link StatefulOperator#stateMetrics(StateMetrics)}, which fills it without allocating. Not
 * thread-safe: filled on the thread that owns the operator, then handed over by the engine.
 */
public final class StateMetrics {
    private long numRowsTotal;
    private long numRowsUpdated;
    private long numRowsRemoved;
    private long numRowsDroppedByWatermark;
    private long memoryUsedBytes;

    /**
     * Sets every field.
     *
     * @param numRowsTotal state rows held now
     * @param numRowsUpdated state rows written since the previous read
     * @param numRowsRemoved state rows removed since the previous read
     * @param numRowsDroppedByWatermark late input dropped, cumulative
     * @param memoryUsedBytes estimated memory held by the state
     * @return this
     */
    public StateMetrics set(long numRowsTotal, long numRowsUpdated, long numRowsRemoved,
                            long numRowsDroppedByWatermark, long memoryUsedBytes) {
        this.numRowsTotal = numRowsTotal;
        this.numRowsUpdated = numRowsUpdated;
        this.numRowsRemoved = numRowsRemoved;
        this.numRowsDroppedByWatermark = numRowsDroppedByWatermark;
        this.memoryUsedBytes = memoryUsedBytes;
        return this;
    }

    /**
     * Adds another holder's figures to this one (e.g. to sum the partitions of one operator).
     *
     * @param other the figures to add
     * @return this
     */
    public StateMetrics add(StateMetrics other) {
        numRowsTotal += other.numRowsTotal;
        numRowsUpdated += other.numRowsUpdated;
        numRowsRemoved += other.numRowsRemoved;
        numRowsDroppedByWatermark += other.numRowsDroppedByWatermark;
        memoryUsedBytes += other.memoryUsedBytes;
        return this;
    }

    /**
     * @return state rows (e.g. one per key and window, or one per session) held now
     */
    public long numRowsTotal() {
        return numRowsTotal;
    }

    /**
     * @return state rows created or changed since the previous read
     */
    public long numRowsUpdated() {
        return numRowsUpdated;
    }

    /**
     * @return state rows removed (evicted by the watermark, or merged away) since the previous read
     */
    public long numRowsRemoved() {
        return numRowsRemoved;
    }

    /**
     * @return late input dropped by the watermark since the operator started, counted the way Spark
     *     counts it (see each operator)
     */
    public long numRowsDroppedByWatermark() {
        return numRowsDroppedByWatermark;
    }

    /**
     * @return a rough estimate of the bytes the state holds; not a measurement
     */
    public long memoryUsedBytes() {
        return memoryUsedBytes;
    }

    @Override
    public String toString() {
        return "StateMetrics{numRowsTotal=" + numRowsTotal
            + ", numRowsUpdated=" + numRowsUpdated
            + ", numRowsRemoved=" + numRowsRemoved
            + ", numRowsDroppedByWatermark=" + numRowsDroppedByWatermark
            + ", memoryUsedBytes=" + memoryUsedBytes + '}';
    }
}
