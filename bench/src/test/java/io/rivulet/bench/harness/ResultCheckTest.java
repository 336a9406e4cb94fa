package io.rivulet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.bench.workload.WorkloadSpec;
import io.rivulet.operators.KeyValue;
import org.junit.jupiter.api.Test;

/** A fast wrong answer must fail. */
class ResultCheckTest
{
    @Test
    void shouldFailW1WhenChecksumDiffersFromReference()
    {
        final ResultCheck check = ResultCheck.compare("spec reference W1 N=2000000", 1_799_773L, 9652415629967L,
            1_799_773L, 9652415629968L, true);
        assertThat(check.ok()).isFalse();
        assertThat(check.reference()).isEqualTo("MISMATCH");
        assertThat(check.detail()).contains("DIFFERS");
    }

    @Test
    void shouldFailW1WhenResultCountDiffers()
    {
        assertThat(ResultCheck.compare("x", 10, 5, 9, 5, false).ok()).isFalse();
        assertThat(ResultCheck.compare("x", 10, 5, 10, 5, false).ok()).isTrue();
    }

    @Test
    void shouldFailK1WhenOneSymbolTotalIsWrong()
    {
        final K1Scenario.Totals expected = K1Scenario.Totals.direct(10_000, WorkloadSpec.THROUGHPUT_RATE);
        final K1Scenario.Totals got = K1Scenario.Totals.direct(10_000, WorkloadSpec.THROUGHPUT_RATE);
        assertThat(got.check(expected, 10_000).ok()).isTrue();
        got.sumQty[0]++;
        final ResultCheck check = got.check(expected, 10_000);
        assertThat(check.ok()).isFalse();
        assertThat(check.detail()).contains("symbol 0");
    }

    @Test
    void shouldFailK1WhenCountsArriveOutOfSequence()
    {
        final K1Scenario.K1Probe probe = new K1Scenario.K1Probe();
        probe.onResult(new KeyValue<>(7, new long[] {1, 10, 0}));
        probe.onResult(new KeyValue<>(7, new long[] {3, 30, 1}));
        final K1Scenario.Totals got = new K1Scenario.Totals();
        got.merge(probe);
        assertThat(got.check(new K1Scenario.Totals(), 2).ok()).isFalse();
    }
}
