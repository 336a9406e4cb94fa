/**
 * The benchmark harness of WORKLOADS.md sections 4 and 5, around real Rivulet queries.
 *
 * <pre>
 *   TradeSource (paced by Pacer, or flat out) ── Scenario's query (W1 fused / K1 keyed) ── MeasuringSink
 *        │ SourceStats                                                                   │ per writer: HdrHistogram of
 *        ▼                                                                               ▼ receipt - due, result probe
 *   HarnessRunner: AllocationMeter snapshots while it runs, then the Scenario's ResultCheck ─► RunReport
 *   LatencyHarnessMain / ThroughputMain: one run;  SuiteMain: the standard runs, each in a fresh JVM, one table
 * </pre>
 *
 * <p>Latency is measured from each event's scheduled due time, not from when it was emitted, so a source that falls
 * behind shows up as latency (no coordinated omission). Every run checks its result: a fast wrong answer fails.
 *
 * <p>The user-shaped scenarios ({@link io.rivulet.bench.harness.UserShapedScenario}: {@code W1U}, {@code W2U}) read
 * the same trade stream as a user's source emits it, a new record per event ({@code UserTradeSource}), and build a new
 * result per output; {@code PacedBaseline} runs their allocating hand-written loops, on a thread measured like a
 * query's.
 */
package io.rivulet.bench.harness;
