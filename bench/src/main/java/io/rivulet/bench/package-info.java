/**
 * Rivulet's benchmark suite, packaged as one runnable {@code benchmarks.jar} and started through {@code bin/bench}.
 *
 * <pre>
 *   workload   generators, output records, checksums, the no-framework baseline (shared/WORKLOADS.md)
 *   harness    real Rivulet queries at a fixed offered rate (latency) or flat out (throughput),
 *              every run checked against the spec or a direct computation; SuiteMain tabulates them
 *   jmh        micro-benchmarks: one ring hop, a fused stateless chain, keyed running aggregation
 * </pre>
 *
 * <p>{@link io.rivulet.bench.BenchFlags} holds the JVM flags each benchmark JVM (and JMH fork) needs.
 */
package io.rivulet.bench;
