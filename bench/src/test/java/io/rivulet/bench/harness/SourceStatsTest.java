package io.rivulet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceStatsTest
{
    @Test
    void shouldKeepTheLastEmissionWhenAPollEmitsNothing()
    {
        final SourceStats stats = new SourceStats();
        stats.emitted(0, 50, 7, 0);
        assertThat(stats.firstEmitNs()).as("nothing emitted yet").isZero();

        stats.emitted(3, 100, 5, 3);
        stats.emitted(3, 200, 99, 0);

        assertThat(stats.emitted()).isEqualTo(3);
        assertThat(stats.firstEmitNs()).isEqualTo(100);
        assertThat(stats.lastEmitNs()).isEqualTo(100);
        assertThat(stats.behindNs()).isEqualTo(5);

        stats.emitted(4, 300, 11, 1);

        assertThat(stats.lastEmitNs()).isEqualTo(300);
        assertThat(stats.behindNs()).isEqualTo(11);
        assertThat(stats.firstEmitNs()).isEqualTo(100);
    }
}
