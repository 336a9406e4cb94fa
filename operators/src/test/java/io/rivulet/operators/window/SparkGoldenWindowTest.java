package io.rivulet.operators.window;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.keyed.EmitPolicy;
import io.rivulet.operators.keyed.KeyedAggregateOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the Spark golden cases (testdata/spark-golden) through the window operators, batch by
 * batch, the way Spark's micro-batch engine drives its stateful operator: for batch N with
 * watermark W_N, the batch's rows (a step's rows all land in its first batch; later batches of a
 * step are no-data batches), then {@code onWatermark(W_N)}, then {@code onEpoch(N)}. The rows
 * emitted during the batch must equal Spark's output for that batch, the operator's dropped-row
 * counter must grow by Spark's {@code dropped_by_watermark}, and its state rows must equal
 * Spark's {@code state_rows} (except where the operator keeps panes). The watermark before batch 0
 * is the epoch.
 */
class SparkGoldenWindowTest {
    private static final Path GOLDEN = Path.of("../testdata/spark-golden");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GLOBAL = "";

    /** One input row of the golden cases, with the columns the window queries use. */
    record Row(String key, long tsMs, long qty, double price) {
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"b1", "b2", "b3", "b4", "c1", "d1", "d3", "k1"})
    void shouldReproduceSparkBatchByBatch(String caseId) throws IOException {
        JsonNode golden = load(caseId);
        OutputMode mode = OutputMode.valueOf(golden.get("output_mode").asText().toUpperCase(Locale.ROOT));
        KeyedOperator<String, Row, WindowedValue<String, ?>> op = operatorFor(caseId, mode);
        boolean keyed = !caseId.equals("k1");
        StateMetrics metrics = new StateMetrics();
        List<String> emitted = new ArrayList<>();

        op.onWatermark(0, value -> emitted.add(format(value, keyed)));
        assertThat(emitted).isEmpty();
        int batches = 0;
        for (JsonNode step : golden.get("steps")) {
            List<Row> rows = inputRows(golden, step, caseId);
            boolean firstBatchOfStep = true;
            for (JsonNode batch : step.get("batches")) {
                long batchId = batch.get("batch_id").asLong();
                String context = caseId + " batch " + batchId;
                emitted.clear();
                ((StatefulOperator) op).stateMetrics(metrics);
                long droppedBefore = metrics.numRowsDroppedByWatermark();

                assertThat(batch.get("num_input_rows").asInt()).as(context + " input rows")
                    .isEqualTo(firstBatchOfStep ? rows.size() : 0);
                if (firstBatchOfStep) {
                    for (Row row : rows) {
                        op.process(row.key(), row, value -> emitted.add(format(value, keyed)));
                    }
                }
                firstBatchOfStep = false;
                op.onWatermark(epochMs(batch.get("watermark").asText()), value -> emitted.add(format(value, keyed)));
                op.onEpoch(batchId, value -> emitted.add(format(value, keyed)));

                assertThat(emitted).as(context + " output").containsExactlyInAnyOrderElementsOf(expectedRows(batch.get("output")));
                ((StatefulOperator) op).stateMetrics(metrics);
                JsonNode stateOperator = batch.get("state_operators").get(0);
                assertThat(metrics.numRowsDroppedByWatermark() - droppedBefore).as(context + " dropped_by_watermark")
                    .isEqualTo(stateOperator.get("dropped_by_watermark").asLong());
                if (!caseId.equals("c1")) {
                    // c1 (sliding, append) keeps (key, pane) entries where Spark keeps (key, window) rows.
                    assertThat(metrics.numRowsTotal()).as(context + " state_rows")
                        .isEqualTo(stateOperator.get("state_rows").asLong());
                }
                batches++;
            }
        }
        assertThat(batches).isPositive();
    }

    @Test
    void shouldReproduceSparkGlobalAggregatesOfCaseI1() throws IOException {
        JsonNode golden = load("i1");
        KeyedAggregateOperator<String, Row, Object[], List<Object>> op = new KeyedAggregateOperator<>(
            Aggregates.of(Aggregates.count(), Aggregates.sumLong(Row::qty), Aggregates.average(Row::price),
                Aggregates.minDouble(Row::price), Aggregates.maxDouble(Row::price)),
            EmitPolicy.ON_EPOCH);
        List<List<Object>> emitted = new ArrayList<>();
        for (JsonNode step : golden.get("steps")) {
            for (JsonNode batch : step.get("batches")) {
                emitted.clear();
                if (batch.get("num_input_rows").asInt() > 0) {
                    for (Row row : inputRows(golden, step, "i1")) {
                        op.process(GLOBAL, row, kv -> emitted.add(kv.value()));
                    }
                }
                op.onEpoch(batch.get("batch_id").asLong(), (KeyValue<String, List<Object>> kv) -> emitted.add(kv.value()));
                List<List<Object>> expected = new ArrayList<>();
                for (JsonNode row : batch.get("output")) {
                    expected.add(StreamSupport.stream(row.spliterator(), false)
                        .map(v -> (Object) (v.isIntegralNumber() ? (Object) v.asLong() : (Object) v.asDouble()))
                        .collect(Collectors.toList()));
                }
                assertThat(emitted).as("i1 batch " + batch.get("batch_id")).isEqualTo(expected);
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static KeyedOperator<String, Row, WindowedValue<String, ?>> operatorFor(String caseId, OutputMode mode) {
        KeyedOperator op = switch (caseId) {
            case "b1", "b2", "b3", "b4", "k1" ->
                new WindowAggregateOperator<>(WindowAssigner.tumbling(10_000), Row::tsMs, Aggregates.<Row>count(), mode);
            case "c1" -> new WindowAggregateOperator<>(WindowAssigner.sliding(10_000, 5_000), Row::tsMs,
                Aggregates.of(Aggregates.<Row>count(), Aggregates.sumLong(Row::qty)), mode);
            case "d1", "d3" -> new SessionWindowOperator<>(5_000, Row::tsMs, Aggregates.<Row>count(), mode, null);
            default -> throw new IllegalArgumentException("no operator for case " + caseId);
        };
        return op;
    }

    private static JsonNode load(String caseId) throws IOException {
        try (Stream<Path> files = Files.list(GOLDEN)) {
            Path file = files.filter(p -> p.getFileName().toString().startsWith(caseId + "_")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no golden file for " + caseId + " in " + GOLDEN.toAbsolutePath()));
            return JSON.readTree(file.toFile());
        }
    }

    /** The step's rows of every stream, stream by stream, in input order. */
    private static List<Row> inputRows(JsonNode golden, JsonNode step, String caseId) {
        JsonNode schema = golden.get("input_schema");
        List<Row> rows = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> streams = step.get("input").fields();
        while (streams.hasNext()) {
            Map.Entry<String, JsonNode> stream = streams.next();
            JsonNode columns = schema.isArray() ? schema : schema.get(stream.getKey());
            for (JsonNode values : stream.getValue()) {
                rows.add(row(columns, values, caseId.equals("k1") || caseId.equals("i1")));
            }
        }
        return rows;
    }

    private static Row row(JsonNode columns, JsonNode values, boolean global) {
        String key = GLOBAL;
        long tsMs = 0;
        long qty = 0;
        double price = 0;
        for (int i = 0; i < columns.size(); i++) {
            String name = columns.get(i).get("name").asText();
            JsonNode value = values.get(i);
            switch (name) {
                case "word", "symbol" -> key = global ? GLOBAL : value.asText();
                case "ts" -> tsMs = epochMs(value.asText());
                case "qty" -> qty = value.asLong();
                case "price" -> price = value.asDouble();
                default -> throw new IllegalArgumentException("unexpected column " + name);
            }
        }
        return new Row(key, tsMs, qty, price);
    }

    private static long epochMs(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    private static List<String> expectedRows(JsonNode output) {
        List<String> rows = new ArrayList<>();
        for (JsonNode row : output) {
            List<String> cells = new ArrayList<>();
            for (JsonNode cell : row) {
                cells.add(cell.isObject() ? cell.get("start").asText() + "/" + cell.get("end").asText() : cell.asText());
            }
            rows.add(String.join("|", cells));
        }
        return rows;
    }

    private static String format(WindowedValue<String, ?> value, boolean keyed) {
        List<String> cells = new ArrayList<>();
        cells.add(Instant.ofEpochMilli(value.window().startMs()) + "/" + Instant.ofEpochMilli(value.window().endMs()));
        if (keyed) {
            cells.add(value.key());
        }
        if (value.value() instanceof List<?> list) {
            list.forEach(v -> cells.add(String.valueOf(v)));
        } else {
            cells.add(String.valueOf(value.value()));
        }
        return String.join("|", cells);
    }
}
