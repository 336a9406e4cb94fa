/**
 * JMH micro-benchmarks of the engine's building blocks, each with a hand-written baseline in the same class:
 * {@link io.rivulet.engine.runtime.RingHopBenchmark} (one ring hop between two threads, with the runtime's slots and poller; in the runtime's package),
 * {@link io.rivulet.bench.jmh.FusedChainBenchmark} (filter and map operators chained, W1's shape),
 * {@link io.rivulet.bench.jmh.KeyedAggregationBenchmark} (running per-key aggregate and reduce, K1's shape),
 * {@link io.rivulet.bench.jmh.KeyedStateBenchmark} (keyed state updates through the state backend, and its snapshot stall)
 * {@link io.rivulet.bench.jmh.DeduplicationBenchmark} ({@code dropDuplicatesWithinWatermark} over 10 M ids) and
 * {@link io.rivulet.bench.jmh.UserShapedChainBenchmark} (W1 as a user writes it, new records, through a real query).
 *
 * <p>One operation is one record, so with {@code -prof gc} the {@code gc.alloc.rate.norm} column is bytes allocated
 * per record. Settings come from {@link io.rivulet.bench.jmh.BenchmarkDefaults}; run them with
 * {@code bin/bench jmh [JMH options]}.
 */
package io.rivulet.bench.jmh;
