/**
 * Spark's DStream operations as keyed, checkpointed operators that run in micro-batch mode: a DStream
 * is a sequence of batches, one per trigger of the query's processing-time interval.
 *
 * <pre>
 *   records of batch n ──► process(key, v) ──► pending per key ─┐
 *   onProcessingTime(now) ──► {@link io.rivulet.operators.dstream.BatchClock} ──► batch index n
 *   onEpoch ──► BatchWindowOperator: ring of per-batch partials per key ──► window result at each slide
 *          └──► UpdateStateByKeyOperator: fn(values, state) for every key with values or state
 *          └──► MapWithStateOperator: fn(key, value, state) per record, idle keys timed out
 * </pre>
 *
 * Every operator keeps its per-key state in a {@link io.rivulet.operators.state.KeyedStateBackend}
 * (checkpointed per key group, restored into any partition count) and the last batch index as
 * operator state. The engine's {@code DStream} / {@code PairDStream} compile onto these.
 */
package io.rivulet.operators.dstream;
