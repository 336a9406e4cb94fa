package io.rivulet.bench.harness;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class W4RankingTest
{
    @Test
    void shouldKeepTheTenLargestQuantitiesWithTiesBySmallerSymbolLikeAFullSort()
    {
        final SplittableRandom rng = new SplittableRandom(3);
        for (int round = 0; round < 200; round++)
        {
            final W4Scenario.Ranking ranking = new W4Scenario.Ranking();
            final List<long[]> all = new ArrayList<>();
            final int rows = rng.nextInt(25);
            for (int symbol = 0; symbol < rows; symbol++)
            {
                // Few distinct quantities, so ties are common; symbols arrive in random order.
                final int s = rng.nextInt(1000);
                final long q = 1 + rng.nextInt(5);
                ranking.offer(s, q);
                all.add(new long[] {s, q});
            }
            all.sort(Comparator.<long[]>comparingLong(r -> -r[1]).thenComparingLong(r -> r[0]));
            final W4Scenario.Top top = ranking.top(7_000L);
            final int n = Math.min(W4Scenario.N, rows);
            assertThat(top.windowEndMs()).isEqualTo(7_000L);
            assertThat(top.symbols()).hasSize(n);
            for (int r = 0; r < n; r++)
            {
                assertThat(top.qty()[r]).as("round %d rank %d", round, r).isEqualTo(all.get(r)[1]);
                assertThat((long)top.symbols()[r]).as("round %d rank %d", round, r).isEqualTo(all.get(r)[0]);
            }
        }
    }
}
