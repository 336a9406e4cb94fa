package io.rivulet.operators.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rivulet.operators.Output;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.join.JoinRowsFixture.Click;
import io.rivulet.operators.join.JoinRowsFixture.Imp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays Spark's stream-stream join golden cases (testdata/spark-golden g1, g2) through
 * {@link StreamStreamJoinOperator}, batch by batch, as the micro-batch runtime drives it: the batch's
 * watermark (before or after the batch's rows: both orders are tested), the rows of the step in its
 * first batch (later batches of a step are no-data batches), then {@code onEpoch}. Each batch's output
 * must equal Spark's, the operator's late-row count must grow by Spark's {@code dropped_by_watermark},
 * and its state rows (both sides) must equal Spark's {@code state_rows}. A continuous-mode operator fed
 * the same steps must end with Spark's final result table.
 */
class SparkGoldenJoinTest {
    private static final Path GOLDEN = Path.of("../testdata/spark-golden");
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}, watermark before rows: {1}")
    @CsvSource({"g1,true", "g1,false", "g2,true", "g2,false"})
    void shouldReproduceSparkOutputStateRowsAndLateRowsBatchByBatch(String caseId, boolean watermarkFirst) throws IOException {
        JsonNode golden = load(caseId);
        JoinType type = caseId.equals("g1") ? JoinType.INNER : JoinType.LEFT_OUTER;
        StreamStreamJoinOperator<String, Imp, Click, List<String>> op =
            StreamStreamJoinOperator.of(SparkGoldenJoinTest::row, JoinRowsFixture.clicksWithin10s(type, true));
        List<List<String>> emitted = new ArrayList<>();
        Output<List<String>> out = emitted::add;
        StateMetrics metrics = new StateMetrics();
        int batches = 0;
        for (JsonNode step : golden.get("steps")) {
            boolean first = true;
            for (JsonNode batch : step.get("batches")) {
                String context = caseId + " batch " + batch.get("batch_id").asLong();
                emitted.clear();
                op.stateMetrics(metrics);
                long droppedBefore = metrics.numRowsDroppedByWatermark();
                long watermarkMs = epochMs(batch.get("watermark").asText());
                if (watermarkFirst) {
                    op.onWatermark(watermarkMs, out);
                }
                if (first) {
                    feed(op, step.get("input"), out);
                }
                first = false;
                if (!watermarkFirst) {
                    op.onWatermark(watermarkMs, out);
                }
                op.onEpoch(batch.get("batch_id").asLong(), out);

                assertThat(sorted(emitted)).as(context + " output").isEqualTo(expectedRows(batch.get("output")));
                op.stateMetrics(metrics);
                JsonNode stateOperator = batch.get("state_operators").get(0);
                assertThat(stateOperator.get("operator").asText()).isEqualTo(StreamStreamJoinOperator.NAME);
                assertThat(metrics.numRowsDroppedByWatermark() - droppedBefore).as(context + " dropped_by_watermark")
                    .isEqualTo(stateOperator.get("dropped_by_watermark").asLong());
                assertThat(metrics.numRowsTotal()).as(context + " state_rows")
                    .isEqualTo(stateOperator.get("state_rows").asLong());
                batches++;
            }
        }
        assertThat(batches).isEqualTo(12);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"g1", "g2"})
    void shouldEndWithSparksFinalResultTableInContinuousMode(String caseId) throws IOException {
        JsonNode golden = load(caseId);
        JoinType type = caseId.equals("g1") ? JoinType.INNER : JoinType.LEFT_OUTER;
        StreamStreamJoinOperator<String, Imp, Click, List<String>> op =
            StreamStreamJoinOperator.of(SparkGoldenJoinTest::row, JoinRowsFixture.clicksWithin10s(type, false));
        List<List<String>> emitted = new ArrayList<>();
        Output<List<String>> out = emitted::add;
        long epoch = 0;
        for (JsonNode step : golden.get("steps")) {
            for (JsonNode batch : step.get("batches")) {
                op.onWatermark(epochMs(batch.get("watermark").asText()), out);
                if (batch.get("num_input_rows").asInt() > 0) {
                    feed(op, step.get("input"), out);
                }
                op.onEpoch(epoch++, out);
            }
        }
        assertThat(sorted(emitted)).isEqualTo(expectedRows(golden.get("final_result_table")));
    }

    private static void feed(StreamStreamJoinOperator<String, Imp, Click, List<String>> op, JsonNode input,
                             Output<List<String>> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = input.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> stream = it.next();
            for (JsonNode r : stream.getValue()) {
                String ad = r.get(0).asText();
                long ts = epochMs(r.get(1).asText());
                if (stream.getKey().equals("impressions")) {
                    op.process(ad, new Imp(ad, ts), out);
                } else {
                    op.processRight(ad, new Click(ad, ts), out);
                }
            }
        }
    }

    /** The output columns: adId, impTime, clickAdId, clickTime. */
    private static List<String> row(String key, Imp imp, Click click) {
        return Arrays.asList(imp == null ? null : imp.ad(), imp == null ? null : Instant.ofEpochMilli(imp.ts()).toString(),
            click == null ? null : click.ad(), click == null ? null : Instant.ofEpochMilli(click.ts()).toString());
    }

    private static List<List<String>> expectedRows(JsonNode rows) {
        List<List<String>> expected = new ArrayList<>();
        for (JsonNode r : rows) {
            List<String> row = new ArrayList<>();
            r.forEach(v -> row.add(v.isNull() ? null : v.asText()));
            expected.add(row);
        }
        return sorted(expected);
    }

    private static List<List<String>> sorted(List<List<String>> rows) {
        List<List<String>> copy = new ArrayList<>(rows);
        copy.sort((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
        return copy;
    }

    private static long epochMs(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    private static JsonNode load(String caseId) throws IOException {
        try (var files = Files.list(GOLDEN)) {
            Path file = files.filter(p -> p.getFileName().toString().startsWith(caseId + "_")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no golden case " + caseId + " in " + GOLDEN));
            return JSON.readTree(file.toFile());
        }
    }
}
