package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Workload;

import java.util.Optional;

/**
 * The spec's reference table (WORKLOADS.md section 3, throughput mode, R = 1M/s nominal): results count and checksum
 * every engine must reproduce for a workload and N. Immutable, thread-safe.
 */
public final class ReferenceResults
{
    /**
     * One row of the table.
     *
     * @param workload workload.
     * @param trades   N trades.
     * @param results  results count.
     * @param checksum checksum.
     */
    public record Row(Workload workload, long trades, long results, long checksum)
    {
    }

    private static final Row[] ROWS = {
        new Row(Workload.W1, 20_000_000L, 18_001_818L, 90915108920929L),
        new Row(Workload.W2, 10_000_000L, 10_902L, 4350380533236143902L),
        new Row(Workload.W3, 10_000_000L, 19_902L, -6404137588859613380L),
        new Row(Workload.W4, 10_000_000L, 11L, -3038289524588295051L),
        new Row(Workload.W5, 5_000_000L, 4_960_867L, -5994743587780650593L),
        new Row(Workload.W1, 2_000_000L, 1_799_773L, 9652415629967L),
        new Row(Workload.W2, 2_000_000L, 2_902L, 4408501794722155037L),
        new Row(Workload.W3, 2_000_000L, 11_902L, 5501213364840232450L),
        new Row(Workload.W4, 2_000_000L, 3L, 2405324251996624246L),
        new Row(Workload.W5, 2_000_000L, 1_969_868L, 1981850306192633514L),
    };

    private ReferenceResults()
    {
    }

    /**
     * @param workload workload.
     * @param trades   N trades.
     * @return the reference row, if the spec has one.
     */
    public static Optional<Row> find(final Workload workload, final long trades)
    {
        for (final Row row : ROWS)
        {
            if (row.workload() == workload && row.trades() == trades)
            {
                return Optional.of(row);
            }
        }
        return Optional.empty();
    }
}
