/**
 * Spark's arbitrary group state: {@code mapGroupsWithState} and {@code flatMapGroupsWithState}, with
 * Spark's {@link io.rivulet.operators.groupstate.GroupState} contract and
 * {@link io.rivulet.operators.groupstate.GroupStateTimeout timeouts}.
 *
 * <pre>
 *   (key, record) ─► late? (event time &lt;= watermark) ─► counted, late output
 *                 └► continuous: fn(key, [record], state)
 *                    micro-batch: buffer per key ─► onEpoch: fn(key, [values of the batch], state) per key
 *                                                  then timed-out keys: fn(key, [], state{hasTimedOut})
 *   state write-back: update ─► entry; remove (no timeout) ─► entry deleted; timeout ─► timer at t+1
 * </pre>
 *
 * <p>{@link io.rivulet.operators.groupstate.GroupStateOperator} keeps one entry (value, timeout) per
 * key in a {@link io.rivulet.operators.state.KeyedStateBackend} and each timeout as one of its timers,
 * so both are checkpointed per key group and restored into any partition count.
 */
package io.rivulet.operators.groupstate;
