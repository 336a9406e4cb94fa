package io.rivulet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * End to end through the engine: the harness's W1, W5 (and its hand-written baseline), K1 and K1L queries compute the
 * right answers.
 */
class ThroughputModeTest
{
    @Test
    void shouldMatchSpecReferenceForW1WithTwoMillionTrades() throws InterruptedException
    {
        final RunReport report = HarnessRunner.run(HarnessOptions.throughput(new String[] {"W1", "2M"}));
        assertThat(report.trades()).isEqualTo(2_000_000L);
        assertThat(report.results()).isEqualTo(1_799_773L);
        assertThat(report.checksum()).isEqualTo(9652415629967L);
        assertThat(report.check().reference()).isEqualTo("match");
        assertThat(report.passed()).isTrue();
    }

    @Test
    void shouldMatchSpecReferenceForW5WithTwoMillionTradesOnOneAndTwoPartitions() throws InterruptedException
    {
        for (final String partitions : new String[] {"1", "2"})
        {
            final RunReport report = HarnessRunner.run(HarnessOptions.throughput(new String[] {"W5", "2M",
                "--partitions", partitions}));
            assertThat(report.trades()).isEqualTo(2_000_000L);
            assertThat(report.results()).as("partitions %s", partitions).isEqualTo(1_969_868L);
            assertThat(report.checksum()).as("partitions %s", partitions).isEqualTo(1981850306192633514L);
            assertThat(report.check().reference()).isEqualTo("match");
        }
    }

    @Test
    void shouldMatchSpecReferenceForTheHandWrittenW5BaselineWithTwoMillionTrades() throws InterruptedException
    {
        final RunReport report = HarnessRunner.run(HarnessOptions.throughput(new String[] {"w5-handwritten", "2M",
            "--partitions", "2"}));
        assertThat(report.results()).isEqualTo(1_969_868L);
        assertThat(report.checksum()).isEqualTo(1981850306192633514L);
        assertThat(report.check().reference()).isEqualTo("match");
    }

    @Test
    void shouldMatchDirectComputationOfW5WhenPaced() throws InterruptedException
    {
        // Both sources paced from one start; the join's results equal the hand-written loop over the same events.
        final RunReport report = HarnessRunner.run(HarnessOptions.latency(new String[] {"W5", "100k", "--warmup",
            "200ms", "--measure", "800ms"}));
        assertThat(report.trades()).isEqualTo(100_000L);
        assertThat(report.passed()).as(report.check().detail()).isTrue();
        assertThat(report.results()).isGreaterThan(80_000L);
        assertThat(report.latency().samples()).isPositive();
    }

    @Test
    void shouldMatchDirectComputationForK1() throws InterruptedException
    {
        final RunReport report = HarnessRunner.run(HarnessOptions.throughput(new String[] {"K1", "300k"}));
        assertThat(report.results()).isEqualTo(300_000L);
        assertThat(report.passed()).as(report.check().detail()).isTrue();
    }

    @Test
    void shouldMatchDirectComputationForK1LOnOneAndTwoPartitions() throws InterruptedException
    {
        for (final String partitions : new String[] {"1", "2"})
        {
            final RunReport report = HarnessRunner.run(HarnessOptions.throughput(
                new String[] {"K1L", "300k", "--partitions", partitions}));
            assertThat(report.results()).as("one result per changed key per epoch").isPositive();
            assertThat(report.passed()).as(report.check().detail()).isTrue();
        }
    }

    @Test
    void shouldMatchDirectComputationForK1LWithZipfKeysInTheQueryAndTheHandWrittenLoop() throws InterruptedException
    {
        final RunReport report = HarnessRunner.run(HarnessOptions.throughput(
            new String[] {"K1L", "300k", "--partitions", "1", "--keys", "zipf"}));
        assertThat(report.passed()).as(report.check().detail()).isTrue();
        assertThat(report.results()).as("hot keys change many times per epoch").isPositive().isLessThan(300_000L);
        final RunReport baseline = HarnessRunner.runBaseline(HarnessOptions.baseline(
            new String[] {"K1L", "300k", "--keys", "zipf"}));
        assertThat(baseline.passed()).as(baseline.check().detail()).isTrue();
        assertThat(baseline.checksum()).as("the same final sums").isEqualTo(report.checksum());
    }

    @Test
    void shouldRefuseToRunK1LPaced()
    {
        assertThatThrownBy(() -> HarnessRunner.run(HarnessOptions.latency(new String[] {"K1L", "100k", "--warmup", "1s",
            "--measure", "1s"}))).hasMessageContaining("throughput mode");
    }

    @Test
    void shouldRecordLatencyOnlyInsideTheMeasuredWindowWhenPaced() throws InterruptedException
    {
        final RunReport report = HarnessRunner.run(HarnessOptions.latency(new String[] {"W1", "100k", "--warmup",
            "200ms", "--measure", "300ms"}));
        assertThat(report.trades()).isEqualTo(50_000L);
        assertThat(report.passed()).as(report.check().detail()).isTrue();
        // W1 keeps ~90 % of trades; only those due in the 300 ms window are recorded
        assertThat(report.latency().samples()).isBetween(25_000L, 29_000L);
        assertThat(report.latency().p50()).isPositive();
    }
}
