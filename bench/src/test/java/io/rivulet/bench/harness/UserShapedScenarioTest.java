package io.rivulet.bench.harness;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The user-shaped workloads (issue 14: a new record per event and per result, public API only) compute the spec's
 * results, through the engine and as the allocating hand-written loop, and their reports carry GC and heap figures.
 */
class UserShapedScenarioTest
{
    @Test
    void shouldMatchSpecReferenceForW1UWithTwoMillionTrades() throws InterruptedException
    {
        final RunReport report = HarnessRunner.run(HarnessOptions.throughput(new String[] {"W1U", "2M"}));
        assertThat(report.results()).isEqualTo(1_799_773L);
        assertThat(report.checksum()).isEqualTo(9652415629967L);
        assertThat(report.check().reference()).isEqualTo("match");
    }

    @Test
    void shouldMatchSpecReferenceForW2UWithTwoMillionTradesOnOneAndTwoPartitions() throws InterruptedException
    {
        for (final String partitions : new String[] {"1", "2"})
        {
            final RunReport report = HarnessRunner.run(HarnessOptions.throughput(new String[] {"W2U", "2M",
                "--partitions", partitions}));
            assertThat(report.results()).as("partitions %s", partitions).isEqualTo(2_902L);
            assertThat(report.checksum()).as("partitions %s", partitions).isEqualTo(4408501794722155037L);
            assertThat(report.check().reference()).isEqualTo("match");
        }
    }

    @Test
    void shouldComputeTheSameW1ResultsPacedThroughTheEngineAndInTheAllocatingLoop() throws InterruptedException
    {
        final String[] args = {"W1U", "100k", "--warmup", "200ms", "--measure", "500ms"};
        final RunReport engine = HarnessRunner.run(HarnessOptions.latency(args));
        final RunReport loop = HarnessRunner.run(HarnessOptions.latencyBaseline(args));
        assertThat(engine.passed()).as(engine.check().detail()).isTrue();
        assertThat(loop.passed()).as(loop.check().detail()).isTrue();
        assertThat(engine.trades()).isEqualTo(70_000L);
        assertThat(loop.trades()).isEqualTo(70_000L);
        assertThat(loop.checksum()).as("the same trades, the same results").isEqualTo(engine.checksum());
        assertThat(engine.latency().samples()).isPositive();
        assertThat(loop.latency().samples()).isPositive();
    }

    @Test
    void shouldComputeTheSameW2ResultsPacedThroughTheEngineAndInTheAllocatingLoop() throws InterruptedException
    {
        final String[] args = {"W2U", "100k", "--warmup", "1s", "--measure", "1500ms", "--partitions", "1"};
        final RunReport engine = HarnessRunner.run(HarnessOptions.latency(args));
        final RunReport loop = HarnessRunner.run(HarnessOptions.latencyBaseline(args));
        assertThat(engine.passed()).as(engine.check().detail()).isTrue();
        assertThat(loop.passed()).as(loop.check().detail()).isTrue();
        assertThat(loop.results()).as("every window and symbol, flushed at the end").isEqualTo(engine.results());
        assertThat(loop.checksum()).isEqualTo(engine.checksum());
        assertThat(loop.latency().samples()).as("windows closed inside the measured window").isPositive();
    }

    @Test
    void shouldReportGcPerCollectorAndHeapPeakBesideLatency() throws InterruptedException
    {
        final RunReport report = HarnessRunner.run(HarnessOptions.latencyBaseline(new String[] {"W1U", "100k",
            "--warmup", "200ms", "--measure", "500ms"}));
        assertThat(report.allocation().heapPeakBytes()).isPositive();
        assertThat(report.allocation().cpuNsPerEvent()).isPositive();
        assertThat(report.fields()).containsKeys("heapPeakMB", "gcCount", "gcMs", "cpuNsPerEvent", "p9999Ns");
        assertThat(report.summary()).contains("heap peak");
    }

    @Test
    void shouldRefuseAnUnpacedBaselineOfAUserShapedWorkload()
    {
        assertThatThrownBy(() -> HarnessRunner.runBaseline(HarnessOptions.baseline(new String[] {"W1U", "1M"})))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("latency --baseline W1U");
    }
}
