package io.rivulet.engine.internal;

import io.rivulet.operators.Output;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.state.KeyGroupRange;

import java.util.Map;

/**
 * What an operator factory knows when the query starts: the query's output mode, whether it runs
 * in micro-batch mode (where Spark's per-batch semantics hold) or continuously, and where the
 * operator's partition sends late records. Not public API. Immutable.
 *
 * @param outputMode the query's output mode
 * @param microBatch whether the query runs micro-batches
 * <p>A two-input stage's operator gets one late output per side, never {@code null}: {@link #lateOutput}
 * for the left input, {@link #rightLateOutput} for the right. Each counts the rows handed to it (the
 * side's late rows in progress) and passes them to the side's late-data sink, if one is set; so the
 * operator hands every late row it drops to its side's output. An operator that takes one late output
 * for both sides gets {@link #lateOutputOf(boolean)} per side from its factory, or, if it cannot tell the
 * sides apart there, {@link #lateOutput} (its rows are then counted as left rows).
 *
 * @param lateOutput this partition's late-record output (of the left input in a two-input stage), or
 *     {@code null} to drop late records
 * @param maxParallelism the query's number of key groups
 * @param keyGroups the key groups this partition owns
 * @param sideOutputs this partition's side outputs by name (a process function's tags)
 * @param rightLateOutput a two-input stage's late output of the right input; {@code null} in a one-input stage
 */
public record OperatorContext(OutputMode outputMode, boolean microBatch, Output<Object> lateOutput, int maxParallelism,
                              KeyGroupRange keyGroups, Map<String, Output<Object>> sideOutputs,
                              Output<Object> rightLateOutput) {
    /**
     * A one-input stage's context.
     *
     * @param outputMode the query's output mode
     * @param microBatch whether the query runs micro-batches
     * @param lateOutput this partition's late-record output, or {@code null} to drop late records
     * @param maxParallelism the query's number of key groups
     * @param keyGroups the key groups this partition owns
     * @param sideOutputs this partition's side outputs by name
     */
    public OperatorContext(OutputMode outputMode, boolean microBatch, Output<Object> lateOutput, int maxParallelism,
                           KeyGroupRange keyGroups, Map<String, Output<Object>> sideOutputs) {
        this(outputMode, microBatch, lateOutput, maxParallelism, keyGroups, sideOutputs, null);
    }

    /**
     * One side's late output of a two-input stage.
     *
     * @param right {@code true} for the right input, {@code false} for the left
     * @return that side's late output ({@code null} only for the right side of a one-input stage)
     */
    public Output<Object> lateOutputOf(boolean right) {
        return right ? rightLateOutput : lateOutput;
    }
}
