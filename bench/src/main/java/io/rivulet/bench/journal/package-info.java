/**
 * JMH benchmarks of the journal: append and read throughput of small records from one thread, and
 * the cost a journaled source adds to each record it ingests.
 *
 * <pre>
 *   JournalAppendBenchmark   append(record) ─► offset               (ops/s = records/s)
 *   JournalReadBenchmark     poll(handler, 1000) over a prefilled journal
 *   JournaledSourceBenchmark wrapped poll ─► append ─► read back ─► emit, vs the bare source
 * </pre>
 *
 * <p>Run them with the JVM flags of {@code bin/jvm-flags} (forks inherit the launching JVM's flags);
 * the command and the numbers measured are in {@code docs/journal.md}.
 */
package io.rivulet.bench.journal;
