package io.rivulet.operators.keyed;

/**
 * When a running keyed aggregation emits its updated value.
 */
public enum EmitPolicy {
    /** After every record: one output per input, lowest latency (a changelog). */
    EVERY_RECORD,
    /**
     * At each epoch barrier: one output per key that changed during the epoch, holding its latest
     * value. This is Spark's update output mode. The order is the operator's: the boxed running
     * aggregations emit in the order the keys first changed, {@link LongKeyedAggregateOperator} in an
     * unspecified order (it scans its table when many keys changed).
     */
    ON_EPOCH,
    /**
     * At each epoch barrier: every key with its current value, changed or not. This is Spark's
     * complete output mode.
     */
    ALL_ON_EPOCH
}
