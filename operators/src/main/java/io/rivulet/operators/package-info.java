/**
 * The record-time model and Rivulet's operators as pure, single-threaded state machines.
 *
 * <p>An {@link io.rivulet.operators.Operator} takes one record at a time and emits zero or more
 * records to an {@link io.rivulet.operators.Output}; control signals (watermarks, epoch barriers)
 * reach it through {@code onWatermark} and {@code onEpoch}. Operators start no threads, do no I/O
 * and never read a clock: time is passed in. That is what lets the same operator run in the
 * continuous runtime, in micro-batch mode and in a unit test driven by hand.
 *
 * <pre>
 *   record ──► Operator.process(record, out) ──► out.emit(result)*
 *   watermark ─► onWatermark(wm, out)           (may emit, e.g. closed windows)
 *   barrier ───► onEpoch(epochId, out)          (may emit, e.g. per-epoch updates)
 * </pre>
 *
 * <p>Sub-packages: {@code function} holds the user-function interfaces, {@code stateless} the
 * record-at-a-time transformations, {@code keyed} the per-key stateful operators, {@code window} the
 * event-time window aggregations with their {@link io.rivulet.operators.OutputMode}s. Stateful
 * operators report their {@link io.rivulet.operators.StateMetrics}. A
 * {@link io.rivulet.operators.LongKeyedOperator} takes a primitive {@code long} key
 * ({@code processLong}), so a {@code long}-keyed stage boxes nothing.
 */
package io.rivulet.operators;
