package io.rivulet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PacerTest
{
    private static final long START = 5_000_000_000L;

    @Test
    void shouldScheduleEventSeqAtStartPlusSeqTimesPeriod()
    {
        final Pacer pacer = new Pacer(START, 1_000_000);
        assertThat(pacer.dueNs(0)).isEqualTo(START);
        assertThat(pacer.dueNs(1)).isEqualTo(START + 1_000);
        assertThat(pacer.dueNs(1_000_000)).isEqualTo(START + 1_000_000_000L);
        assertThat(pacer.dueNs(40_000_000)).isEqualTo(START + 40_000_000_000L);
    }

    @Test
    void shouldTruncateNonIntegralPeriods()
    {
        final Pacer pacer = new Pacer(START, 3);
        assertThat(pacer.dueNs(1)).isEqualTo(START + 333_333_333L);
        assertThat(pacer.dueNs(2)).isEqualTo(START + 666_666_666L);
        assertThat(pacer.dueNs(3)).isEqualTo(START + 1_000_000_000L);
    }

    @Test
    void shouldNotOverflowForLongSchedules()
    {
        final Pacer pacer = new Pacer(0, 1_000_000);
        final long seq = 3_600L * 24 * 365 * 1_000_000; // a year at 1M/s
        assertThat(pacer.dueNs(seq)).isEqualTo(3_600L * 24 * 365 * 1_000_000_000L);
    }

    @Test
    void shouldEmitEveryDueEventInBatchesOfAtMost256()
    {
        final Pacer pacer = new Pacer(START, 100_000); // one event every 10 µs
        assertThat(pacer.dueBatch(0, 1_000, START - 1, 256)).isZero();
        assertThat(pacer.dueBatch(0, 1_000, START, 256)).isEqualTo(1);
        assertThat(pacer.dueBatch(0, 1_000, START + 25_000, 256)).isEqualTo(3);
        assertThat(pacer.dueBatch(1, 1_000, START + 25_000, 256)).isEqualTo(2);
        // far behind: catch up 256 at a time, never past the end of the run
        assertThat(pacer.dueBatch(0, 1_000, START + 1_000_000_000L, Pacer.MAX_BATCH)).isEqualTo(256);
        assertThat(pacer.dueBatch(900, 1_000, START + 1_000_000_000L, Pacer.MAX_BATCH)).isEqualTo(100);
    }

    @Test
    void shouldParkGapMinus60MicrosOnlyAbove100Micros()
    {
        assertThat(Pacer.parkNanosFor(-5)).isZero();
        assertThat(Pacer.parkNanosFor(10_000)).isZero();
        assertThat(Pacer.parkNanosFor(100_000)).isZero();
        assertThat(Pacer.parkNanosFor(100_001)).isEqualTo(40_001);
        assertThat(Pacer.parkNanosFor(1_000_000)).isEqualTo(940_000);
    }

    @Test
    void shouldSpinUntilDueWhenTheGapIsShort()
    {
        final long now = System.nanoTime();
        final long due = now + 20_000;
        assertThat(Pacer.awaitDue(due, now, 1_000_000)).isGreaterThanOrEqualTo(due);
    }

    @Test
    void shouldStartTheScheduleHundredMillisAfterTheFirstCaller()
    {
        assertThat(Pacer.startingAfter(START, 1).startNs()).isEqualTo(START + 100_000_000L);
    }

    @Test
    void shouldRecordOnlyDueTimesInsideTheMeasuredWindow()
    {
        final Pacer pacer = new Pacer(START, 1_000_000);
        final MeasuredWindow window = MeasuredWindow.of(pacer, 10_000_000_000L, 30_000_000_000L);
        assertThat(window.contains(pacer.dueNs(9_999_999))).isFalse();
        assertThat(window.contains(pacer.dueNs(10_000_000))).isTrue();
        assertThat(window.contains(pacer.dueNs(40_000_000))).isTrue();
        assertThat(window.contains(pacer.dueNs(40_000_001))).isFalse();
    }

    @Test
    void shouldIndexExactlyTheDueTimesTheWindowContains()
    {
        final MeasuredWindow window = new MeasuredWindow(Long.MAX_VALUE - 100, Long.MAX_VALUE - 50);
        final Pacer pacer = new Pacer(START, 1_000_000);
        final MeasuredWindow wrapping = MeasuredWindow.of(pacer, 10_000_000_000L, 30_000_000_000L);
        for (final MeasuredWindow w : new MeasuredWindow[] {window, wrapping})
        {
            for (final long edge : new long[] {w.fromNs(), w.toNs()})
            {
                for (long due = edge - 3; due <= edge + 3; due++)
                {
                    assertThat(w.index(due)).as("due %d in %s", due, w)
                        .isEqualTo(w.contains(due) ? MeasuredWindow.MEASURED : MeasuredWindow.UNMEASURED);
                }
            }
        }
        assertThat(wrapping.index(pacer.dueNs(20_000_000))).isEqualTo(MeasuredWindow.MEASURED);
        assertThat(wrapping.index(pacer.dueNs(0))).isEqualTo(MeasuredWindow.UNMEASURED);
    }

    @Test
    void shouldRejectNonPositiveRate()
    {
        assertThatThrownBy(() -> new Pacer(START, 0)).hasMessageContaining("rate must be > 0");
    }

    @Test
    void shouldScheduleRateTimesLengthEvents()
    {
        assertThat(HarnessOptions.tradesFor(1_000_000, 40_000_000_000L)).isEqualTo(40_000_000L);
        assertThat(HarnessOptions.tradesFor(100_000, 2_500_000_000L)).isEqualTo(250_000L);
        final HarnessOptions options = HarnessOptions.latency(new String[] {"W1", "100k", "--warmup", "1s",
            "--measure", "500ms"});
        assertThat(options.trades()).isEqualTo(150_000L);
        assertThat(options.rate()).isEqualTo(100_000L);
    }
}
