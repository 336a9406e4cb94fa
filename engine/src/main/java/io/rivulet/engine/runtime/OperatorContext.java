package io.rivulet.engine.runtime;

import io.rivulet.operators.OutputMode;

/**
 * What an operator factory knows when the query starts: the query's output mode and whether it
 * runs in micro-batch mode (where Spark's per-batch semantics hold) or continuously.
 *
 * @param outputMode the query's output mode
 * @param microBatch whether the query runs micro-batches
 */
public record OperatorContext(OutputMode outputMode, boolean microBatch) {
}
