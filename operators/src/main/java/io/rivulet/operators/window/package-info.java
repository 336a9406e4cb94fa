/**
 * Event-time windows: assigning records to tumbling, sliding and session windows, and aggregating
 * each key per window under a watermark with Spark's output modes.
 *
 * <pre>
 *  (key, record) ─► WindowAssigner ─► late? (window end &lt;= watermark) ──yes─► dropped, counted, late output
 *                   starts[]              │ no
 *                                         ▼
 *                     window start ─► { key ─► accumulator }      (WindowAggregateOperator)
 *                     key ─► sessions sorted by start, merged     (SessionWindowOperator)
 *                                         │
 *  onWatermark(wm) ── min-heap of ends ───┴─► APPEND: emit + evict   UPDATE: evict   COMPLETE: keep
 *  onEpoch(e) ───────────────────────────────► UPDATE: emit changed  COMPLETE: emit all
 * </pre>
 *
 * <p>Windows are {@link io.rivulet.operators.window.Window}s {@code [start, end)} in epoch ms; output
 * rows are {@link io.rivulet.operators.window.WindowedValue}s. Both operators are single-threaded
 * state machines owned by one partition worker, report
 * {@link io.rivulet.operators.StateMetrics} and are
 * {@link io.rivulet.operators.state.CheckpointedOperator}s: a barrier snapshot copies their entries
 * and writes them per key group later; restore rebuilds slices, heaps and emit order exactly.
 *
 * <p>{@link io.rivulet.operators.window.WindowPreAggregator} is the producer's half of a local-global
 * tumbling-window aggregation: it folds records into partial accumulators per (key, window) before a keyed
 * exchange, and {@link io.rivulet.operators.window.WindowAggregateOperator#processPartial} merges them.
 */
package io.rivulet.operators.window;
