/**
 * The keyed process function: user code with per-key state and timers (Flink's
 * {@code KeyedProcessFunction}, Spark 4's {@code transformWithState}).
 *
 * <pre>
 *   (key, record) ─► backend.setCurrentKey(key) ─► fn.processElement(record, ctx, out)
 *   watermark / processing time ─► timers due ─► setCurrentKey(timer key) ─► fn.onTimer(ts, ctx, out)
 *   ctx: currentKey, times, timerService, output(OutputTag, x) ─► SideOutputs
 * </pre>
 *
 * <p>{@link io.rivulet.operators.process.KeyedProcessOperator} owns one
 * {@link io.rivulet.operators.state.KeyedStateBackend} per partition and snapshots it per key group.
 */
package io.rivulet.operators.process;
