/**
 * The runtime: continuous and micro-batch. Not public API: applications use {@code io.rivulet.engine}.
 * Its public types are {@link io.rivulet.engine.runtime.QueryLauncher}, which the public writer
 * calls to start a query (the plan and settings it takes live in {@code io.rivulet.engine.internal}),
 * {@link io.rivulet.engine.runtime.PlanExplainer} ({@code explain}) and
 * {@link io.rivulet.engine.runtime.QueryProbe}, what the dashboard reads of a running query;
 * everything else here is package-private.
 *
 * <p>A started query is a set of tasks, each an Agrona {@link org.agrona.concurrent.Agent} on its
 * own thread with a pluggable idle strategy. A {@link io.rivulet.engine.runtime.SourceTask} polls
 * one source partition and pushes each record through its fused chain of
 * {@link io.rivulet.engine.runtime.Link}s: stateless operators run as plain calls in the source
 * thread. A chain ends either at a sink writer or at an
 * {@link io.rivulet.engine.runtime.ExchangeLink}, which routes records by key group into one
 * single-producer Disruptor ring per downstream partition. A
 * {@link io.rivulet.engine.runtime.PartitionWorker} polls its rings (one per upstream task) and
 * runs the keyed operator and whatever is fused behind it.
 *
 * <pre>
 *  SourceTask 0 ─ map ─ filter ─ ExchangeLink ─┬─► ring ─► PartitionWorker 0 ─ reduce ─ map ─ SinkLink
 *  SourceTask 1 ─ map ─ filter ─ ExchangeLink ─┼─► ring ─┘
 *                                              └─► ring ─► PartitionWorker 1 ─ reduce ─ map ─ SinkLink
 * </pre>
 *
 * <p>A one-partition keyed stage fed by one task needs no ring: the task's chain ends in a
 * {@link io.rivulet.engine.runtime.LocalExchange} that calls the stage directly (a fused stage). One
 * fed by several tasks keeps its rings but runs on one producer's thread
 * ({@link io.rivulet.engine.runtime.CoLocatedAgents}): a two-input stage's right input's, else the first's.
 * The other partitions run on the query's worker threads ({@link io.rivulet.engine.runtime.ThreadPlan}): by
 * default as many as the processors left after the sources and one for the JVM, each running its partitions
 * in turn; on a machine without such a core, a query with one source runs on the source's thread alone.
 * Exchanges publish once per duty cycle. The
 * links and stateless operators of a chain are stage clones ({@link io.rivulet.engine.runtime.StageClasses}:
 * a hidden class per shape of stage), so the JIT profiles, inlines and scalar-replaces each stage on its own.
 * A tumbling-window aggregation behind rings is pre-aggregated on the producer's side
 * ({@link io.rivulet.engine.runtime.PreAggregatingLink} in front of the exchange): the rings carry partial
 * accumulators per key and window, which the keyed stage merges (docs/architecture.md, "Pre-aggregation
 * before the exchange").
 *
 * <p>Watermarks, epoch barriers and end-of-input travel in the same rings as records. A worker
 * merges its inputs' watermarks by the one rule every stage uses
 * ({@link io.rivulet.engine.runtime.WatermarkMerge}: minimum or maximum, ended and idle inputs not
 * holding it back) and aligns barriers: after an input's barrier for
 * epoch {@code e} it reads no more from that input until every input has delivered it. A full ring
 * stalls its producer; nothing is dropped and no queue is unbounded. Epochs complete (sinks
 * prepared, checkpoint, sinks committed) on the {@code CheckpointCoordinator}'s
 * thread, or the micro-batch driver's, never on a data thread; progress reports and listeners on the query's
 * {@link io.rivulet.engine.runtime.ProgressPublisher} thread.
 */
package io.rivulet.engine.runtime;
