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
 * @param lateOutput this partition's late-record output, or {@code null} to drop late records
 * @param maxParallelism the query's number of key groups
 * @param keyGroups the key groups this partition owns
 * @param sideOutputs this partition's side outputs by name (a process function's tags)
 */
public record OperatorContext(OutputMode outputMode, boolean microBatch, Output<Object> lateOutput, int maxParallelism,
                              KeyGroupRange keyGroups, Map<String, Output<Object>> sideOutputs) {
}
