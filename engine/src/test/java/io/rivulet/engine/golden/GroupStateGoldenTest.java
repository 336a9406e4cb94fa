package io.rivulet.engine.golden;

import io.rivulet.engine.NoLeakedThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The group-state golden cases (h1, l15), run through {@link SparkGoldenTest}'s own checks: h1 batch
 * by batch (rows, batch ids, watermark, rows dropped by the watermark), l15 rejected at start with
 * Spark's message.
 */
@ExtendWith(NoLeakedThreads.class)
class GroupStateGoldenTest {
    @Test
    void shouldReproduceSparksFlatMapGroupsWithStateEventTimeTimeoutBatchByBatch() throws Exception {
        new SparkGoldenTest().shouldReproduceSparkBatchByBatch("h1_flat_map_groups_with_state_event_time_timeout_update");
    }

    @Test
    void shouldRejectMapGroupsWithStateInAppendModeAtStart() throws Exception {
        new SparkGoldenTest().shouldRejectAtStartWhatSparkRejects("l15_reject_map_groups_with_state_append");
    }
}
