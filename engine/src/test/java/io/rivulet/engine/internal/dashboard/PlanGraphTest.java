package io.rivulet.engine.internal.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import io.rivulet.engine.runtime.QueryProbe;
import io.rivulet.operators.OutputMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(NoLeakedThreads.class)
class PlanGraphTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldDrawAUnionFeedingAFusedKeyedStageWithStagesAndNoRing() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.of("a", "b"))
                .union(rivulet.readStream(Sources.of("c")))
                .keyBy(s -> s, 1)
                .count()
                .writeStream(Sinks.collecting())
                .outputMode(OutputMode.UPDATE)
                .queryName("union-count")
                .trigger(Trigger.continuous(Duration.ofMillis(50)))
                .start();
            query.awaitTermination();

            JsonNode plan = json.readTree(DashboardJson.plan(QueryProbe.of(query)));

            assertThat(plan.get("mode").asText()).isEqualTo("continuous");
            List<String> kinds = new ArrayList<>();
            plan.get("nodes").forEach(n -> kinds.add(n.get("kind").asText()));
            assertThat(kinds).containsExactly("source", "source", "union", "keyed", "sink");
            assertThat(plan.get("nodes").get(0).get("stages").toString()).isEqualTo("[1]");
            assertThat(plan.get("nodes").get(1).get("stages").toString()).isEqualTo("[2]");
            assertThat(plan.get("nodes").get(2).get("stages").toString()).isEqualTo("[]");
            assertThat(plan.get("nodes").get(3).get("stages").toString()).isEqualTo("[3]");
            assertThat(plan.get("nodes").get(3).get("partitions").asInt()).isEqualTo(1);
            JsonNode intoKeyed = null;
            for (JsonNode edge : plan.get("edges")) {
                if (edge.get("to").asInt() == 3) {
                    intoKeyed = edge;
                }
            }
            assertThat(intoKeyed).isNotNull();
            // Two producing tasks: the stage is not fused into one, it runs behind rings (co-located).
            assertThat(intoKeyed.get("exchange").asText()).isEqualTo("ring");
            assertThat(intoKeyed.get("rings").asInt()).isEqualTo(2);
            assertThat(plan.get("nodes").get(4).get("writers").asInt()).isEqualTo(1);
        }
    }

    @Test
    void shouldMarkAOnePartitionStageFedByOneTaskAsFused() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.of("a", "b", "a"))
                .keyBy(s -> s, 1)
                .count()
                .writeStream(Sinks.collecting())
                .outputMode(OutputMode.UPDATE)
                .queryName("fused-count")
                .start();
            query.awaitTermination();

            JsonNode plan = json.readTree(DashboardJson.plan(QueryProbe.of(query)));

            JsonNode edge = plan.get("edges").get(0);
            assertThat(edge.get("to").asInt()).isEqualTo(1);
            assertThat(edge.get("exchange").asText()).isEqualTo("fused");
            assertThat(edge.has("rings")).isFalse();
            assertThat(QueryProbe.of(query).ringStages()).isEmpty();
        }
    }
}
