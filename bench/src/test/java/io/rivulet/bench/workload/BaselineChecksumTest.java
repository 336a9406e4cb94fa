package io.rivulet.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The baseline reproduces the spec's reference results and checksums for N = 2 000 000 (throughput mode,
 * R = 1M/s nominal).
 */
class BaselineChecksumTest
{
    private static final long N = 2_000_000L;

    @Test
    void w1MatchesReference()
    {
        assertReference(Baseline.run(Workload.W1, N), N, 1_799_773L, 9652415629967L);
    }

    @Test
    void w2MatchesReference()
    {
        assertReference(Baseline.run(Workload.W2, N), N, 2_902L, 4408501794722155037L);
    }

    @Test
    void w3MatchesReference()
    {
        assertReference(Baseline.run(Workload.W3, N), N, 11_902L, 5501213364840232450L);
    }

    @Test
    void w4MatchesReference()
    {
        assertReference(Baseline.run(Workload.W4, N), N, 3L, 2405324251996624246L);
    }

    @Test
    void w5MatchesReference()
    {
        assertReference(Baseline.run(Workload.W5, N), 2_200_000L, 1_969_868L, 1981850306192633514L);
    }

    private static void assertReference(
        final BaselineResult result, final long events, final long results, final long checksum)
    {
        assertThat(result.trades()).isEqualTo(N);
        assertThat(result.events()).isEqualTo(events);
        assertThat(result.results()).as("results").isEqualTo(results);
        assertThat(result.checksum()).as("checksum").isEqualTo(checksum);
    }
}
