/**
 * Trading benchmark workloads W1..W5 as specified in {@code shared/WORKLOADS.md}: deterministic, allocation-free
 * trade and order generators, the output records and checksum terms every engine must reproduce, and a
 * hand-written single-threaded reference implementation ({@link io.rivulet.bench.workload.Baseline}) that
 * defines both the expected results and the "no framework" performance floor.
 *
 * <p>Unless stated otherwise, classes in this package are not thread-safe: each instance is meant to be
 * confined to one thread (a source thread, or the baseline loop). Times are epoch milliseconds
 * ({@code Ms} suffix) or nanoseconds ({@code Ns} suffix).
 */
package io.rivulet.bench.workload;
