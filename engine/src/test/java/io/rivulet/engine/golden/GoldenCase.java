package io.rivulet.engine.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One case recorded from Apache Spark (testdata/spark-golden/README.md explains the format), read
 * into plain Java values: timestamps of inputs become epoch milliseconds, everything else stays as
 * JSON gives it (strings, longs, doubles, {start, end} maps for windows).
 *
 * <p>A case reads one or more named input streams: a join case has two ({@code impressions} and
 * {@code clicks}), each step adding rows to some of them; {@link #inputNames} lists them all, from the
 * case's {@code input_schema} when it names its streams and from its steps. A stream-static join case
 * also has {@link #staticTables}: each table's rows, by name. {@link #inputSchemas} gives each input's
 * schema as a DDL string ({@code "word STRING, ts TIMESTAMP"}), {@link #staticSchemas} each static table's.
 */
record GoldenCase(String name, String outputMode, Map<String, String> sparkConf, List<Step> steps, JsonNode rejected,
                  List<String> inputNames, Map<String, List<List<Object>>> staticTables, Map<String, String> inputSchemas,
                  Map<String, String> staticSchemas) {
    static final Path DIR = Path.of("..", "testdata", "spark-golden");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One step: rows added per stream, then what Spark ran. */
    record Step(Map<String, List<List<Object>>> input, List<Batch> batches, String nextBatchWatermark) {
    }

    /** One micro-batch Spark ran. */
    record Batch(long batchId, String watermark, List<List<Object>> output, List<Long> droppedByWatermark,
                 List<Long> stateRows, Long numInputRows) {
    }

    /**
     * @return every case in the folder, by name, sorted
     */
    static List<String> all() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".json"))
                .map(f -> f.substring(0, f.length() - ".json".length())).sorted().toList();
        }
    }

    static GoldenCase load(String name) throws IOException {
        JsonNode root = JSON.readTree(Files.readString(DIR.resolve(name + ".json")));
        Map<String, String> conf = new LinkedHashMap<>();
        root.path("spark_conf").fields().forEachRemaining(e -> conf.put(e.getKey(), e.getValue().asText()));
        List<Step> steps = new ArrayList<>();
        for (JsonNode step : root.path("steps")) {
            Map<String, List<List<Object>>> input = new LinkedHashMap<>();
            step.path("input").fields().forEachRemaining(e -> input.put(e.getKey(), rows(e.getValue(), true)));
            List<Batch> batches = new ArrayList<>();
            for (JsonNode batch : step.path("batches")) {
                List<Long> dropped = new ArrayList<>();
                List<Long> stateRows = new ArrayList<>();
                batch.path("state_operators").forEach(op -> dropped.add(op.path("dropped_by_watermark").asLong()));
                batch.path("state_operators").forEach(op -> stateRows.add(op.path("state_rows").asLong()));
                batches.add(new Batch(batch.path("batch_id").asLong(), text(batch.path("watermark")),
                    rows(batch.path("output"), false), dropped, stateRows,
                    batch.has("num_input_rows") ? batch.get("num_input_rows").asLong() : null));
            }
            steps.add(new Step(input, batches, text(step.path("next_batch_watermark"))));
        }
        List<String> inputNames = new ArrayList<>();
        JsonNode schema = root.path("input_schema");
        if (schema.isObject()) {
            schema.fieldNames().forEachRemaining(inputNames::add);
        }
        for (Step step : steps) {
            step.input().keySet().stream().filter(n -> !inputNames.contains(n)).forEach(inputNames::add);
        }
        if (inputNames.isEmpty()) {
            // A rejected case of one unnamed input: the queries call it "words".
            inputNames.add("words");
        }
        Map<String, List<List<Object>>> staticTables = new LinkedHashMap<>();
        Map<String, String> staticSchemas = new LinkedHashMap<>();
        root.path("static_tables").fields().forEachRemaining(e -> {
            staticTables.put(e.getKey(), rows(e.getValue().path("rows"), true));
            staticSchemas.put(e.getKey(), ddl(e.getValue().path("schema")));
        });
        Map<String, String> inputSchemas = new LinkedHashMap<>();
        if (schema.isObject()) {
            schema.fields().forEachRemaining(e -> inputSchemas.put(e.getKey(), ddl(e.getValue())));
        } else {
            inputNames.forEach(n -> inputSchemas.put(n, ddl(schema)));
        }
        return new GoldenCase(name, root.path("output_mode").asText(), conf, steps,
            root.has("rejected") ? root.get("rejected") : null, List.copyOf(inputNames), staticTables, inputSchemas,
            staticSchemas);
    }

    /** {@code [{name, type}]} as a DDL string. */
    private static String ddl(JsonNode fields) {
        List<String> columns = new ArrayList<>();
        fields.forEach(f -> columns.add(f.path("name").asText() + " " + f.path("type").asText()));
        return String.join(", ", columns);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    private static List<List<Object>> rows(JsonNode array, boolean timestampsToMillis) {
        List<List<Object>> rows = new ArrayList<>();
        for (JsonNode row : array) {
            List<Object> values = new ArrayList<>();
            for (JsonNode value : row) {
                values.add(value(value, timestampsToMillis));
            }
            rows.add(values);
        }
        return rows;
    }

    private static Object value(JsonNode value, boolean timestampsToMillis) {
        if (value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isFloatingPointNumber()) {
            return value.asDouble();
        }
        if (value.isObject()) {
            Map<String, Object> struct = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                struct.put(field.getKey(), value(field.getValue(), timestampsToMillis));
            }
            return struct;
        }
        String text = value.asText();
        if (timestampsToMillis && text.matches("\\d{4}-\\d\\d-\\d\\dT.*Z")) {
            return Instant.parse(text).toEpochMilli();
        }
        return text;
    }
}
