package io.rivulet.bench.harness;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The structured-API workloads (issue 13: the trades as a {@code Dataset<Row>}, {@code where}/{@code selectExpr},
 * {@code groupBy(window(..), ..)}) compute the spec's results.
 */
class StructuredScenarioTest
{
    @Test
    void shouldMatchSpecReferenceForW1SWithTwoMillionTrades() throws InterruptedException
    {
        final RunReport report = HarnessRunner.run(HarnessOptions.throughput(new String[] {"W1S", "2M"}));
        assertThat(report.results()).isEqualTo(1_799_773L);
        assertThat(report.checksum()).isEqualTo(9652415629967L);
        assertThat(report.check().reference()).isEqualTo("match");
    }

    @Test
    void shouldMatchSpecReferenceForW2SWithTwoMillionTradesOnOneAndTwoPartitions() throws InterruptedException
    {
        for (final String partitions : new String[] {"1", "2"})
        {
            final RunReport report = HarnessRunner.run(HarnessOptions.throughput(new String[] {"W2S", "2M",
                "--partitions", partitions}));
            assertThat(report.results()).as("partitions %s", partitions).isEqualTo(2_902L);
            assertThat(report.checksum()).as("partitions %s", partitions).isEqualTo(4408501794722155037L);
            assertThat(report.check().reference()).isEqualTo("match");
        }
    }

    @Test
    void shouldComputeW2SPacedAsTheDirectComputationOverTheSameTrades() throws InterruptedException
    {
        final RunReport report = HarnessRunner.run(HarnessOptions.latency(new String[] {"W2S", "100k",
            "--warmup", "1s", "--measure", "1500ms", "--partitions", "1"}));
        assertThat(report.passed()).as(report.check().detail()).isTrue();
        assertThat(report.results()).isPositive();
    }
}
