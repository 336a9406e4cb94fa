package io.rivulet.engine;

import io.rivulet.engine.runtime.PlanExplainer;
import io.rivulet.engine.source.Sources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code explain}'s physical plan: stages numbered from the sources up, fused chains sharing a number, an
 * exchange at each keyed stage with its partitions, and the continuous-mode fusing of a one-partition stage.
 */
class PlanExplainerTest {
    @Test
    void shouldShowFusedChainsTheExchangeAndEachStagesPartitions() {
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<Long> counts = rivulet.readStream(Sources.rate().numPartitions(2))
                .map(row -> row.value() % 10)
                .keyBy("digit", digit -> digit, 4)
                .count()
                .map(kv -> kv.value());
            String plan = PlanExplainer.explain(counts.node(), 8, false);
            assertThat(plan).matches("(?s)== Physical Plan ==\n"
                + "\\*\\(2\\) map\n"
                + "\\+- \\*\\(2\\) aggregate \\[4 partitions\\]\n"
                + "   \\+- Exchange hashpartitioning\\(digit, 4\\) from 2 tasks\n"
                + "      \\+- \\*\\(1\\) map\n"
                + "         \\+- \\*\\(1\\) source rate.* \\[2 partitions\\]\n");
        }
    }

    @Test
    void shouldSayAOnePartitionStageFedByOneTaskIsFusedInContinuousMode() {
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<?> counts = rivulet.readStream(Sources.rate()).keyBy("v", row -> row.value() % 2, 1).count();
            assertThat(PlanExplainer.explain(counts.node(), 8, false))
                .contains("Exchange hashpartitioning(v, 1) from 1 task, fused into the producing task in continuous mode");
        }
    }
}
